/**
 * console/edit with real stores (SQLite and PostgreSQL) and the sample config:
 * the change preview plans the edit against the ledger without writing (a
 * correction for a published post whose count changed, a cancellation for a
 * cancelled published opening); saving is a revision by the user, refused on
 * a conflict with another editor (who and when), merged when the two changed
 * different lines, never stored when invalid.
 */
import { replanInto } from '../../../src/app/replan';
import { applyCalendarEdit, checkEdit, openForEdit, previewEdit, saveEdit, type CalendarEdit, type EditDraft } from '../../../src/console/edit';
import { claimDue, markPublished } from '../../../src/store/claims';
import { createRevision, getCurrentRevision, listRevisions } from '../../../src/store/config-revisions';
import { listPosts, markRendered } from '../../../src/store/ledger';
import type { Store } from '../../../src/store/open';
import { DIALECTS, useTestStore } from '../../support/databases';
import { at, environment, SAMPLE_OFFICE, sampleFiles } from './fixtures';

/** Thursday before the Saturday service of 19 Dec (simpatik-desember opens Fri 11 Dec 09:00 WIB). */
const PLANNED_AT = at('2026-12-10T12:00+07:00');
/** Its h-1 post (19:00 the evening before) goes out. */
const EVENING = at('2026-12-10T19:00+07:00');
const AFTER_EVENING = at('2026-12-10T20:00+07:00');

/** The sample office's first revision, current, and its posts planned into the ledger. */
async function startOffice(store: Store, now: Date): Promise<void> {
  const files = sampleFiles(now);
  const check = checkEdit(files, SAMPLE_OFFICE, environment(now));
  await createRevision(store, { officeId: SAMPLE_OFFICE, parentId: null, author: 'files', message: 'loaded at start', files, problems: check.loaderProblems }, now);
  await replanInto(store, check.loaded!.config, now);
}

/** Renders, claims and publishes everything due at `now`, as the scheduler would. */
async function publishDue(store: Store, now: Date): Promise<void> {
  for (const post of await listPosts(store, { states: ['planned'], to: new Date(now.getTime() + 1) })) {
    await markRendered(store, { id: post.id, revision: post.revision }, '{"text":"rendered"}', now);
  }
  for (const post of await claimDue(store, { now, owner: 'w1', leaseMs: 60_000, limit: 100 })) {
    await markPublished(store, { id: post.id, revision: post.revision, owner: 'w1' }, { remoteId: `remote-${post.id}`, url: null, publishedAt: now });
  }
}

function edit(draft: EditDraft, ...edits: CalendarEdit[]): Record<string, string> {
  let files: Record<string, string> = { ...draft.files };
  for (const one of edits) {
    const applied = applyCalendarEdit(files, draft.calendarFile, one);
    if (!applied.ok) throw new Error(applied.problem.message);
    files = applied.files;
  }
  return files;
}

const ledgerState = async (store: Store): Promise<string[]> =>
  (await listPosts(store, { allRevisions: true })).map((p) => `${p.id}#${p.revision}:${p.state}:${p.updatedAt.toISOString()}`).sort();

