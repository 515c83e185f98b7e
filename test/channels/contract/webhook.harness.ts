/**
 * The webhook driver in the channel contract suite: the real driver against
 * the fake receiver (signature checked, de-duplication by webhook-id). Its
 * readBack answers [] by design; the suite checks that a resend of the same
 * revision leaves one copy instead (contract/harness.ts `deduplicatesResends`).
 */
import { createWebhookChannel } from '../../../src/channels/webhook/webhook-channel';
import { createSilentLogger } from '../../../src/logger';
import { startFakeWebhookServer, type FakeWebhookServer } from '../../fakes/fake-webhook-server';
import type { ContractClock, DriverHarness } from './harness';

const SECRET = `whsec_${Buffer.from('contract-webhook-secret-0123456789').toString('base64')}`;
let fake: FakeWebhookServer;
let clock: ContractClock | null = null;

export const harness: DriverHarness = {
  name: 'webhook (Standard Webhooks, fake receiver)',
  deduplicatesResends: true,
  async setup() {
    fake = await startFakeWebhookServer({ secret: SECRET, now: () => clock?.now() ?? new Date() });
  },
  async teardown() {
    await fake.close();
  },
  create(dir, testClock) {
    fake.reset();
    clock = testClock;
    return createWebhookChannel(
      { id: 'webhook', driver: 'webhook', platform: 'webhook', url: fake.url, credentials: { secret: 'WEBHOOK_SECRET' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock: testClock, logger: createSilentLogger(), outboxDir: dir, env: { WEBHOOK_SECRET: SECRET }, fetch },
    );
  },
  published: () => fake.deliveries.length,
};
