/**
 * The crash test: the bot is killed with SIGKILL at random moments, at least
 * 20 times (every other time while it runs its schedule, so a busy machine's
 * slow start-ups cannot keep it from publishing altogether), while openings
 * fall due every two seconds, and restarted each time. Afterwards the fake platforms and the ledger must show: no post twice,
 * every post whose deadline did not pass while the bot was down published, none
 * after its deadline, and the ledger agreeing with the platforms.
 */
import fs from 'node:fs';
import { filesBelow } from '../support/net';
import { waitFor } from '../support/process';
import { createFaultWorld, exitOf, judge, SECRETS, sleep, type FaultWorld } from './harness';

const KILLS = 20;

describe('faults: SIGKILL at random moments', () => {
  let world: FaultWorld;
  afterAll(async () => world?.close());

  it('never doubles, never loses, never sends late', async () => {
    world = await createFaultWorld({ count: 60, spacingMs: 2_000, leadMs: 12_000, deadlineMinutes: 1 });
    const downtimes: { from: number; to: number }[] = [];
    // A seeded generator: a failing run can be replayed with the same kill moments.
    let seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const seedUsed = seed;

    let bot = world.start();
    const bots = [bot];
    for (let kill = 0; kill < KILLS; kill++) {
      const lifeMs = 1_500 + random() * 4_000;
      if (kill % 2 === 0) {
        // A random moment from the start: may hit start-up (migrations, lease release, re-plan).
        await sleep(lifeMs);
      } else {
        // A random moment of its work (publishing, reconciling). On a busy machine start-up
        // alone can outlast the life above: without these the bot would never publish at all.
        const running = bot;
        await waitFor(() => running.output().stderr.includes('quota-herald running') || running.exitCode !== null, 60_000, () => `run ${kill} to start; it said:\n${running.output().stderr.slice(-3_000)}`);
        await sleep(lifeMs - 1_500);
      }
      bot.kill('SIGKILL');
      await exitOf(bot);
      const down = Date.now();
      await sleep(random() * 1_500);
      downtimes.push({ from: down, to: Date.now() });
      bot = world.start();
      bots.push(bot);
    }
    // Let the last openings fall due, unknown outcomes be reconciled and retries run: until
    // every deadline has passed, each post is either out or expired.
    const last = world.openings[world.openings.length - 1]!;
    await sleep(Math.max(0, last.deadline.getTime() - Date.now()) + 5_000);
    bot.kill('SIGTERM');
    const lastExit = await exitOf(bot);
    if (lastExit !== 0) throw new Error(`the last run exited ${lastExit} on SIGTERM instead of 0; it said:\n${bot.output().stderr.slice(-4_000)}`);

    // An opening is excused only if its whole window fell inside one downtime.
    const verdict = await judge(world, (o) => downtimes.some((d) => d.from <= o.opensAt.getTime() && o.deadline.getTime() <= d.to));
    const report = { seed: seedUsed, kills: KILLS, ...verdict };
    console.log(`crash test: ${JSON.stringify({ seed: seedUsed, kills: KILLS, expected: verdict.expected, published: verdict.published, states: verdict.states })}\n${verdict.whyMissing.join("\n")}`);
    expect(report).toMatchObject({ duplicates: [], missing: [], late: [], ledgerDisagrees: [] });
    expect(verdict.expected).toBe(world.openings.length * 2);

    // Twenty-one runs of logs, the ledger (alerts included) and every other file: no secret
    // (a refreshed token would be in the ledger, encrypted).
    const places: [string, string][] = [
      ...bots.map((b, i): [string, string] => [`run ${i} output`, b.output().stdout + b.output().stderr]),
      ...filesBelow(world.dataDir).map((file): [string, string] => [file, fs.readFileSync(file).toString('latin1')]),
    ];
    for (const [where, text] of places) {
      for (const [name, secret] of Object.entries(SECRETS)) if (text.includes(secret)) throw new Error(`${name} leaked into ${where}`);
    }
  }, 300_000);
});
