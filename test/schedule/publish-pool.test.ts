/**
 * A busy minute: many posts due at the same instant all go out in one tick,
 * each channel's in due order, and a platform that hangs holds up only its
 * own channel. Real ledger, the real X driver against the fake X server (which
 * hangs), real outbox channels for the rest, a virtual clock.
 */
import path from 'node:path';
import type { Channel } from '../../src/channels/channel';
import { createOutboxChannel, readOutbox, OUTBOX_FILE } from '../../src/channels/outbox/outbox-channel';
import { createSilentLogger } from '../../src/logger';
import { listPosts } from '../../src/store/ledger';
import { DIALECTS, useTestStore } from '../support/databases';
import { START, startXRig, type XRig } from '../channels/x/x-harness';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';

const CREATE = 'POST /2/tweets';
/** More channels than the old batch of 20 posts per tick, two posts each. */
const OUTBOX_CHANNELS = 30;
const POSTS_PER_CHANNEL = 2;

describe.each(DIALECTS)('schedule: many posts due at one instant (%s)', (dialect) => {
  const ctx = useTestStore(dialect);
  let x: XRig;
  let rig: ReconcileRig;
  let outboxes: Channel[];

  beforeEach(async () => {
    x = await startXRig();
    outboxes = Array.from({ length: OUTBOX_CHANNELS }, (_, i) =>
      createOutboxChannel(
        { id: `outbox-${i + 1}`, driver: 'outbox', platform: 'x', credentials: {}, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
        { clock: x.clock, logger: createSilentLogger(), outboxDir: x.dir, env: {}, fetch },
      ),
    );
    rig = createReconcileRig({ store: ctx.store, clock: x.clock, channels: [x.channel, ...outboxes], mediaRoot: x.dir });
  });
  afterEach(async () => x.close());

  it('publishes every due post in one tick, one channel in due order, while X hangs', async () => {
    const seeds = [{ n: 1, channelId: 'x', text: 'Kuota paspor dibuka (X)', media: [], dueAt: START, deadline: after(START, 3_600_000) }];
    for (let c = 0; c < OUTBOX_CHANNELS; c++) {
      for (let k = 0; k < POSTS_PER_CHANNEL; k++) {
        const n = 100 + c * POSTS_PER_CHANNEL + k;
        // The second post of each channel is due a second earlier: due order, not id order.
        seeds.push({ n, channelId: `outbox-${c + 1}`, text: `Kuota ${n}`, media: [], dueAt: after(START, (POSTS_PER_CHANNEL - k) * -1_000), deadline: after(START, 3_600_000) });
      }
    }
    await rig.seed(seeds);
    x.server.faults.push({ route: CREATE, hang: true });
    const hanging = new Promise<void>((resolve) => x.server.events.on('request', (r: { route: string }) => r.route === CREATE && resolve()));

    x.clock.set(START);
    const tick = rig.scheduler.tick();
    await hanging;
    // X has not answered, and every outbox post is out already: nothing waited for X.
    const outbox = (): ReturnType<typeof readOutbox> => readOutbox(path.join(x.dir, OUTBOX_FILE));
    await until(() => outbox().length === OUTBOX_CHANNELS * POSTS_PER_CHANNEL);
    for (let c = 1; c <= OUTBOX_CHANNELS; c++) {
      const mine = outbox().filter((r) => r.channel === `outbox-${c}`);
      expect(mine.map((r) => r.scheduledAt)).toEqual([after(START, -2_000).toISOString(), after(START, -1_000).toISOString()]);
    }
    expect((await rig.post(1)).state).toBe('claimed');

    rig.timeouts.forEach((t) => t.abort());
    // One tick did it all: the posts it claimed, X's included, and nothing left due.
    expect(await tick).toBe(1 + OUTBOX_CHANNELS * POSTS_PER_CHANNEL);
    expect(await listPosts(ctx.store, { states: ['published'] })).toHaveLength(OUTBOX_CHANNELS * POSTS_PER_CHANNEL);
    expect((await rig.post(1)).state).not.toBe('claimed');
  });
});

/** Polls with real I/O in between; fails after 10 s of real time. */
async function until(probe: () => boolean): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > 10_000) throw new Error('timed out waiting for the outbox');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
