/**
 * A thin XRPC caller over Node's fetch (atproto.com/specs/xrpc): queries are
 * `GET /xrpc/<nsid>?…`, procedures `POST /xrpc/<nsid>` with a JSON body (or
 * raw bytes for uploadBlob). The session's JWT travels in the Authorization
 * header only, never in a URL. Failures become an XrpcError carrying what the
 * classifier needs: status, the `{error, message}` envelope (parsed
 * defensively: a proxy may answer HTML), headers, and whether the request may
 * have reached the server.
 */
import { deadlineSignal } from '../../time/deadline-signal';

export type XrpcFailure =
  /** The server answered with an error status. */
  | 'http'
  /** No connection could be made: nothing was sent. */
  | 'refused'
  /** The connection broke or timed out: the request may have been applied. */
  | 'network'
  /** 2xx with a body that is not the JSON we expect. */
  | 'malformed';

export class XrpcError extends Error {
  constructor(
    readonly failure: XrpcFailure,
    message: string,
    readonly nsid: string,
    readonly status: number | null,
    /** The envelope's `error` name (`ExpiredToken`, `InvalidSwap`, …). */
    readonly error: string | null,
    readonly headers: Headers | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'XrpcError';
  }
}

export interface XrpcCall {
  nsid: string;
  method: 'GET' | 'POST';
  params?: Record<string, string | number | boolean | undefined>;
  /** A JSON body, or raw bytes with their content type (uploadBlob). */
  body?: unknown;
  bytes?: { data: Buffer; mime: string };
  /** The JWT to send (access, or refresh for refreshSession); none for public reads. */
  bearer?: string;
  signal?: AbortSignal;
}

export interface XrpcClient {
  readonly origin: string;
  call<T>(call: XrpcCall): Promise<T>;
}

export function createXrpcClient(options: { origin: string; fetch: typeof fetch; timeoutMs: number }): XrpcClient {
  const origin = options.origin.replace(/\/+$/, '');
  return {
    origin,
    async call<T>(call: XrpcCall): Promise<T> {
      const url = new URL(`${origin}/xrpc/${call.nsid}`);
      for (const [key, value] of Object.entries(call.params ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (call.bearer) headers.authorization = `Bearer ${call.bearer}`;
      let body: string | Buffer | undefined;
      if (call.bytes) {
        headers['content-type'] = call.bytes.mime;
        body = call.bytes.data;
      } else if (call.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(call.body);
      }
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(url, { method: call.method, headers, ...(body === undefined ? {} : { body }), signal: deadlineSignal(options.timeoutMs, call.signal) });
        text = await response.text();
      } catch (error) {
        throw networkError(call, error, options.timeoutMs);
      }
      const parsed = parseJson(text);
      if (!response.ok) {
        const envelope = isObject(parsed) ? parsed : {};
        const name = typeof envelope.error === 'string' ? envelope.error : null;
        const message = typeof envelope.message === 'string' ? envelope.message : null;
        const detail = name ? `${name}${message ? `: ${message}` : ''}` : `HTTP ${response.status}`;
        throw new XrpcError('http', `${call.nsid}: ${detail} (HTTP ${response.status})`, call.nsid, response.status, name, response.headers);
      }
      if (!isObject(parsed)) {
        throw new XrpcError('malformed', `${call.nsid}: the answer was not JSON (HTTP ${response.status})`, call.nsid, response.status, null, response.headers);
      }
      return parsed as T;
    },
  };
}

function networkError(call: XrpcCall, error: unknown, timeoutMs: number): XrpcError {
  const code = errorCode(error);
  // Only a refused or unresolvable connection proves nothing was sent.
  const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  const timedOut = (error as Error)?.name === 'TimeoutError';
  const why = timedOut ? `no answer within ${timeoutMs / 1000} s (timeout)` : (code ?? (error as Error)?.message ?? 'network error');
  return new XrpcError(refused ? 'refused' : 'network', `${call.nsid}: ${why}`, call.nsid, null, timedOut ? 'timeout' : null, null, { cause: error });
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
