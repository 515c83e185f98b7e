/**
 * A fake webhook receiver on 127.0.0.1 that behaves as docs/channels/webhook.md
 * asks a real one to: it verifies the Standard Webhooks signature over the raw
 * body (its own node:crypto code, written from the spec, not the driver's),
 * refuses timestamps more than 5 minutes off, de-duplicates by `webhook-id`
 * (a repeat gets the first answer's receipt and is not published again),
 * answers `quota-herald.ping` without publishing, and misbehaves on request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const WEBHOOK_PATH = '/hooks/quota-herald';
export const WEBHOOK_ROUTE = `POST ${WEBHOOK_PATH}`;

/** One misbehaviour, used by the next `times` (default 1) post deliveries (pings are never faulted). */
export interface WebhookFault {
  /** Answer with this status (and `headers`, `body`). */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long (real time) before answering. */
  delayMs?: number;
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** Publish the post first (as a receiver that crashed after storing it), then misbehave. */
  afterEffect?: boolean;
  times?: number;
}

export interface FakeWebhookDelivery {
  webhookId: string;
  /** The receiver's own id, returned as `id` in the receipt. */
  receiptId: string;
  url: string;
  /** The parsed body. */
  body: { type: string; text: string; post: { id: string; revision: number }; cards: { url: string; sha256: string; bytes: number; alt: string }[] } & Record<string, unknown>;
  /** Wall time the request arrived (headers read). */
  receivedAt: Date;
}

export interface FakeWebhookAttempt {
  webhookId: string | null;
  timestamp: string | null;
  signature: string | null;
  /** What the receiver did: `published`, `duplicate`, `ping`, `bad-signature`, `stale-timestamp`, `fault`, … */
  outcome: string;
  status: number | null;
  bodyBytes: number;
  receivedAt: Date;
}

export interface FakeWebhookServer {
  /** `http://127.0.0.1:PORT/hooks/quota-herald`: the channel's url. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** What the receiver published, once per webhook-id. */
  readonly deliveries: FakeWebhookDelivery[];
  /** Every request, answered or not. */
  readonly attempts: FakeWebhookAttempt[];
  readonly faults: WebhookFault[];
  /** Emits `attempt` (FakeWebhookAttempt) on arrival of every request, `delivery` once one is published. */
  readonly events: EventEmitter;
  /** Answer 2xx with a JSON receipt `{ id, url }` (default) or with an empty 204. */
  receipts: boolean;
  /** The receiver's clock for the ±5 minute window (default: real time). */
  now: () => Date;
  /** The receiver now verifies with another secret: every request answers 401. */
  changeSecret(secret: string): void;
  reset(): void;
  close(): Promise<void>;
}

const TOLERANCE_SECONDS = 300;

/** Verifies `webhook-signature` against `secrets` (whsec_…), as the spec describes it. */
export function verifyStandardWebhook(secrets: readonly string[], id: string, timestamp: string, rawBody: Buffer, header: string): boolean {
  for (const secret of secrets) {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), rawBody])).digest();
    for (const entry of header.split(' ')) {
      const [version, value] = entry.split(',');
      if (version !== 'v1' || !value) continue;
      const given = Buffer.from(value, 'base64');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    }
  }
  return false;
}

export async function startFakeWebhookServer(options: { secret: string; now?: () => Date }): Promise<FakeWebhookServer> {
  let secrets = [options.secret];
  const events = new EventEmitter();
  const byId = new Map<string, FakeWebhookDelivery>();
  let nextReceipt = 1;

  const fake: FakeWebhookServer = {
    url: '',
    origin: '',
    deliveries: [],
    attempts: [],
    faults: [],
    events,
    receipts: true,
    now: options.now ?? (() => new Date()),
    changeSecret: (secret) => void (secrets = [secret]),
    reset: () => {
      for (const list of [fake.deliveries, fake.attempts, fake.faults]) list.length = 0;
      byId.clear();
      secrets = [options.secret];
      fake.receipts = true;
    },
    close: async () => undefined,
  };

  function takeFault(): WebhookFault | null {
    const fault = fake.faults[0];
    if (!fault) return null;
    const times = (fault.times ?? 1) - 1;
    if (times <= 0) fake.faults.shift();
    else fake.faults[0] = { ...fault, times };
    return fault;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, receivedAt: Date): Promise<void> {
    const header = (name: string): string | null => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : null;
    };
    const attempt: FakeWebhookAttempt = { webhookId: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature'), outcome: 'pending', status: null, bodyBytes: 0, receivedAt };
    fake.attempts.push(attempt);
    events.emit('attempt', attempt);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    attempt.bodyBytes = raw.length;
    const answer = (status: number, outcome: string, body: unknown = null, headers: Record<string, string> = {}): void => {
      attempt.status = status;
      attempt.outcome = outcome;
      const text = body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { ...(text === '' ? {} : { 'content-type': 'application/json' }), ...headers }).end(text);
    };

    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://fake').pathname !== WEBHOOK_PATH) return answer(404, 'not-found', { error: 'not found' });
    const { webhookId: id, timestamp, signature } = attempt;
    if (!id || !timestamp || !/^\d+$/.test(timestamp) || !signature) return answer(400, 'missing-headers', { error: 'webhook-id, webhook-timestamp and webhook-signature are required' });
    if (Math.abs(Math.floor(fake.now().getTime() / 1000) - Number(timestamp)) > TOLERANCE_SECONDS) return answer(401, 'stale-timestamp', { error: 'timestamp outside the tolerance' });
    if (!verifyStandardWebhook(secrets, id, timestamp, raw, signature)) return answer(401, 'bad-signature', { error: 'invalid signature' });
    if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) return answer(415, 'not-json', { error: 'expected application/json' });
    const body = JSON.parse(raw.toString('utf8')) as FakeWebhookDelivery['body'];
    if (body.type !== 'quota-herald.post') return answer(200, 'ping', { ok: true });

    const fault = takeFault();
    const receipt = (delivery: FakeWebhookDelivery): unknown => (fake.receipts ? { id: delivery.receiptId, url: delivery.url } : null);
    const publish = (): { delivery: FakeWebhookDelivery; repeat: boolean } => {
      const seen = byId.get(id);
      if (seen) return { delivery: seen, repeat: true };
      const receiptId = `rcv_${String(nextReceipt++).padStart(5, '0')}`;
      const delivery: FakeWebhookDelivery = { webhookId: id, receiptId, url: `https://humas.example.go.id/pengumuman/${receiptId}`, body, receivedAt };
      byId.set(id, delivery);
      fake.deliveries.push(delivery);
      events.emit('delivery', delivery);
      return { delivery, repeat: false };
    };
    if (fault?.afterEffect) publish();
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.hang) {
      attempt.outcome = 'fault: hang';
      return;
    }
    if (fault?.drop) {
      attempt.outcome = 'fault: dropped';
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) return answer(fault.status, 'fault', fault.body ?? { error: `status ${fault.status}` }, fault.headers);
    const { delivery, repeat } = publish();
    answer(fake.receipts ? 200 : 204, repeat ? 'duplicate' : 'published', receipt(delivery));
  }

  const server = http.createServer((req, res) => {
    const receivedAt = new Date();
    handle(req, res, receivedAt).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(fake, {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return fake;
}
