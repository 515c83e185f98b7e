/**
 * The webhook as a fault platform: the fake receiver
 * (test/fakes/fake-webhook-server.ts), which verifies signatures and
 * de-duplicates by webhook-id as receivers must. It cannot be read back, and
 * needs not be: an unclear delivery (a drop, a bot killed mid-request) is sent
 * again with the same webhook-id, and the receiver keeps one copy.
 */
import { startFakeWebhookServer, WEBHOOK_ROUTE } from '../../fakes/fake-webhook-server';
import type { ArmedFault, StartPlatform } from './platform';

const SECRETS = { SIX_WEBHOOK_SECRET: `whsec_${Buffer.from('six-webhook-secret-RECOGNISABLE-0123').toString('base64')}` };

export const startPlatform: StartPlatform = async () => {
  const fake = await startFakeWebhookServer({ secret: SECRETS.SIX_WEBHOOK_SECRET });
  return {
    id: 'webhook',
    secrets: SECRETS,
    channelYaml: `{ id: webhook, driver: webhook, url: "${fake.url}", credentials: { secret: SIX_WEBHOOK_SECRET } }`,
    published: () => fake.deliveries.map((delivery) => ({ text: delivery.body.text, at: delivery.receivedAt, remoteId: delivery.receiptId })),
    // Every request is a POST to the one path (pings come only from check --online).
    calls: () => fake.attempts.map(() => WEBHOOK_ROUTE),
    createRoute: WEBHOOK_ROUTE,
    arm(fault: ArmedFault) {
      switch (fault) {
        case 'server-error':
          fake.faults.push({ status: 503 });
          return true;
        case 'rate-limit':
          fake.faults.push({ status: 429, headers: { 'retry-after': '2' } });
          return true;
        case 'drop-after-create':
          fake.faults.push({ drop: true, afterEffect: true });
          return true;
        case 'slow':
          fake.faults.push({ delayMs: 3_000 });
          return true;
      }
    },
    close: () => fake.close(),
  };
};
