import { registerInstance } from '../../src/store/instances';
import { claimJobRun, finishJobRun, occurrenceKey, runOncePerPeriod } from '../../src/store/job-runs';
import { DIALECTS, useTestStore } from '../support/databases';
import { at } from './post-builder';

const NOW = at('2026-11-27T13:00+07:00');
const RUN = { job: 'replan', periodKey: occurrenceKey(NOW) };

describe.each(DIALECTS)('store/job-runs on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('gives one period of a job to one instance; the next period is free again', async () => {
    await registerInstance(ctx.store, { id: 'a', pid: 1, host: 'h' }, NOW);
    await registerInstance(ctx.store, { id: 'b', pid: 2, host: 'h' }, NOW);
    expect(await claimJobRun(ctx.store, { ...RUN, owner: 'a' }, NOW)).toBe(true);
    expect(await claimJobRun(ctx.store, { ...RUN, owner: 'b' }, NOW)).toBe(false);
    expect(await claimJobRun(ctx.store, { job: 'account-check', periodKey: RUN.periodKey, owner: 'b' }, NOW)).toBe(true);
    expect(await claimJobRun(ctx.store, { job: 'replan', periodKey: occurrenceKey(new Date(NOW.getTime() + 600_000)), owner: 'b' }, NOW)).toBe(true);
    expect(RUN.periodKey).toBe('2026-11-27T06:00:00.000Z');
  });

  it('another instance takes over an unfinished run whose owner is dead, never a finished one or a live owner\'s', async () => {
    await registerInstance(ctx.store, { id: 'b', pid: 2, host: 'h' }, NOW);
    // `a` never registered (or was removed as dead by the heartbeat).
    expect(await claimJobRun(ctx.store, { ...RUN, owner: 'a' }, NOW)).toBe(true);
    expect(await claimJobRun(ctx.store, { ...RUN, owner: 'b' }, NOW)).toBe(true);
    expect(await claimJobRun(ctx.store, { ...RUN, owner: 'c' }, NOW)).toBe(false); // b is alive
    await finishJobRun(ctx.store, { ...RUN, owner: 'b' }, NOW);
    await ctx.store.db.deleteFrom('instances').execute();
    expect(await claimJobRun(ctx.store, { ...RUN, owner: 'c' }, NOW)).toBe(false); // done already
  });
});

describe('store/job-runs on postgres, three instances at once', () => {
  const ctx = useTestStore('postgres');

  it('runs a job once per period when three instances fire together', async () => {
    const stores = [ctx.store, await ctx.open(), await ctx.open()];
    for (const i of [0, 1, 2]) await registerInstance(ctx.store, { id: `i${i}`, pid: i, host: 'h' }, NOW);
    let runs = 0;
    for (let minute = 0; minute < 5; minute += 1) {
      const key = occurrenceKey(new Date(NOW.getTime() + minute * 60_000));
      await Promise.all(stores.map((store, i) => runOncePerPeriod(store, { job: 'replan', periodKey: key, owner: `i${i}` }, () => NOW, async () => void (runs += 1))));
    }
    expect(runs).toBe(5);
  });
});
