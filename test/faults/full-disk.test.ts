/**
 * A full disk under the outbox (writes go to /dev/full, which answers every
 * write with ENOSPC): the bot keeps running, retries with backoff, expires
 * what cannot go out before its deadline with an alert, and publishes again
 * as soon as space is back. The real scheduler loop on a virtual clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from '../../src/app/load-all';
import { replanInto } from '../../src/app/replan';
import { buildRuntime } from '../../src/app/runtime';
import { readOutbox } from '../../src/channels/outbox/outbox-channel';
import { createVirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import type { Alert } from '../../src/schedule/alerts';
import { runScheduleLoop } from '../../src/schedule/run-loop';
import { createScheduler } from '../../src/schedule/scheduler';
import { getAttempts, listPosts } from '../../src/store/ledger';
import { openStore } from '../../src/store/open';
import { REPO_ROOT } from '../support/cli';

describe('faults: full disk under the outbox', () => {
  it('retries, expires with an alert, and recovers when space is back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-full-'));
    const outboxDir = path.join(dir, 'out');
    fs.mkdirSync(outboxDir);
    fs.symlinkSync('/dev/full', path.join(outboxDir, 'outbox.jsonl'));
    const store = await openStore({ dataDir: path.join(dir, 'data') });
    try {
      // 12.45 WIB, Friday 4 December 2026: h-60m posts due 13.00 (deadline 14.00), opening 14.00.
      const clock = createVirtualClock(new Date('2026-12-04T05:45:00Z'));
      const logger = createSilentLogger();
      const loaded = loadAll(path.join(REPO_ROOT, 'config'), { now: clock.now() }).loaded!;
      const runtime = buildRuntime(loaded, { clock, logger, outboxDir, env: {}, fetch }, 1, { outboxOnly: true });
      const alerts: Alert[] = [];
      const scheduler = createScheduler({ store, clock, logger, runtime: () => runtime, owner: 't', mediaRoot: outboxDir, alert: (a) => alerts.push(a), random: () => 0.5 });
      await replanInto(store, loaded.config, clock.now());
      const loop = (until: string): Promise<void> =>
        runScheduleLoop({ scheduler, clock, logger, signal: new AbortController().signal, until: new Date(until), maxChunkMs: 30_000, renderAheadMs: () => 600_000 });

      await loop('2026-12-04T07:00:30Z'); // the disk stays full until 14.00.30 WIB
      const h60 = await listPosts(store, { states: ['expired'] });
      expect(h60.map((p) => `${p.ruleId} ${p.channelId}`).sort()).toEqual(['h-60m instagram', 'h-60m x']);
      const attempts = await getAttempts(store, h60[0]!.id);
      expect(attempts.length).toBeGreaterThan(3); // retried with backoff, not once, not in a tight loop
      expect(attempts.length).toBeLessThan(40);
      expect(h60[0]!.lastError).toMatch(/ENOSPC/);
      expect(alerts.filter((a) => a.kind === 'expired')).toHaveLength(2);

      // The opening posts (due 14.00, deadline 15.00) failed too but are still worth sending.
      expect((await listPosts(store, { states: ['retrying'] })).map((p) => p.ruleId)).toEqual(['opening', 'opening']);

      // Space is back: they go out at their next retry, once each, before their deadline.
      fs.rmSync(path.join(outboxDir, 'outbox.jsonl'));
      await loop('2026-12-04T07:30:00Z');
      const records = readOutbox(path.join(outboxDir, 'outbox.jsonl'));
      expect(records.map((r) => `${r.rule} ${r.channel}`).sort()).toEqual(['opening instagram', 'opening x']);
      for (const record of records) {
        expect(record.publishedAt > '2026-12-04T07:00:30.000Z' && record.publishedAt < '2026-12-04T07:05:00.000Z').toBe(true);
      }
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
