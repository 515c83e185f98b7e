/**
 * Many offices, each planning over its own horizon (`settings.horizonDays` of
 * its herald.yaml, else the shared one): the re-plan plans and syncs each
 * horizon's offices over their own window, on SQLite and PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { combineLoaded, loadDeployment } from '../../src/app/load-all';
import { replanInto } from '../../src/app/replan';
import { DIALECTS, useTestStore } from '../support/databases';
import { writeFile, writeOfficesConfig } from '../support/offices-fixture';

const NOW = new Date('2027-03-01T00:00:00Z'); // a Monday
const DAY_MS = 86_400_000;
const WEEKLY = `recurring:
  - id: jumat
    weekly: { weekday: friday }
    at: "10:00"
    quota: { regular: 100, express: 10 }
`;

describe.each(DIALECTS)('app/replan: a horizon per office on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let dir: string;
  beforeEach(() => {
    dir = writeOfficesConfig({ opensOn: '2027-03-10', serviceDay: '2027-03-15' });
    for (const id of ['kanim-jayapura', 'kanim-makassar', 'kanim-medan']) writeFile(path.join(dir, 'offices', id, 'calendar.yaml'), WEEKLY);
    fs.appendFileSync(path.join(dir, 'offices', 'kanim-medan', 'herald.yaml'), 'settings:\n  horizonDays: 14\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const load = () => {
    const deployment = loadDeployment(dir, { now: NOW });
    const parts = deployment.offices.map((office) => {
      if (!office.loaded) throw new Error(`${office.id}: ${JSON.stringify(office.problems)}`);
      return office.loaded;
    });
    return { config: combineLoaded(parts, parts[0]!.config)!.config, ids: deployment.offices.map((office) => office.id) };
  };
  const lastDue = async (): Promise<Record<string, number>> => {
    const rows = await ctx.store.db.selectFrom('posts').select(['office_id', 'due_at']).where('state', '=', 'planned').execute();
    const last: Record<string, number> = {};
    for (const row of rows) last[row.office_id] = Math.max(last[row.office_id] ?? 0, Number(row.due_at));
    return last;
  };

  it('plans an office with its own horizon only that far; the others over the shared one; a re-plan cancels nothing', async () => {
    const { config, ids } = load();
    await replanInto(ctx.store, config, NOW, { offices: ids });
    const last = await lastDue();
    expect(Object.keys(last).sort()).toEqual(ids);
    expect(last['kanim-medan']).toBeLessThanOrEqual(NOW.getTime() + 14 * DAY_MS);
    // Medan's last post is the opening of Friday 12 March; the others go on to April.
    expect(new Date(last['kanim-medan']!).toISOString()).toBe('2027-03-12T03:00:00.000Z');
    for (const id of ['kanim-jayapura', 'kanim-makassar']) {
      expect(last[id]).toBeGreaterThan(NOW.getTime() + 28 * DAY_MS);
      expect(last[id]).toBeLessThanOrEqual(NOW.getTime() + 35 * DAY_MS);
    }

    const again = await replanInto(ctx.store, config, new Date(NOW.getTime() + 3_600_000), { offices: ids });
    expect({ inserted: again.inserted, cancelled: again.cancelled, superseded: again.superseded }).toEqual({ inserted: 0, cancelled: 0, superseded: 0 });
  });

  it('a re-plan of one office (an edit) uses that office’s horizon', async () => {
    const { config } = load();
    const medanOnly = { ...config, offices: config.offices.filter((office) => office.id === 'kanim-medan') };
    await replanInto(ctx.store, medanOnly, NOW, { offices: ['kanim-medan'] });
    expect(Object.keys(await lastDue())).toEqual(['kanim-medan']);
    expect(new Date((await lastDue())['kanim-medan']!).toISOString()).toBe('2027-03-12T03:00:00.000Z');
  });
});
