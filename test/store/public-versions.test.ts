/**
 * Migration 0013 and store/public-versions.ts: the calendar's SEQUENCE is
 * raised once per change of an opening, never on a request that changes
 * nothing, and once when two instances serve the same change at the same moment.
 */
import { sql } from 'kysely';
import type { Store } from '../../src/store/open';
import { readPublicVersions, recordPublicVersions, upsertPublicVersions } from '../../src/store/public-versions';
import { DIALECTS, useTestStore } from '../support/databases';

const T0 = new Date('2026-12-01T03:00:00Z');
const T1 = new Date('2026-12-01T04:00:00Z');
const T2 = new Date('2026-12-01T05:00:00Z');

/** Rows written so far on this connection (SQLite) or row versions made (PostgreSQL: an UPDATE makes a new xmin even when nothing differs). */
async function writeMarker(store: Store): Promise<string> {
  if (store.dialect === 'sqlite') return String((await sql<{ n: number }>`select total_changes() as n`.execute(store.db)).rows[0]!.n);
  return (await sql<{ x: string }>`select coalesce(string_agg(xmin::text, ',' order by item), '') as x from public_versions`.execute(store.db)).rows[0]!.x;
}

describe.each(DIALECTS)('store/public-versions (migration 0013) on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('makes public_versions keyed by office and item', async () => {
    const table = (await ctx.store.db.introspection.getTables()).find((t) => t.name === 'public_versions');
    expect(table?.columns.map((c) => c.name).sort()).toEqual(['fingerprint', 'item', 'modified_at', 'office_id', 'sequence']);
    await ctx.store.db.insertInto('public_versions').values({ office_id: 'a', item: 'x', fingerprint: 'f', sequence: 0, modified_at: 1 }).execute();
    await ctx.store.db.insertInto('public_versions').values({ office_id: 'b', item: 'x', fingerprint: 'f', sequence: 0, modified_at: 1 }).execute();
    const duplicate = await ctx.store.db
      .insertInto('public_versions')
      .values({ office_id: 'a', item: 'x', fingerprint: 'g', sequence: 0, modified_at: 1 })
      .execute()
      .then(() => null, (error: { code?: string }) => error);
    // Each engine's own unique-violation code: a failed insert for any other reason does not pass.
    expect(duplicate?.code).toBe(ctx.store.dialect === 'sqlite' ? 'SQLITE_CONSTRAINT_PRIMARYKEY' : '23505');
  });

  it('records a new item at sequence 0, raises it on each change, and keeps each office apart', async () => {
    const first = await recordPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'f1' }, { item: 'opening:b', fingerprint: 'g1' }], T0);
    expect(first.get('opening:a')).toEqual({ fingerprint: 'f1', sequence: 0, modifiedAt: T0 });
    const changed = await recordPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'f2' }, { item: 'opening:b', fingerprint: 'g1' }], T1);
    expect(changed.get('opening:a')).toEqual({ fingerprint: 'f2', sequence: 1, modifiedAt: T1 });
    expect(changed.get('opening:b')).toEqual({ fingerprint: 'g1', sequence: 0, modifiedAt: T0 });
    // Back to what it was: still a change, a higher sequence (a reader must replace its copy).
    const back = await recordPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'f1' }], T2);
    expect(back.get('opening:a')).toEqual({ fingerprint: 'f1', sequence: 2, modifiedAt: T2 });
    const other = await recordPublicVersions(ctx.store, 'kanim-jayapura', [{ item: 'opening:a', fingerprint: 'f9' }], T2);
    expect([...other.keys()]).toEqual(['opening:a']);
    expect(other.get('opening:a')!.sequence).toBe(0);
  });

  it('writes nothing when nothing changed', async () => {
    await recordPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'f1' }, { item: 'openings', fingerprint: 'l1' }], T0);
    const before = await writeMarker(ctx.store);
    const again = await recordPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'f1' }, { item: 'openings', fingerprint: 'l1' }], T1);
    expect(await writeMarker(ctx.store)).toBe(before);
    expect(again.get('opening:a')).toEqual({ fingerprint: 'f1', sequence: 0, modifiedAt: T0 });
    // The marker does move on a write (the check above can fail).
    await recordPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'f2' }], T1);
    expect(await writeMarker(ctx.store)).not.toBe(before);
  });

  it('the write raises a sequence only against a different fingerprint: a second instance sending the same change after the first counts nothing', async () => {
    await upsertPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'v0' }], T0);
    const other = await ctx.open();
    // Both instances read v0, then both send v1: the later write finds v1 and changes nothing.
    await upsertPublicVersions(ctx.store, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'v1' }], T1);
    await upsertPublicVersions(other, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'v1' }], T2);
    expect((await readPublicVersions(ctx.store, 'kanim-medan')).get('opening:a')).toEqual({ fingerprint: 'v1', sequence: 1, modifiedAt: T1 });
  });

  it('counts a change once when two instances serve it at the same moment', async () => {
    const a = ctx.store;
    const b = await ctx.open();
    await recordPublicVersions(a, 'kanim-medan', [{ item: 'opening:a', fingerprint: 'v0' }], T0);
    for (let round = 1; round <= 5; round++) {
      const seen = [{ item: 'opening:a', fingerprint: `v${round}` }];
      // Both read the old version before either writes: both send the upsert.
      await Promise.all([recordPublicVersions(a, 'kanim-medan', seen, T1), recordPublicVersions(b, 'kanim-medan', seen, T1)]);
      expect((await readPublicVersions(a, 'kanim-medan')).get('opening:a')).toEqual({ fingerprint: `v${round}`, sequence: round, modifiedAt: T1 });
    }
  });
});
