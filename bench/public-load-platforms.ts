/**
 * bench/public-load.ts's fake platforms, in their own process: the moment a
 * publish request's first bytes arrive is taken by a process whose event loop
 * the public load does not touch (in the bot's process it would be when the
 * bot's loop got round to it, and their work would be the bot's CPU).
 *
 * Forked with the number of channel pairs; says `{ ready, x, instagram }`;
 * answers `report` with each server's request arrival times; exits on `close`.
 */
import { startFakeInstagramServer, type FakeInstagramServer } from '../test/fakes/fake-instagram-server';
import { startFakeXServer, type FakeXServer } from '../test/fakes/fake-x-server';

export const PLATFORM_KEYS = { appKey: 'bench-key', appSecret: 'bench-secret', accessToken: '1-bench-token', accessSecret: 'bench-access-secret' };
export const IG_TOKEN = 'bench-ig-token';

export interface PlatformsReady {
  type: 'ready';
  x: { url: string }[];
  instagram: { url: string; accountId: string }[];
}

/** One server's requests: arrival (ms since the epoch) and route, in arrival order. */
export interface ServerLog {
  arrivals: number[];
  routes: string[];
  published: number;
}

export interface PlatformsReport {
  type: 'report';
  x: ServerLog[];
  instagram: ServerLog[];
}

async function main(): Promise<void> {
  const pairs = Number(process.argv[2] ?? 10);
  const x: FakeXServer[] = [];
  const instagram: FakeInstagramServer[] = [];
  for (let i = 0; i < pairs; i += 1) {
    x.push(await startFakeXServer(PLATFORM_KEYS));
    instagram.push(await startFakeInstagramServer({ token: IG_TOKEN, pollsUntilFinished: 0, quotaTotal: 1000 }));
  }
  // The fake X times arrivals on the monotonic clock (performance.timeOrigin + now()), the bot
  // its due times on the wall clock (as the fake Instagram does); this VM's wall clock drifts
  // from the monotonic one by tens of milliseconds over a run. So the offset is sampled as we
  // go and each X arrival is put on the wall clock with the offset of its moment.
  const offsets: { mono: number; wall: number }[] = [];
  const sample = (): void => {
    offsets.push({ mono: performance.timeOrigin + performance.now(), wall: Date.now() });
  };
  sample();
  const sampler = setInterval(sample, 100);
  const onWallClock = (mono: number): number => {
    let nearest = offsets[0]!;
    for (const each of offsets) if (Math.abs(each.mono - mono) < Math.abs(nearest.mono - mono)) nearest = each;
    return mono + (nearest.wall - nearest.mono);
  };
  const ready: PlatformsReady = { type: 'ready', x: x.map((s) => ({ url: s.url })), instagram: instagram.map((s) => ({ url: s.url, accountId: s.accountId })) };
  process.send!(ready);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'report') {
      const report: PlatformsReport = {
        type: 'report',
        x: x.map((s) => ({ arrivals: s.requests.map((r) => onWallClock(r.receivedAt.getTime())), routes: s.requests.map((r) => r.route), published: s.tweets.length })),
        instagram: instagram.map((s) => ({ arrivals: s.requests.map((r) => r.receivedAt.getTime()), routes: s.requests.map((r) => r.route ?? '?'), published: s.published.length })),
      };
      process.send!(report);
    }
    if (message.type === 'close') {
      clearInterval(sampler);
      void Promise.all([...x, ...instagram].map((s) => s.close())).then(() => process.exit(0));
    }
  });
}

// Imported by bench/public-load.ts for its constants and types: start only when forked.
if (process.argv[1] === __filename) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
