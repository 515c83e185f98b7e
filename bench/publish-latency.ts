/**
 * From due time to the first byte of the publish request reaching the
 * platform (images pre-rendered): the real scheduler on the wall clock, the
 * real X and Instagram drivers, fake platform servers on 127.0.0.1.
 * Target: p99 ≤ 50 ms over 200 posts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from '../src/app/load-all';
import { planAll } from '../src/app/plan-all';
import { createInstagramChannel } from '../src/channels/instagram/instagram-channel';
import { createXChannel } from '../src/channels/x/x-channel';
import { systemClock } from '../src/clock';
import { createSilentLogger } from '../src/logger';
import { startMediaServer } from '../src/media-server/media-server';
import type { PlannedPost } from '../src/plan/types';
import { runScheduleLoop } from '../src/schedule/run-loop';
import { createScheduler, type Runtime } from '../src/schedule/scheduler';
import { syncPlan } from '../src/store/ledger';
import { openStore } from '../src/store/open';
import { startFakeInstagramServer } from '../test/fakes/fake-instagram-server';
import { startFakeXServer } from '../test/fakes/fake-x-server';

const POSTS = 200;
const SPACING_MS = 250;
const KEYS = { appKey: 'bench-key', appSecret: 'bench-secret', accessToken: '1-bench-token', accessSecret: 'bench-access-secret' };

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bench-latency-'));
  const logger = createSilentLogger();
  const fakeX = await startFakeXServer(KEYS);
  const fakeIg = await startFakeInstagramServer({ token: 'bench-ig-token', pollsUntilFinished: 0, quotaTotal: 1000 });
  const media = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1' });
  const publicMediaUrl = (file: string): string => media.publicUrl(file).replace('http://127.0.0.1', media.address);
  const store = await openStore({ dataDir: dir });
  try {
    const loaded = loadAll(path.join(root, 'config'), { now: new Date('2026-12-01T00:00:00Z') }).loaded!;
    const env = { X_APP_KEY: KEYS.appKey, X_APP_SECRET: KEYS.appSecret, X_ACCESS_TOKEN: KEYS.accessToken, X_ACCESS_SECRET: KEYS.accessSecret, IG_ACCESS_TOKEN: 'bench-ig-token' };
    const deps = { clock: systemClock, logger, outboxDir: dir, env, fetch, stateDir: dir, publicMediaUrl };
    const location = { file: 'bench', line: 1, col: 1 };
    const channels = new Map([
      ['x', createXChannel({ id: 'x', driver: 'x', platform: 'x', baseUrl: fakeX.url, credentials: {}, enabled: true, location }, deps)],
      [
        'instagram',
        createInstagramChannel(
          { id: 'instagram', driver: 'instagram', platform: 'instagram', baseUrl: fakeIg.url, accountId: fakeIg.accountId, credentials: { accessToken: 'IG_ACCESS_TOKEN' }, enabled: true, location },
          deps,
          { poll: { initialDelayMs: 1, maxDelayMs: 2 } },
        ),
      ],
    ]);
    const runtime: Runtime = { config: loaded.config, templates: loaded.templates, channels, generation: 1 };

    // 200 distinct opening posts (different counts, so X sees no duplicate text), alternating platforms.
    const template = planAll(loaded.config, { from: new Date('2026-12-04T06:30:00Z'), to: new Date('2026-12-04T07:30:00Z') }).posts.find((p) => p.ruleId === 'opening')!;
    const start = Date.now() + 20_000;
    const posts: PlannedPost[] = Array.from({ length: POSTS }, (_, i) => {
      const facts = JSON.parse(JSON.stringify(template.facts)) as PlannedPost['facts'];
      facts.release!.days[0]!.quota.regular = 100 + i;
      return { ...template, id: `bench${String(i).padStart(4, '0')}`, channelId: i % 2 === 0 ? 'x' : 'instagram', dueAt: new Date(start + i * SPACING_MS), deadline: new Date(start + POSTS * SPACING_MS + 60_000), fingerprint: `bench-${i}`, facts };
    });
    await syncPlan(store, posts, { from: new Date(start - 1000), to: new Date(start + POSTS * SPACING_MS) }, new Date());

    const scheduler = createScheduler({ store, clock: systemClock, logger, runtime: () => runtime, owner: 'bench', mediaRoot: dir, alert: () => undefined });
    const stop = new AbortController();
    const done = runScheduleLoop({ scheduler, clock: systemClock, logger, signal: stop.signal, until: new Date(start + POSTS * SPACING_MS + 5_000), maxChunkMs: 30_000, renderAheadMs: () => 10 * 60_000 });
    await done;

    // The first request of each post's publish sequence: the first one at or after its due time.
    const arrivals = {
      x: fakeX.requests.map((r) => r.receivedAt.getTime()).sort((a, b) => a - b),
      instagram: fakeIg.requests.map((r) => r.receivedAt.getTime()).sort((a, b) => a - b),
    };
    const latencies = posts.map((post) => {
      const due = post.dueAt.getTime();
      const first = arrivals[post.channelId as 'x' | 'instagram'].find((t) => t >= due);
      return first === undefined ? Number.POSITIVE_INFINITY : first - due;
    });
    latencies.sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    const published = fakeX.tweets.length + fakeIg.published.length;
    console.log(`publish latency, due → first byte at the platform, ${POSTS} posts (${published} published): p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms (target p99 ≤ 50 ms)`);
  } finally {
    await store.close();
    await media.close();
    await fakeX.close();
    await fakeIg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