describe.each(DIALECTS)('console/edit with the store on %s', (dialect) => {
  // Every test starts from the sample office planned at PLANNED_AT: written once, each test on a copy.
  const ctx = useTestStore(dialect, { seed: (store) => startOffice(store, PLANNED_AT) });

  it('previews a count change of a published opening: corrections on both channels, pending posts re-rendered, nothing written', async () => {
    await publishDue(ctx.store, EVENING);
    const draft = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const files = edit(draft, { kind: 'change-opening', id: 'simpatik-desember', change: { counts: { regular: 60 } } });
    const before = await ledgerState(ctx.store);

    const result = await previewEdit(ctx.store, { officeId: SAMPLE_OFFICE, files, env: environment(AFTER_EVENING) });
    if (!result.ok) throw new Error(JSON.stringify(result.check.problems));
    const { preview } = result;
    const published = (await listPosts(ctx.store, { states: ['published'] })).filter((p) => p.releaseId === 'simpatik-desember');
    expect(published.map((p) => p.channelId).sort()).toEqual([`instagram`, 'x']);
    expect(preview.corrections.map((c) => [c.post.kind, c.post.releaseId, c.post.channelId]).sort()).toEqual([
      ['correction', 'simpatik-desember', 'instagram'],
      ['correction', 'simpatik-desember', 'x'],
    ]);
    for (const correction of preview.corrections) {
      expect(correction.published.map((p) => p.id)).toEqual(published.filter((p) => p.channelId === correction.post.channelId).map((p) => p.id));
    }
    // The h-60m and opening posts not yet out show the new count: rendered again.
    expect(preview.rerendered.filter((p) => p.releaseId === 'simpatik-desember').map((p) => [p.ruleId, p.channelId, p.why]).sort()).toEqual([
      ['h-60m', 'instagram', 'facts'],
      ['h-60m', 'x', 'facts'],
      ['opening', 'instagram', 'facts'],
      ['opening', 'x', 'facts'],
    ]);
    expect(preview.removed).toEqual([]);
    expect(preview.added.filter((p) => p.releaseId === 'simpatik-desember')).toEqual([]);
    expect(await ledgerState(ctx.store)).toEqual(before);
  });

  it('previews cancelling a published opening: a cancellation post per channel, its pending posts disappear', async () => {
    await publishDue(ctx.store, EVENING);
    const draft = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const files = edit(draft, { kind: 'cancel-opening', id: 'simpatik-desember', reason: 'Petugas berhalangan' });
    const before = await ledgerState(ctx.store);

    const result = await previewEdit(ctx.store, { officeId: SAMPLE_OFFICE, files, env: environment(AFTER_EVENING) });
    if (!result.ok) throw new Error(JSON.stringify(result.check.problems));
    expect(result.preview.corrections.map((c) => [c.post.kind, c.post.releaseId, c.post.channelId, c.published.length]).sort()).toEqual([
      ['cancellation', 'simpatik-desember', 'instagram', 1],
      ['cancellation', 'simpatik-desember', 'x', 1],
    ]);
    expect(result.preview.removed.filter((p) => p.releaseId === 'simpatik-desember').map((p) => [p.ruleId, p.channelId, p.state]).sort()).toEqual([
      ['h-60m', 'instagram', 'planned'],
      ['h-60m', 'x', 'planned'],
      ['opening', 'instagram', 'planned'],
      ['opening', 'x', 'planned'],
    ]);
    expect(await ledgerState(ctx.store)).toEqual(before);

    // The preview is what saving and re-planning does.
    const saved = await saveEdit(ctx.store, { officeId: SAMPLE_OFFICE, baseRevisionId: draft.baseRevision.id, files, author: 'ani', message: 'batal', env: environment(AFTER_EVENING) });
    expect(saved.status).toBe('saved');
    await replanInto(ctx.store, checkEdit(files, SAMPLE_OFFICE, environment(AFTER_EVENING)).loaded!.config, AFTER_EVENING);
    const cancellations = (await listPosts(ctx.store, { states: ['planned'] })).filter((p) => p.kind === 'cancellation');
    expect(cancellations.map((p) => p.id).sort()).toEqual(result.preview.corrections.map((c) => c.post.id).sort());
  });

  it('previews a new opening as added posts and an invalid edit as problems, without planning', async () => {
    const draft = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const added = await previewEdit(ctx.store, {
      officeId: SAMPLE_OFFICE,
      files: edit(draft, { kind: 'add-opening', opening: { id: 'tambahan', opensAt: '2026-12-18 10:00', days: ['2026-12-26'], counts: { regular: 30 } } }),
      env: environment(PLANNED_AT),
    });
    if (!added.ok) throw new Error(JSON.stringify(added.check.problems));
    expect(added.preview.added.filter((p) => p.releaseId === 'tambahan').map((p) => `${p.ruleId}/${p.channelId}`).sort()).toEqual(['h-1/instagram', 'h-1/x', 'h-60m/instagram', 'h-60m/x', 'opening/instagram', 'opening/x']);
    expect(added.preview.corrections).toEqual([]);

    const invalid = await previewEdit(ctx.store, { officeId: SAMPLE_OFFICE, files: edit(draft, { kind: 'change-opening', id: 'simpatik-desember', change: { counts: { regular: '8O' } } }), env: environment(PLANNED_AT) });
    expect(invalid.ok).toBe(false);
    expect(invalid.check.problems.find((p) => p.severity === 'error')?.field).toBe('openings[1].days[0].counts.regular');
  });

  it('saves a valid edit as a revision by the user; an invalid one stores nothing', async () => {
    const draft = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const env = environment(PLANNED_AT);
    const invalid = await saveEdit(ctx.store, { officeId: SAMPLE_OFFICE, baseRevisionId: draft.baseRevision.id, files: edit(draft, { kind: 'change-opening', id: 'simpatik-desember', change: { counts: { regular: -1 } } }), author: 'ani', message: 'x', env });
    expect(invalid).toMatchObject({ status: 'invalid', problems: [expect.objectContaining({ field: 'openings[1].days[0].counts.regular' })] });
    expect(await listRevisions(ctx.store, { officeId: SAMPLE_OFFICE })).toHaveLength(1);

    const files = edit(draft, { kind: 'add-closure', closure: { date: '2027-02-16', reason: 'Cuti bersama Imlek' } });
    const saved = await saveEdit(ctx.store, { officeId: SAMPLE_OFFICE, baseRevisionId: draft.baseRevision.id, files, author: 'ani', message: 'cuti bersama Imlek', env });
    expect(saved).toMatchObject({ status: 'saved', revision: { author: 'ani', message: 'cuti bersama Imlek', createdAt: PLANNED_AT } });
    const current = (await getCurrentRevision(ctx.store, SAMPLE_OFFICE))!;
    expect(current).toMatchObject({ author: 'ani', parentId: draft.baseRevision.id, valid: true });
    expect(current.files).toEqual(files);
  });

  it('two editors from the same revision: the second is refused naming who changed it and when; a change of other lines is merged', async () => {
    const ani = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const budi = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const citra = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const savedAt = at('2026-12-10T13:05+07:00');

    const first = await saveEdit(ctx.store, { officeId: SAMPLE_OFFICE, baseRevisionId: ani.baseRevision.id, files: edit(ani, { kind: 'change-opening', id: 'simpatik-desember', change: { counts: { regular: 60 } } }), author: 'ani', message: 'kuota 60', env: environment(savedAt) });
    expect(first.status).toBe('saved');

    // Budi changed the same line: refused, nothing of his stored, ani's revision stays.
    const second = await saveEdit(ctx.store, { officeId: SAMPLE_OFFICE, baseRevisionId: budi.baseRevision.id, files: edit(budi, { kind: 'change-opening', id: 'simpatik-desember', change: { counts: { regular: 70 } } }), author: 'budi', message: 'kuota 70', env: environment(at('2026-12-10T13:10+07:00')) });
    if (second.status !== 'conflict') throw new Error(`expected a conflict, got ${second.status}`);
    expect(second.current).toMatchObject({ author: 'ani', createdAt: savedAt });
    expect(second.changedSince.map((r) => r.author)).toEqual(['ani']);
    expect(second.message).toContain('diubah oleh ani pada Kam 10 Des 13.05 WIB');
    expect(second.conflicts.map((c) => c.file)).toEqual(['calendar.yaml']);
    expect((await getCurrentRevision(ctx.store, SAMPLE_OFFICE))?.author).toBe('ani');
    expect((await listRevisions(ctx.store, { officeId: SAMPLE_OFFICE })).map((r) => r.author)).not.toContain('budi');

    // Citra changed other lines: merged with ani's, both changes kept.
    const third = await saveEdit(ctx.store, { officeId: SAMPLE_OFFICE, baseRevisionId: citra.baseRevision.id, files: edit(citra, { kind: 'add-closure', closure: { date: '2027-02-16', reason: 'Cuti bersama Imlek' } }), author: 'citra', message: 'Imlek', env: environment(at('2026-12-10T13:15+07:00')) });
    if (third.status !== 'saved') throw new Error(`expected saved, got ${JSON.stringify(third)}`);
    expect(third.merged?.with).toMatchObject({ author: 'ani' });
    const current = (await getCurrentRevision(ctx.store, SAMPLE_OFFICE))!;
    expect(current.author).toBe('citra');
    expect(current.files['calendar.yaml']).toContain('quota: { regular: 60 } }');
    expect(current.files['calendar.yaml']).toContain('Cuti bersama Imlek');
  });
});
