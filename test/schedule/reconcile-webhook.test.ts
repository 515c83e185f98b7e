/**
 * Unclear outcomes on the webhook, in-process: the real scheduler and
 * reconciler with the real webhook driver against a receiver that
 * de-duplicates by webhook-id, on a real ledger (SQLite and PostgreSQL). The
 * receiver cannot be asked what it holds, but a resend of the same revision
 * carries the same id: a bot killed after "sending" sends again at once while
 * the post is on time (one copy at the receiver), and past the deadline the
 * post stays `unknown` with one alert — never "expired, not found", which the
 * six-channel kill test caught the old read-back (an empty list) claiming for
 * a post the receiver held.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWebhookChannel } from '../../src/channels/webhook/webhook-channel';
import { createVirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import { requestFor } from '../../src/schedule/ledger-post';
import { claimDue, markAttemptPhase, releaseAllLeases } from '../../src/store/claims';
import { startFakeWebhookServer, type FakeWebhookServer } from '../fakes/fake-webhook-server';
import { DIALECTS, useTestStore } from '../support/databases';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';

const SECRET = `whsec_${Buffer.from('reconcile-webhook-secret-RECOGNISABLE').toString('base64')}`;
const START = new Date('2026-11-27T06:00:00Z');
const TEXT = 'Kuota paspor reguler 120 dibuka Jumat 14.00 WIB.';

describe.each(DIALECTS)('schedule/reconcile with the webhook driver on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let receiver: FakeWebhookServer;
  let dir: string;
  let clock: ReturnType<typeof createVirtualClock>;
  let rig: ReconcileRig;
  let channel: ReturnType<typeof createWebhookChannel>;

  beforeAll(async () => {
    receiver = await startFakeWebhookServer({ secret: SECRET, now: () => clock?.now() ?? new Date() });
  });
  afterAll(async () => receiver.close());
  beforeEach(() => {
    receiver.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-reconcile-webhook-'));
    clock = createVirtualClock(START);
    channel = createWebhookChannel(
      { id: 'situs', driver: 'webhook', platform: 'webhook', url: receiver.url, credentials: { secret: 'WEBHOOK_SECRET' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock, logger: createSilentLogger(), outboxDir: dir, env: { WEBHOOK_SECRET: SECRET }, fetch },
    );
    rig = createReconcileRig({ store: ctx.store, clock, channels: [channel], mediaRoot: dir });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A previous run claimed the post, passed "sending", the receiver stored it (or not), and the run died. */
  async function killedAfterSending(delivered: boolean, restartAfterMs: number): Promise<Date> {
    await rig.seed([{ n: 1, channelId: 'situs', text: TEXT, dueAt: START, deadline: after(START, 60_000) }]);
    const [claimed] = await claimDue(ctx.store, { now: START, owner: 'killed@1', leaseMs: 120_000, limit: 1 });
    await markAttemptPhase(ctx.store, { id: claimed!.id, revision: claimed!.revision, owner: 'killed@1' }, 'sending');
    if (delivered) await channel.publish(requestFor(claimed!, dir));
    const restart = after(START, restartAfterMs);
    await releaseAllLeases(ctx.store, restart);
    return restart;
  }

  it.each([
    ['the receiver stored it', true],
    ['nothing arrived', false],
  ])('a bot killed after "sending" (%s): sent again at once with the same id, one copy at the receiver, published', async (_, delivered) => {
    const restart = await killedAfterSending(delivered, 5_000);
    await rig.tickAt(restart);
    expect(await rig.post(1)).toMatchObject({ state: 'published' });
    expect(receiver.deliveries).toHaveLength(1);
    expect(new Set(receiver.attempts.map((attempt) => attempt.webhookId)).size).toBe(1);
    expect(rig.alerts).toEqual([]);
  });

  it('restarted past the deadline: stays unknown with one alert saying so, never sent late, never "expired, not found"', async () => {
    const restart = await killedAfterSending(true, 90_000);
    await rig.tickAt(restart);
    await rig.tickAt(after(restart, 3_600_000));
    expect(await rig.post(1)).toMatchObject({ state: 'unknown' });
    expect(receiver.attempts).toHaveLength(1);
    expect(rig.alerts.map((alert) => alert.kind)).toEqual(['reconcile-undecided']);
    expect(rig.alerts[0]!.message).toMatch(/could not tell whether post-1 .* reached situs.*never re-sent automatically/s);
  });
});
