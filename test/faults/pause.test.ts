/**
 * The process is paused (SIGSTOP, as a suspended VM or a stuck host would)
 * across due times and past a deadline, then continued: what is still worth
 * sending goes out once, at once; what is past its deadline expires; nothing
 * fires twice.
 */
import { waitFor } from '../support/process';
import { createFaultWorld, exitOf, judge, sleep, type FaultWorld } from './harness';

/** The longest the schedule loop sleeps at a time (bot.ts). */
const CHUNK_MS = 30_000;
const PUBLISH_ALLOWANCE_MS = 5_000;

describe('faults: SIGSTOP / SIGCONT across due times', () => {
  let world: FaultWorld;
  afterAll(async () => world?.close());

  it('sends what is still on time after the pause, expires the rest, doubles nothing', async () => {
    // Openings at t0, t0+30 s, t0+60 s, each worthless one minute after opening.
    world = await createFaultWorld({ count: 3, spacingMs: 30_000, leadMs: 12_000, deadlineMinutes: 1 });
    const [first, second, third] = world.openings as [FaultWorld['openings'][0], FaultWorld['openings'][0], FaultWorld['openings'][0]];
    const bot = world.start();
    await sleep(first.opensAt.getTime() - Date.now() - 3_000);
    bot.kill('SIGSTOP');
    const stoppedAt = Date.now();
    // Continue 5 s after the first opening's deadline: the second and third are due but still on time.
    await sleep(first.deadline.getTime() + 5_000 - Date.now());
    bot.kill('SIGCONT');
    const continuedAt = Date.now();
    // Wait for the paused-over posts rather than a fixed time, so the bound below can fail.
    await waitFor(() => world.fakeX.tweets.length >= 2 && world.fakeIg.published.length >= 2, 90_000, () => `the posts paused over to go out (X has ${world.fakeX.tweets.length}, Instagram ${world.fakeIg.published.length}); the bot said:\n${bot.output().stderr.slice(-3_000)}`);
    await sleep(Math.max(0, continuedAt + 12_000 - Date.now())); // time for a wrong second copy to show up
    bot.kill('SIGTERM');
    expect(await exitOf(bot)).toBe(0);

    const verdict = await judge(world, (o) => o === first);
    expect(verdict).toMatchObject({ duplicates: [], missing: [], late: [], ledgerDisagrees: [] });
    expect(verdict.states).toEqual({ expired: 2, published: 4 });
    // They went out at the first wake after the pause, which one 30 s sleep chunk bounds
    // (plus the publish itself: upload, container processing), not at the next re-plan
    // (10 minutes) or a later wake.
    const sentAt = [...world.fakeX.tweets, ...world.fakeIg.published].map((post) => post.receivedAt.getTime());
    for (const at of sentAt) {
      expect(at).toBeGreaterThanOrEqual(continuedAt);
      expect(at - continuedAt).toBeLessThan(CHUNK_MS + PUBLISH_ALLOWANCE_MS);
    }
    expect(world.fakeX.tweets).toHaveLength(2);
    expect(world.fakeIg.published).toHaveLength(2);
    expect(stoppedAt).toBeLessThan(first.opensAt.getTime());
    expect([second.opensAt.getTime(), third.opensAt.getTime()].every((t) => t < continuedAt)).toBe(true);
  }, 200_000);
});
