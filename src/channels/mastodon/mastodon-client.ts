/**
 * A thin Mastodon REST caller over Node's fetch. The token travels in the
 * `Authorization: Bearer` header only (never in a URL, never in an error);
 * JSON bodies, except the media upload (multipart). Failures become a
 * MastodonRequestError carrying what the classifier needs: HTTP status, the
 * server's `error` text, headers, and whether the request may have arrived.
 */
import { deadlineSignal } from '../../time/deadline-signal';

export interface MastodonClientOptions {
  /** The instance, e.g. `https://mastodon.social` (or a fake on 127.0.0.1). */
  origin: string;
  token: string;
  fetch: typeof fetch;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Called with every answer's headers (rate-limit bookkeeping). */
  onHeaders?: (headers: Headers) => void;
}

export type MastodonFailure =
  /** The server answered with an error status. */
  | 'http'
  /** No connection could be made: nothing was sent. */
  | 'refused'
  /** The connection broke or timed out: the request may have been applied. */
  | 'network'
  /** 2xx with a body that is not the JSON we expect. */
  | 'malformed';

export class MastodonRequestError extends Error {
  constructor(
    readonly failure: MastodonFailure,
    message: string,
    readonly status: number | null,
    /** The `error` field of Mastodon's error body (`{"error":"…"}`), when there was one. */
    readonly serverText: string | null,
    readonly headers: Headers | null,
    /** Why the connection ended, when it did: `timeout`, `ECONNRESET`, … */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'MastodonRequestError';
  }
}

export interface MastodonCall {
  method: 'GET' | 'POST';
  /** `/api/v1/statuses`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface MastodonAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface MastodonClient {
  readonly origin: string;
  call<T>(call: MastodonCall): Promise<MastodonAnswer<T>>;
}

export function createMastodonClient(options: MastodonClientOptions): MastodonClient {
  const origin = options.origin.replace(/\/+$/, '');
  return {
    origin,
    async call<T>(call: MastodonCall): Promise<MastodonAnswer<T>> {
      const url = new URL(origin + call.path);
      for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
      const route = `${call.method} ${url.pathname}`;
      const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json', ...call.headers };
      if (call.json !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      let text: string;
      try {
        // fetch sets the multipart boundary (and an exact Content-Length) itself for FormData.
        response = await options.fetch(url, {
          method: call.method,
          headers,
          ...(call.json !== undefined ? { body: JSON.stringify(call.json) } : call.form ? { body: call.form } : {}),
          signal: deadlineSignal(options.timeoutMs, call.signal),
        });
        options.onHeaders?.(response.headers);
        text = await response.text();
      } catch (error) {
        throw networkError(route, error, options.timeoutMs);
      }
      const body = parseJson(text);
      if (!response.ok) {
        const serverText = isObject(body) && typeof body.error === 'string' ? body.error : null;
        throw new MastodonRequestError('http', `${route}: HTTP ${response.status}${serverText ? ` "${serverText}"` : ''}`, response.status, serverText, response.headers);
      }
      if (!isObject(body)) {
        throw new MastodonRequestError('malformed', `${route}: the answer was not JSON (HTTP ${response.status})`, response.status, null, response.headers);
      }
      return { status: response.status, body: body as T, headers: response.headers };
    },
  };
}

function networkError(route: string, error: unknown, timeoutMs: number): MastodonRequestError {
  const timedOut = isObject(error) && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const code = timedOut ? 'timeout' : errorCode(error) ?? 'network error';
  // Only a refused or unresolvable connection proves nothing was sent.
  const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  const why = code === 'timeout' ? `no answer within ${timeoutMs / 1000} s (timeout)` : code;
  return new MastodonRequestError(refused ? 'refused' : 'network', `${route}: ${why}`, null, null, null, code);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isObject(current); depth += 1) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
