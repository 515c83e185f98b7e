/**
 * The sample office (config/, kanim-pontianak) as the console pages see it:
 * its files as the current config revision, and an opening day half-way
 * through in the ledger, made by the real planning and ledger functions.
 */
import path from 'node:path';
import { checkRevisionFiles, readOfficeFiles } from '../../../src/app/revision-files';
import { createRevision, type RevisionFiles } from '../../../src/store/config-revisions';
import type { Problem } from '../../../src/errors';
import type { Store } from '../../../src/store/open';
import { REPO_ROOT } from '../../support/cli';
import { at, fail, loadSample, planInto, postOf, publish } from '../../console/offices';

export const CONFIG = path.join(REPO_ROOT, 'config');
export const SAMPLE = 'kanim-pontianak';
export const WEEK = 'mingguan@2026-11-27';
export const PLAN_AT = at('2026-11-26T08:00+07:00');
/** Friday 27 November 2026, half an hour before the weekly opening at 14.00 WIB. */
export const NOW = at('2026-11-27T13:30+07:00');

export function sampleFiles(): Record<string, string> {
  return { ...readOfficeFiles(CONFIG, { now: NOW })[0]!.files };
}

/** `files` as the office's current revision, checked as `config import` checks them unless `problems` says otherwise. */
export async function storeSampleRevision(store: Store, files: RevisionFiles = sampleFiles(), problems?: Problem[]): Promise<number> {
  const found = problems ?? checkRevisionFiles(files, { sourceDir: CONFIG, now: NOW, officeId: SAMPLE }).problems;
  return (await createRevision(store, { officeId: SAMPLE, parentId: null, author: 'ani', message: 'start', files, problems: found }, PLAN_AT)).revision.id;
}

/** The opening day half-way: one post out, one expired, one failed (its error as the platform gave it), one unclear. */
export async function sampleDay(store: Store, deadError = 'X refused the post (403 duplicate content)'): Promise<void> {
  await planInto(store, loadSample(PLAN_AT), PLAN_AT);
  await publish(store, await postOf(store, SAMPLE, 'h-1', WEEK, 'x'), { remoteId: '1862000000000000001', url: 'https://x.com/imigrasiptk/status/1862000000000000001', text: 'Kuota dibuka besok. Info: pontianak.imigrasi.go.id' });
  await fail(store, await postOf(store, SAMPLE, 'h-1', WEEK, 'instagram'), 'expired', 'instagram: no retry can finish before the deadline 2026-11-27T07:00:00.000Z');
  await fail(store, await postOf(store, SAMPLE, 'h-60m', WEEK, 'x'), 'dead', deadError);
  await fail(store, await postOf(store, SAMPLE, 'h-60m', WEEK, 'instagram'), 'unknown', 'instagram: no answer to media_publish within 30 s');
}
