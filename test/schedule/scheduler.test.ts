/**
 * The scheduler loop under jest's fake timers, on a real SQLite ledger, the
 * sample office's real templates and the outbox: posts go out at their due
 * instant, waits are chunked, rendering happens ahead, and a clock jump past
 * a deadline expires a post instead of sending it late.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from '../../src/app/load-all';
import { replanInto } from '../../src/app/replan';
import { buildRuntime } from '../../src/app/runtime';
import { readOutbox } from '../../src/channels/outbox/outbox-channel';
import { systemClock, type Clock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import type { Alert } from '../../src/schedule/alerts';
import { runScheduleLoop } from '../../src/schedule/run-loop';
import { createScheduler } from '../../src/schedule/scheduler';
import { listPosts } from '../../src/store/ledger';
import { openStore, type Store } from '../../src/store/open';
import { REPO_ROOT } from '../support/cli';

const at = (iso: string): Date => new Date(iso);

/** Wraps the (faked) system clock to see when the loop sleeps and for how long. */
function observedClock(): Clock & { sleeps: number[]; asleep: () => boolean } {
  let sleeping = false;
  const sleeps: number[] = [];
  return {
    sleeps,
    asleep: () => sleeping,
    now: () => systemClock.now(),
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      sleeping = true;
      await systemClock.sleep(ms, signal);
      sleeping = false;
    },
  };
}

/** Real I/O (SQLite, sharp, fs) needs the real event loop: wait for it until the loop sleeps again. */
async function untilAsleep(clock: { asleep: () => boolean }): Promise<void> {
  // process.hrtime is real time even under fake timers: give rendering up to 20 s.
  const started = process.hrtime.bigint();
  while (!clock.asleep() && process.hrtime.bigint() - started < 20_000_000_000n) await new Promise((resolve) => setImmediate(resolve));
  if (!clock.asleep()) throw new Error('the schedule loop never went back to sleep');
}

/** Moves fake time forward in steps, letting the loop do its real work between wakes. */
async function advance(clock: { asleep: () => boolean }, ms: number, stepMs = 1_000): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    await untilAsleep(clock);
    await jest.advanceTimersByTimeAsync(Math.min(stepMs, ms - done));
  }
  await untilAsleep(clock);
}

