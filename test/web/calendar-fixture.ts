/**
 * The store the calendar page tests start from: the sample office (config/,
 * Pontianak, WIB) and kanim-jayapura (WIT, many-office layout) as real config
 * revisions, their posts planned on Thursday 10 Dec 2026 at 12:00 WIB, and the
 * h-1 posts of simpatik-desember (opens Fri 11 Dec 09:00) published at 19:00,
 * the one on X with its live link. The console is used at 20:00.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { replanInto } from '../../src/app/replan';
import { checkEdit } from '../../src/console/edit';
import { claimDue, markPublished } from '../../src/store/claims';
import { createRevision } from '../../src/store/config-revisions';
import { listPosts, markRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { buildWebServer } from '../../src/web/server';
import { at, environment, SAMPLE_OFFICE, sampleFiles, WIT_OFFICE, witFiles } from '../console/edit/fixtures';

export { environment, SAMPLE_OFFICE, WIT_OFFICE };

export const PLANNED_AT = at('2026-12-10T12:00+07:00');
export const EVENING = at('2026-12-10T19:00+07:00');
export const NOW = at('2026-12-10T20:00+07:00');

export const CALENDAR_OFFICES = [
  { id: SAMPLE_OFFICE, name: 'Kantor Imigrasi Kelas I TPI Pontianak', timezone: 'Asia/Pontianak', locale: 'id-ID' },
  { id: WIT_OFFICE, name: 'Kantor Imigrasi Kelas I TPI Jayapura', timezone: 'Asia/Jayapura', locale: 'id-ID' },
];
export const X_LINK = 'https://x.com/imigrasiptk/status/1866500000000000001';

/** Each office's files checked once per test file (a check loads the config: the slow part of a setup). */
const checked = new Map<string, { files: Record<string, string>; check: ReturnType<typeof checkEdit> }>();

async function addRevision(store: Store, officeId: string, files: () => Record<string, string>, now: Date): Promise<number> {
  if (!checked.has(officeId)) {
    const all = files();
    checked.set(officeId, { files: all, check: checkEdit(all, officeId, environment(now)) });
  }
  const { check, files: officeFiles } = checked.get(officeId)!;
  if (!check.valid) throw new Error(`fixture ${officeId} does not load: ${JSON.stringify(check.problems)}`);
  const created = await createRevision(store, { officeId, parentId: null, author: 'files', message: 'loaded at start', files: officeFiles, problems: check.loaderProblems }, now);
  await replanInto(store, check.loaded!.config, now, { offices: [officeId] });
  return created.revision.id;
}

/** Renders, claims and publishes what is due at `now`, as the scheduler would; X posts get their live link. */
async function publishDue(store: Store, now: Date): Promise<void> {
  for (const post of await listPosts(store, { states: ['planned'], to: new Date(now.getTime() + 1) })) {
    await markRendered(store, { id: post.id, revision: post.revision }, '{"text":"rendered"}', now);
  }
  for (const post of await claimDue(store, { now, owner: 'w1', leaseMs: 60_000, limit: 100 })) {
    await markPublished(store, { id: post.id, revision: post.revision, owner: 'w1' }, { remoteId: `remote-${post.id}`, url: post.channelId === 'x' ? X_LINK : null, publishedAt: now });
  }
}

/** The two offices' revisions and posts; returns the sample office's revision id. */
export async function startCalendarOffices(store: Store): Promise<number> {
  const sampleRevision = await addRevision(store, SAMPLE_OFFICE, () => sampleFiles(PLANNED_AT), PLANNED_AT);
  await addRevision(store, WIT_OFFICE, witFiles, PLANNED_AT);
  await publishDue(store, EVENING);
  return sampleRevision;
}

/** The web server at NOW, with config/ and templates/ as the config source. */
export function buildCalendarServer(store: Store): Promise<FastifyInstance> {
  return buildWebServer({
    store,
    logger: pino({ level: 'silent' }),
    clock: { now: () => NOW },
    offices: () => CALENDAR_OFFICES,
    settings: { secureCookies: false, trustProxy: false },
    loginRatePerMinute: 1000,
    source: { configDir: path.resolve('config'), templatesDir: path.resolve('templates') },
  });
}

/** Re-plans the office's current config at `now`, as an instance following revisions does after a save. */
export async function replanCurrent(store: Store, files: Record<string, string>, now: Date): Promise<void> {
  const loaded = checkEdit(files, SAMPLE_OFFICE, environment(now)).loaded;
  if (!loaded) throw new Error('the saved revision does not load');
  await replanInto(store, loaded.config, now, { offices: [SAMPLE_OFFICE] });
}
