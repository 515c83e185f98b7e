/**
 * The webhook driver: each post revision is POSTed as signed JSON (Standard
 * Webhooks) to the address the office names (docs/channels/webhook.md). Plain
 * `fetch`: one request, no client library worth its weight.
 *
 * Delivery is "at least once, de-duplicated by the receiver": every attempt of
 * a revision carries the same `webhook-id`, so a 5xx, a timeout or a bot killed
 * mid-request is answered by sending again, never by guessing. readBack
 * therefore answers [] on purpose (a receiver cannot be read back, and "not
 * found" here means "send again", which is exactly what is safe).
 */
import type { ChannelConfig } from '../../config/types';
import type { Problem } from '../../errors';
import { AppError } from '../../errors';
import { postLogger } from '../../logger';
import { deadlineSignal } from '../../time/deadline-signal';
import { readCardFromDisk } from '../card-bytes';
import { DEFAULT_REQUEST_TIMEOUT_MS, type AccountReport, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { checkRenderedPost } from '../check-post';
import { limitsFor } from '../platform-limits';
import { PublishError } from '../publish-error';
import { classifyAnswer, classifyNoAnswer, type AnswerContext } from './webhook-errors';
import { buildPostBody, PING_EVENT, webhookIdOf } from './webhook-payload';
import { parseWebhookSecret, signWebhook } from './webhook-signature';
import { webhookTarget, webhookUrlProblem } from './webhook-url';

/** The resolved settings of one webhook channel: the keys, never the secrets' text. */
export interface WebhookSettings {
  target: URL;
  /** The url as configured (for messages: the origin only, a path may hold the receiver's token). */
  origin: string;
  secretVariable: string;
  /** Current key first; the previous one while a secret is rotated. */
  keys: Buffer[];
}

interface Delivery {
  status: number;
  retryAfter: string | null;
  json: unknown;
}

export function createWebhookChannel(config: ChannelConfig, deps: ChannelDeps): Channel {
  const settings = resolveWebhookSettings(config, deps.env);
  const limits = limitsFor(config);
  const timeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const readCard = deps.readCard ?? readCardFromDisk;
  const context = (now: Date): AnswerContext => ({ now, secretVariable: settings.secretVariable, target: settings.origin });

  /** One signed POST; any failure to get an answer is a PublishError (transient). */
  async function send(id: string, body: string, signal?: AbortSignal): Promise<Delivery> {
    const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
    let response: Response;
    try {
      response = await deps.fetch(settings.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'quota-herald',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(settings.keys, id, timestamp, body),
        },
        body,
        // The signature covers this address; a redirect is the receiver's misconfiguration.
        redirect: 'manual',
        signal: deadlineSignal(timeoutMs, signal),
      });
    } catch (error) {
      throw classifyNoAnswer(error, context(deps.clock.now()), timeoutMs);
    }
    // A receipt is optional; an unreadable or cut-off one does not undo a 2xx.
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
  }

  return {
    id: config.id,
    driver: 'webhook',
    // Every retry carries the same webhook-id and receivers must de-duplicate by it (docs/channels/webhook.md).
    resendsSafely: true,
    limits,
    check: (post) => checkRenderedPost(post, limits, config.platform),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      const id = webhookIdOf(request);
      const body = await buildPostBody(request, config.id, readCard, deps.publicMediaUrl);
      await request.checkpoint?.('sending');
      const answer = await send(id, body, signal);
      if (answer.status < 200 || answer.status >= 300) throw classifyAnswer(answer.status, answer.retryAfter, context(deps.clock.now()));
      const receipt = readReceipt(answer.json);
      const publishedAt = deps.clock.now();
      postLogger(deps.logger, request).info({ remoteId: receipt.id ?? id, status: answer.status }, 'delivered to the webhook');
      return { remoteId: receipt.id ?? id, url: receipt.url, publishedAt };
    },

    // Deliberately empty: see the header. The reconciler then resends an unclear
    // attempt (a bot killed mid-request) after its settle delay, with the same id.
    readBack: async (): Promise<RemotePost[]> => [],

    async verify(now: Date, signal?: AbortSignal): Promise<AccountReport> {
      const problems: Problem[] = [];
      const details = [`receiver: ${settings.origin}`, `signed with ${settings.keys.length === 2 ? 'two secrets (rotation)' : 'one secret'} from ${settings.secretVariable}`];
      details.push(deps.publicMediaUrl ? 'cards travel as links to the media server' : 'cards travel inline as data: URLs (no settings.mediaServer): bodies up to 10 MB');
      // A signed ping: the receiver proves address, TLS and secret, and publishes nothing.
      const body = JSON.stringify({ type: PING_EVENT, channel: config.id, sentAt: now.toISOString() });
      try {
        const answer = await send(`qh_ping_${Math.floor(now.getTime() / 1000)}`, body, signal);
        if (answer.status >= 200 && answer.status < 300) details.push(`the receiver accepted a signed ${PING_EVENT} (${answer.status})`);
        else problems.push({ severity: 'error', message: `webhook check failed: ${classifyAnswer(answer.status, answer.retryAfter, context(now)).message}` });
      } catch (error) {
        const failure = error instanceof PublishError ? error : classifyNoAnswer(error, context(now), timeoutMs);
        problems.push({ severity: 'error', message: `webhook check failed: ${failure.message}` });
      }
      return { channelId: config.id, account: settings.origin, details, tokenExpiresAt: null, problems };
    },
  };
}

/** `{ "id": "…", "url": "https://…" }` from a 2xx body, each only when it is what it says. */
function readReceipt(json: unknown): { id: string | null; url: string | null } {
  if (!json || typeof json !== 'object') return { id: null, url: null };
  const { id, url } = json as { id?: unknown; url?: unknown };
  const validId = typeof id === 'string' && id.trim() !== '' && id.length <= 200 ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : null;
  const validUrl = typeof url === 'string' && /^https?:\/\/\S+$/.test(url) ? url : null;
  return { id: validId, url: validUrl };
}

/** Url, target and keys; a missing or malformed secret is a config error naming its variable (never its value). */
export function resolveWebhookSettings(config: ChannelConfig, env: ChannelDeps['env']): WebhookSettings {
  const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
  if (!config.url) throw new AppError('config-invalid', `${where}: channel "${config.id}" needs url: the receiver's https address`);
  const urlProblem = webhookUrlProblem(config.url);
  if (urlProblem) throw new AppError('config-invalid', `${where}: channel "${config.id}": ${urlProblem}`);
  const secretVariable = config.credentials.secret;
  if (!secretVariable) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs credentials.secret: the NAME of the env variable holding the signing secret (e.g. WEBHOOK_SECRET)`);
  }
  const keys: Buffer[] = [];
  for (const variable of [secretVariable, config.credentials.previousSecret]) {
    if (!variable) continue;
    const value = env[variable];
    if (!value) {
      if (variable !== secretVariable) continue; // the previous secret is optional: rotation has ended
      throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${variable} is not set: put the signing secret in .env as ${variable}=whsec_… (make one with: echo "whsec_$(openssl rand -base64 32)")`);
    }
    const parsed = parseWebhookSecret(value);
    if ('problem' in parsed) {
      throw new AppError('config-invalid', `channel "${config.id}": the value of ${variable} ${parsed.problem}: it must be whsec_ followed by base64 of 24–64 random bytes (make one with: echo "whsec_$(openssl rand -base64 32)")`);
    }
    keys.push(parsed.key);
  }
  return { target: webhookTarget(config.url, config.baseUrl), origin: new URL(config.url).origin, secretVariable, keys };
}