describe('schedule/scheduler with fake timers', () => {
  let dir: string;
  let store: Store;
  let stop: AbortController;
  let loop: Promise<void>;
  let clock: ReturnType<typeof observedClock>;
  const alerts: Alert[] = [];

  beforeEach(async () => {
    // 12.45 WIB on Friday 4 December 2026: the h-60m posts are due at 13.00, opening at 14.00.
    jest.useFakeTimers({ now: at('2026-12-04T05:45:00Z'), doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-scheduler-'));
    store = await openStore({ dataDir: dir });
    clock = observedClock();
    const outcome = loadAll(path.join(REPO_ROOT, 'config'), { now: clock.now() });
    const loaded = outcome.loaded!;
    const logger = createSilentLogger();
    const runtime = buildRuntime(loaded, { clock, logger, outboxDir: dir, env: {}, fetch }, 1);
    await replanInto(store, loaded.config, clock.now());
    alerts.length = 0;
    const scheduler = createScheduler({ store, clock, logger, runtime: () => runtime, owner: 'test', mediaRoot: dir, alert: (a) => alerts.push(a), random: () => 0.5 });
    stop = new AbortController();
    loop = runScheduleLoop({ scheduler, clock, logger, signal: stop.signal, maxChunkMs: 30_000, renderAheadMs: () => 10 * 60_000 });
  });

  afterEach(async () => {
    stop.abort();
    await jest.advanceTimersByTimeAsync(30_000);
    await loop;
    jest.useRealTimers();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const outbox = (): ReturnType<typeof readOutbox> => readOutbox(path.join(dir, 'outbox.jsonl'));

  it('renders ahead, then publishes each post at its exact due instant', async () => {
    await advance(clock, 5 * 60_000); // 12.50 WIB: ten minutes before the h-60m posts
    const ready = await listPosts(store, { states: ['ready'] });
    expect(ready.map((p) => `${p.ruleId} ${p.channelId}`).sort()).toEqual(['h-60m instagram', 'h-60m x']);
    expect(outbox()).toEqual([]);

    await advance(clock, 10 * 60_000); // 13.00 WIB
    expect(outbox().map((r) => `${r.rule} ${r.channel} ${r.publishedAt}`).sort()).toEqual([
      'h-60m instagram 2026-12-04T06:00:00.000Z',
      'h-60m x 2026-12-04T06:00:00.000Z',
    ]);

    await advance(clock, 60 * 60_000); // 14.00 WIB
    expect(outbox().filter((r) => r.rule === 'opening').map((r) => r.publishedAt)).toEqual(['2026-12-04T07:00:00.000Z', '2026-12-04T07:00:00.000Z']);
    expect(alerts).toEqual([]);
  });

  it('never waits longer than 30 s at a time', async () => {
    await advance(clock, 20 * 60_000, 30_000);
    expect(clock.sleeps.length).toBeGreaterThan(30);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(30_000);
  });

  it('sends nothing twice when the wall clock steps back (an NTP correction)', async () => {
    await advance(clock, 15 * 60_000); // 13.00 WIB: the h-60m posts went out
    expect(outbox().filter((r) => r.rule === 'h-60m')).toHaveLength(2);
    // The clock steps back ten minutes, to before those posts were due.
    jest.setSystemTime(at('2026-12-04T05:50:00Z'));
    await advance(clock, 75 * 60_000, 30_000); // past 14.00 WIB again on the stepped-back clock
    const records = outbox();
    expect(records.filter((r) => r.rule === 'h-60m')).toHaveLength(2);
    expect(records.filter((r) => r.rule === 'opening').map((r) => r.publishedAt)).toEqual(['2026-12-04T07:00:00.000Z', '2026-12-04T07:00:00.000Z']);
    expect(new Set(records.map((r) => r.postId)).size).toBe(records.length);
  });

  it('expires a post whose deadline passed while the machine slept, instead of sending it late', async () => {
    await advance(clock, 5 * 60_000);
    // The machine is suspended from 12.50 to 14.30 WIB: the h-60m posts (deadline 14.00) are worthless now.
    jest.setSystemTime(at('2026-12-04T07:30:00Z'));
    await advance(clock, 30_000);
    const records = outbox();
    expect(records.filter((r) => r.rule === 'h-60m')).toEqual([]);
    const expired = await listPosts(store, { states: ['expired'] });
    expect(expired.map((p) => `${p.ruleId} ${p.channelId}`).sort()).toEqual(['h-60m instagram', 'h-60m x']);
    expect(alerts.filter((a) => a.kind === 'expired')).toHaveLength(2);
    expect(alerts[0]!.message).toMatch(/could not go out before its deadline/);
    // The opening posts (deadline 15.00 WIB) are still worth sending: they go at the first
    // wake after the jump, which a 30 s chunk bounds.
    expect(records.filter((r) => r.rule === 'opening').map((r) => r.publishedAt)).toEqual(['2026-12-04T07:30:30.000Z', '2026-12-04T07:30:30.000Z']);
  });
});

/**
 * A bot restarted with a window of cards still to draw (a crash, a re-plan): what is
 * due goes out first. Before, each tick drew the next five cards in due order and
 * only then published, so a post that was due and already rendered waited behind
 * cards for later posts (seconds on a busy machine, at every restart of the crash test).
 */
describe('schedule/scheduler: due posts before cards for later', () => {
  const T0 = at('2026-12-04T07:00:00Z'); // 14.00 WIB
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-publish-first-'));
    const configDir = path.join(dir, 'config');
    fs.mkdirSync(configDir);
    fs.writeFileSync(
      path.join(configDir, 'herald.yaml'),
      `office: { id: kanim-urut, name: Kantor Imigrasi Uji Urutan, timezone: Asia/Jakarta, info: { bookingChannel: aplikasi M-Paspor, hashtags: [UjiUrutan] } }
services:
  - { id: regular, name: Paspor Reguler, shortName: Reguler }
channels:
  - { id: instagram, driver: outbox, platform: instagram }
  - { id: x, driver: outbox, platform: x }
announcements:
  - { id: opening, when: { atOpening: true }, channels: [instagram, x], template: opening, deadlineMinutesAfterOpening: 30 }
settings: { renderAheadMinutes: 10 }
`,
    );
    // Eight openings a minute apart from 14.00 WIB, each for its own service day.
    const releases = Array.from({ length: 8 }, (_, i) => `  - id: r${i}\n    opensAt: "2026-12-04 14:0${i}:00"\n    days:\n      - { date: 2026-12-${String(7 + i).padStart(2, '0')}, quota: { regular: ${100 + i} } }`);
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), `releases:\n${releases.join('\n')}\n`);
    store = await openStore({ dataDir: dir });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A clock that moves one millisecond at every reading: the ledger's stamps show the order of events. */
  function steppingClock(from: Date): Clock & { set: (to: Date) => void } {
    let ms = from.getTime();
    return { now: () => new Date(ms++), sleep: () => Promise.resolve(), set: (to) => void (ms = to.getTime()) };
  }

  async function schedulerAt(clock: Clock): Promise<ReturnType<typeof createScheduler>> {
    const outcome = loadAll(path.join(dir, 'config'), { templatesDir: path.join(REPO_ROOT, 'templates'), now: clock.now() });
    if (!outcome.loaded) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
    const logger = createSilentLogger();
    const runtime = buildRuntime(outcome.loaded, { clock, logger, outboxDir: dir, env: {}, fetch }, 1);
    await replanInto(store, outcome.loaded.config, clock.now());
    return createScheduler({ store, clock, logger, runtime: () => runtime, owner: 'test', mediaRoot: dir, alert: () => undefined, random: () => 0.5 });
  }

  const outbox = (): ReturnType<typeof readOutbox> => readOutbox(path.join(dir, 'outbox.jsonl'));

  it('publishes a due, rendered post before it draws the cards of later posts', async () => {
    const clock = steppingClock(new Date(T0.getTime() - 60_000));
    const scheduler = await schedulerAt(clock);
    await scheduler.tick(); // 13.59 WIB: draws the first five cards in due order (the 14.00 posts among them)
    expect((await listPosts(store, { states: ['ready'] })).map((p) => p.releaseId)).toEqual(expect.arrayContaining(['r0', 'r0']));
    const readyBefore = new Set((await listPosts(store, { states: ['ready'] })).map((p) => p.id));
    expect((await listPosts(store, { states: ['planned'] })).length).toBeGreaterThan(5);

    clock.set(new Date(T0.getTime() + 1_000)); // 14.00.01: the 14.00 posts are due and rendered, later ones are not
    await scheduler.tick();
    const sent = outbox().filter((record) => record.rule === 'opening');
    expect(sent.map((record) => record.channel).sort()).toEqual(['instagram', 'x']);
    const renderedThisTick = (await listPosts(store, { states: ['ready'] })).filter((p) => !readyBefore.has(p.id));
    expect(renderedThisTick.length).toBeGreaterThan(0);
    const lastSent = Math.max(...sent.map((record) => new Date(record.publishedAt).getTime()));
    for (const post of renderedThisTick) expect(post.updatedAt.getTime()).toBeGreaterThan(lastSent);
  });

  it('draws a due post that is not rendered yet, and sends it in the same tick, before later cards', async () => {
    const clock = steppingClock(new Date(T0.getTime() - 60_000));
    const scheduler = await schedulerAt(clock);
    clock.set(new Date(T0.getTime() + 1_000)); // nothing drawn yet: a bot that starts at 14.00.01
    await scheduler.tick();
    const sent = outbox().filter((record) => record.rule === 'opening');
    expect(sent.map((record) => record.channel).sort()).toEqual(['instagram', 'x']);
    const lastSent = Math.max(...sent.map((record) => new Date(record.publishedAt).getTime()));
    const later = (await listPosts(store, { states: ['ready'] })).filter((p) => p.releaseId !== 'r0');
    expect(later.length).toBeGreaterThan(0);
    for (const post of later) expect(post.updatedAt.getTime()).toBeGreaterThan(lastSent);
  });
});
