/**
 * A thin Telegram Bot API caller over Node's fetch: `POST {origin}/bot<token>/<method>`
 * with a JSON or multipart body, answering the `result` of `{"ok":true,…}`.
 *
 * The token sits in the URL path, so no URL, request or fetch error is ever
 * kept: failures become a BotApiError carrying only the method, the HTTP
 * status, Telegram's `description` and `parameters`, and whether the request
 * may have reached Telegram (the unclear rule depends on it).
 */
import { deadlineSignal } from '../../time/deadline-signal';

export type BotApiFailure =
  /** Telegram answered with an error status (`{"ok":false,"error_code",…}`). */
  | 'http'
  /** No connection could be made (refused, unknown host), or we gave up before sending: nothing was sent. */
  | 'refused'
  /** The connection broke or timed out after the request went out: it may have been applied. */
  | 'network'
  /** A 2xx whose body is not `{"ok":true,"result":…}`: it was processed, its outcome unknown. */
  | 'malformed';

export class BotApiError extends Error {
  constructor(
    readonly failure: BotApiFailure,
    readonly method: string,
    message: string,
    readonly status: number | null,
    readonly description: string | null,
    /** `parameters.retry_after` of a 429, in seconds. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
    this.name = 'BotApiError';
  }
}

export interface BotApiOptions {
  /** `https://api.telegram.org`, or a fake on 127.0.0.1. */
  origin: string;
  token: string;
  fetch: typeof fetch;
}

export interface BotApi {
  /** A method with a JSON body (every method but uploads). */
  call<T>(method: string, body: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<T>;
  /** A method with a multipart body (sendPhoto, sendMediaGroup with uploaded files): multipart.ts. */
  upload<T>(method: string, multipart: { body: Buffer; contentType: string }, timeoutMs: number, signal?: AbortSignal): Promise<T>;
}

interface Envelope {
  ok?: unknown;
  result?: unknown;
  description?: unknown;
  error_code?: unknown;
  parameters?: { retry_after?: unknown };
}

export function createBotApi(options: BotApiOptions): BotApi {
  const origin = options.origin.replace(/\/+$/, '');

  async function send<T>(method: string, init: { body: string | Buffer; headers: Record<string, string> }, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new BotApiError('refused', method, `${method}: given up before sending`, null, null, null);
    let response: Response;
    try {
      response = await options.fetch(`${origin}/bot${options.token}/${method}`, { method: 'POST', ...init, signal: deadlineSignal(timeoutMs, signal) });
    } catch (error) {
      throw networkError(method, error, timeoutMs);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw networkError(method, error, timeoutMs, true);
    }
    const body = parseEnvelope(text);
    if (response.ok && body?.ok === true && body.result !== undefined) return body.result as T;
    if (response.ok) {
      throw new BotApiError('malformed', method, `${method}: Telegram answered ${response.status} without {"ok":true,"result":…}`, response.status, null, null);
    }
    const description = typeof body?.description === 'string' ? body.description : null;
    const retryAfter = typeof body?.parameters?.retry_after === 'number' ? body.parameters.retry_after : null;
    throw new BotApiError('http', method, `${method}: ${response.status}${description ? ` "${description}"` : ''}`, response.status, description, retryAfter);
  }

  return {
    call: (method, body, timeoutMs, signal) => send(method, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, timeoutMs, signal),
    upload: (method, multipart, timeoutMs, signal) => send(method, { body: multipart.body, headers: { 'content-type': multipart.contentType } }, timeoutMs, signal),
  };
}

function parseEnvelope(text: string): Envelope | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Envelope) : null;
  } catch {
    return null;
  }
}

/** Only a connection never made proves nothing was sent; the system error code only, never the URL. */
function networkError(method: string, error: unknown, timeoutMs: number, answered = false): BotApiError {
  const code = errorCode(error);
  const refused = !answered && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN');
  const name = (error as { name?: unknown } | null)?.name;
  const why = name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s (timeout)` : name === 'AbortError' ? 'stopped while waiting for the answer' : (code ?? 'network error');
  return new BotApiError(refused ? 'refused' : 'network', method, `${method}: ${why}`, null, null, null);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}
