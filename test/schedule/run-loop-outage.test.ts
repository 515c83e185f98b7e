/**
 * schedule/run-loop when PostgreSQL goes away: the loop waits with backoff and
 * a one-line message instead of exiting, publishes once the database is back,
 * and never sends a post again whose outcome it could not record in time.
 * Real parts: the shared embedded PostgreSQL behind a TCP proxy the test can
 * cut, the sample office, the outbox channel; time is a virtual clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from '../../src/app/load-all';
import { replanInto } from '../../src/app/replan';
import { buildRuntime } from '../../src/app/runtime';
import type { Channel } from '../../src/channels/channel';
import { readOutbox } from '../../src/channels/outbox/outbox-channel';
import { createVirtualClock, type Clock } from '../../src/clock';
import { runScheduleLoop } from '../../src/schedule/run-loop';
import { createScheduler, type Runtime } from '../../src/schedule/scheduler';
import { listPosts } from '../../src/store/ledger';
import { openStore, type Store } from '../../src/store/open';
import { captureLogs } from '../alerts/support';
import { REPO_ROOT } from '../support/cli';
import { createTestDatabase } from '../support/databases';
import { hostAndPort, startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

// 12.59 WIB on Friday 4 December 2026: the sample's h-60m posts are due at 13.00.
const START = new Date('2026-12-04T05:59:00Z');
const DUE = new Date('2026-12-04T06:00:00Z');

describe('schedule/run-loop with the database gone', () => {
  let dir: string;
  let proxy: TcpProxy;
  let store: Store;
  let runtime: Runtime;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-outage-'));
    const database = await createTestDatabase('postgres');
    proxy = await startTcpProxy(hostAndPort(database.databaseUrl!));
    store = await openStore({ databaseUrl: proxy.urlFor(database.databaseUrl!) });
    const loaded = loadAll(path.join(REPO_ROOT, 'config'), { now: START }).loaded!;
    runtime = buildRuntime(loaded, { clock: createVirtualClock(START), logger: captureLogs().logger, outboxDir: dir, env: {}, fetch }, 1);
    await replanInto(store, loaded.config, new Date(START.getTime() - 3_600_000));
  });

  afterEach(async () => {
    await proxy.up();
    await store.close();
    await proxy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A virtual clock that calls `onSleep` (with the sleep's length) before each jump. */
  function clockWith(onSleep: (ms: number) => Promise<void>): Clock {
    const clock = createVirtualClock(START);
    return { now: clock.now, sleep: async (ms, signal) => { await onSleep(ms); await clock.sleep(ms, signal); } };
  }

  it('keeps running through refused connections, says so in one line with the next try, and publishes once the database is back', async () => {
    const { logger, lines } = captureLogs();
    const sleeps: number[] = [];
    await proxy.down();
    const clock = clockWith(async (ms) => {
      sleeps.push(ms);
      if (sleeps.length === 4) await proxy.up();
    });
    const scheduler = createScheduler({ store, clock, logger, runtime: () => runtime, owner: 'a', mediaRoot: dir, alert: () => undefined });
    // Before the fix, this rejected at once: nextEvents() ran outside the try.
    await runScheduleLoop({ scheduler, clock, logger, signal: new AbortController().signal, until: new Date(DUE.getTime() + 120_000), maxChunkMs: 30_000, renderAheadMs: () => 10 * 60_000, databaseLabel: store.label });

    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    const outage = messages.filter((m) => m.includes('is unreachable'));
    expect(outage.slice(0, 3)).toEqual([
      expect.stringMatching(/^PostgreSQL at 127\.0\.0\.1:\d+\/herald_\w+ is unreachable \(.+\): the bot keeps running and retries; next try in 1 s$/),
      expect.stringMatching(/next try in 2 s$/),
      expect.stringMatching(/next try in 4 s$/),
    ]);
    expect(sleeps.slice(0, 3)).toEqual([1_000, 2_000, 4_000]);
    expect(messages).toContainEqual(expect.stringMatching(/reachable again/));
    const sent = readOutbox(path.join(dir, 'outbox.jsonl'));
    expect(sent.map((r) => `${r.rule} ${r.channel}`).sort()).toEqual(['h-60m instagram', 'h-60m x']);
  });

  it('keeps an outcome it could not record in memory, records it when the database is back, and never sends the post again', async () => {
    const { logger, lines } = captureLogs();
    let cutAfterSend = true;
    // The outbox channel, with the database cut right after its first post went out.
    const cutting = new Map<string, Channel>(
      [...runtime.channels].map(([id, channel]) => [
        id,
        {
          ...channel,
          publish: async (request, signal) => {
            const result = await channel.publish(request, signal);
            if (cutAfterSend) {
              cutAfterSend = false;
              await proxy.down();
            }
            return result;
          },
        } satisfies Channel,
      ]),
    );
    const withCut: Runtime = { ...runtime, channels: cutting };
    let outageSleeps = 0;
    const clock = clockWith(async () => {
      if (!cutAfterSend && (outageSleeps += 1) === 3) await proxy.up();
    });
    const scheduler = createScheduler({ store, clock, logger, runtime: () => withCut, owner: 'a', mediaRoot: dir, alert: () => undefined });
    await runScheduleLoop({ scheduler, clock, logger, signal: new AbortController().signal, until: new Date(DUE.getTime() + 120_000), maxChunkMs: 30_000, renderAheadMs: () => 10 * 60_000, databaseLabel: store.label });

    const sent = readOutbox(path.join(dir, 'outbox.jsonl'));
    expect(sent.map((r) => `${r.rule} ${r.channel}`).sort()).toEqual(['h-60m instagram', 'h-60m x']);
    const published = await listPosts(store, { states: ['published'] });
    const h60 = published.filter((p) => p.ruleId === 'h-60m');
    expect(h60).toHaveLength(2);
    for (const post of h60) expect(post.remoteId).toMatch(new RegExp(`^outbox:${post.id}:`));
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContainEqual(expect.stringMatching(/kept in memory and recorded when it is back/));
    expect(messages).toContainEqual(expect.stringMatching(/recorded an outcome kept in memory/));
  });
});
