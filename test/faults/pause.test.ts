/**
 * The process is paused (SIGSTOP, as a suspended VM or a stuck host would)
 * across due times and past a deadline, then continued: what is still worth
 * sending goes out once, at once; what is past its deadline expires; nothing
 * fires twice.
 *
 * Covered: posts falling due while the process is stopped (two openings, on
 * X and Instagram), one of them past its deadline by the time it continues
 * (expired, never sent late), the first wake after SIGCONT bounded by one
 * sleep chunk, no second copy. The short deadline comes from the release's
 * closing time (`closesAt`, which caps the deadline): closings are written in
 * whole minutes, so the openings sit just before a minute boundary, and the
 * test waits for the next one that leaves the bot time to start.
 */
import { waitFor } from '../support/process';
import { createFaultWorld, exitOf, judge, sleep, type FaultWorld } from './harness';

/** The longest the schedule loop sleeps at a time (bot.ts). */
const CHUNK_MS = 30_000;
const PUBLISH_ALLOWANCE_MS = 5_000;
/** Time for the bot to start and draw its cards before the pause (it is paused either way). */
const START_MS = 15_000;
/** How long before the first opening the bot is stopped: the slack for this process waking late. */
const STOP_BEFORE_MS = 8_000;

describe('faults: SIGSTOP / SIGCONT across due times', () => {
  let world: FaultWorld;
  afterAll(async () => world?.close());

  it('sends what is still on time after the pause, expires the rest, doubles nothing', async () => {
    // The first release closes at a whole minute 4 s after it opens: its posts are worthless then.
    // The second opens 2 s before that minute, the third 1 s after; both stay on time for a minute.
    const minute = Math.ceil((Date.now() + START_MS + STOP_BEFORE_MS + 4_000) / 60_000) * 60_000;
    world = await createFaultWorld({
      count: 3,
      spacingMs: 0,
      leadMs: 0,
      deadlineMinutes: 1,
      at: [{ opensAt: new Date(minute - 4_000), closesAt: new Date(minute) }, { opensAt: new Date(minute - 2_000) }, { opensAt: new Date(minute + 1_000) }],
    });
    const [first, second, third] = world.openings as [FaultWorld['openings'][0], FaultWorld['openings'][0], FaultWorld['openings'][0]];
    const bot = world.start();
    // Stopped well before anything is due: on a busy machine this test process may wake seconds late,
    // and a SIGSTOP sent after the first opening would pause nothing that matters.
    await sleep(first.opensAt.getTime() - Date.now() - STOP_BEFORE_MS);
    const startedBeforePause = bot.output().stderr.includes('quota-herald running');
    bot.kill('SIGSTOP');
    const stoppedAt = Date.now();
    // Continue 4 s after the first release closed: the second and third are due but still on time.
    await sleep(first.deadline.getTime() + 4_000 - Date.now());
    bot.kill('SIGCONT');
    const continuedAt = Date.now();
    // Wait for the paused-over posts rather than a fixed time, so the bound below can fail.
    await waitFor(() => world.fakeX.tweets.length >= 2 && world.fakeIg.published.length >= 2, 90_000, () => `the posts paused over to go out (X has ${world.fakeX.tweets.length}, Instagram ${world.fakeIg.published.length}); the bot said:\n${bot.output().stderr.slice(-3_000)}`);
    await sleep(5_000); // time for a wrong second copy to show up
    bot.kill('SIGTERM');
    expect(await exitOf(bot)).toBe(0);

    const verdict = await judge(world, (o) => o === first);
    expect(verdict).toMatchObject({ duplicates: [], missing: [], late: [], ledgerDisagrees: [] });
    expect(verdict.states).toEqual({ expired: 2, published: 4 });
    // They went out at the first wake after the pause, which one 30 s sleep chunk bounds
    // (plus the publish itself: upload, container processing), not at the next re-plan
    // (10 minutes) or a later wake.
    // The premise first: the pause began before anything was due.
    expect(stoppedAt).toBeLessThan(first.opensAt.getTime());
    const sentAt = [...world.fakeX.tweets, ...world.fakeIg.published].map((post) => post.receivedAt.getTime());
    for (const at of sentAt) {
      expect(at).toBeGreaterThanOrEqual(continuedAt);
      expect(at - continuedAt).toBeLessThan(CHUNK_MS + PUBLISH_ALLOWANCE_MS);
    }
    expect(world.fakeX.tweets).toHaveLength(2);
    expect(world.fakeIg.published).toHaveLength(2);
    expect(first.deadline.getTime()).toBeLessThan(continuedAt);
    expect([second.opensAt.getTime(), third.opensAt.getTime()].every((t) => t < continuedAt)).toBe(true);
    console.log(`pause test: paused ${((continuedAt - stoppedAt) / 1000).toFixed(1)} s, ${startedBeforePause ? 'while the schedule loop ran' : 'during start-up'}; sent ${sentAt.map((at) => `${((at - continuedAt) / 1000).toFixed(1)} s`).join(', ')} after SIGCONT`);
  }, 200_000);
});
