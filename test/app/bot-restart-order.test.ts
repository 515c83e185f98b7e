/**
 * A bot restarted (systemd after a crash) with posts due: its first calls to the
 * platforms publish them. The account checks of the start wait for the first
 * scheduling round: they are reads that alert staff, and never gate a post.
 * Before, they went out first, beside the start-up work a due post waited for.
 */
import { listPosts } from '../../src/store/ledger';
import { openStore } from '../../src/store/open';
import { createFaultWorld, exitOf, sleep, type FaultWorld } from '../faults/harness';
import { waitFor } from '../support/process';

describe('app/bot: a restarted bot publishes before it checks the accounts', () => {
  let world: FaultWorld;
  afterAll(async () => world?.close());

  it('sends the due posts first, then verifies both accounts', async () => {
    world = await createFaultWorld({ count: 1, spacingMs: 2_000, leadMs: 20_000, deadlineMinutes: 2 });
    const [opening] = world.openings;
    // The first run plans and draws the cards, then dies before the opening.
    const first = world.start();
    const rendered = async (): Promise<boolean> => {
      const store = await openStore({ dataDir: world.dataDir }).catch(() => null);
      if (!store) return false;
      try {
        return (await listPosts(store, { states: ['ready'] })).length === 2;
      } finally {
        await store.close();
      }
    };
    for (let started = Date.now(); !(await rendered()); await sleep(300)) {
      if (Date.now() - started > 60_000 || first.exitCode !== null) throw new Error(`the first run to draw both cards; it said:\n${first.output().stderr.slice(-3_000)}`);
    }
    first.kill('SIGKILL');
    await exitOf(first);
    await sleep(Math.max(0, opening!.opensAt.getTime() - Date.now()));
    world.fakeX.requests.length = 0;
    world.fakeIg.requests.length = 0;

    const restarted = world.start();
    try {
      const xVerified = (): number => world.fakeX.requests.findIndex((r) => r.route === 'GET /2/users/me');
      const igVerified = (): number => world.fakeIg.requests.findIndex((r) => r.route === 'GET /{ig-user-id}');
      await waitFor(() => xVerified() >= 0 && igVerified() >= 0 && world.fakeX.tweets.length === 1 && world.fakeIg.published.length === 1, 60_000, () => `both posts and both account checks; the bot said:\n${restarted.output().stderr.slice(-3_000)}`);
      const xTweeted = world.fakeX.requests.findIndex((r) => r.route === 'POST /2/tweets');
      const igPublished = world.fakeIg.requests.findIndex((r) => r.route === 'POST /{ig-user-id}/media_publish');
      expect(xTweeted).toBeGreaterThanOrEqual(0);
      expect(igPublished).toBeGreaterThanOrEqual(0);
      expect({ x: xTweeted < xVerified(), instagram: igPublished < igVerified() }).toEqual({ x: true, instagram: true });
    } finally {
      restarted.kill('SIGTERM');
      await exitOf(restarted);
    }
  }, 150_000);
});
