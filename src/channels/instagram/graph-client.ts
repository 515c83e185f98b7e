import { deadlineSignal } from '../../time/deadline-signal';
/**
 * A thin Graph API caller over Node's fetch. The token travels in the
 * `Authorization: Bearer` header (never in a URL, so it cannot leak through a
 * logged URL or an error's cause); bodies are form-encoded, as every Graph
 * endpoint accepts. Failures become a GraphRequestError carrying what the
 * classifier needs: HTTP status, Graph code/subcode, headers, and whether the
 * request may have reached the platform.
 */

export interface GraphClientOptions {
  /** Scheme + host (+ port), e.g. `https://graph.instagram.com` or a fake on 127.0.0.1. */
  origin: string;
  /** `v23.0`. */
  version: string;
  fetch: typeof fetch;
  /** The current access token (stored refreshed one or the env one). */
  token: () => Promise<string>;
  /**
   * The platform refused `used` (expired, revoked): true when a different token
   * is now available (another instance refreshed it), and the request is sent
   * once more with it. A refused token means nothing was applied, so a retry
   * cannot double anything.
   */
  refused?: (used: string) => Promise<boolean>;
  /** Per-request timeout. */
  timeoutMs: number;
}

/** The Graph error object: `{error:{message,type,code,error_subcode,fbtrace_id}}`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  error_user_msg?: string;
}

export type GraphFailure =
  /** The platform answered with an error status. */
  | 'http'
  /** No connection could be made: nothing was sent. */
  | 'refused'
  /** The connection broke or timed out: the request may have been applied. */
  | 'network'
  /** 2xx with a body that is not the JSON we expect. */
  | 'malformed';

export class GraphRequestError extends Error {
  constructor(
    readonly failure: GraphFailure,
    message: string,
    readonly status: number | null,
    readonly graph: GraphErrorBody | null,
    readonly headers: Headers | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GraphRequestError';
  }
}

export type GraphParams = Record<string, string | number | boolean | undefined>;

/** A file sent as one part of a multipart body (Facebook's `source`: the bytes themselves, no public URL). */
export interface GraphFile {
  /** The form field, e.g. `source`. */
  field: string;
  bytes: Uint8Array;
  mime: string;
  filename: string;
}

export interface GraphClient {
  get<T>(path: string, params?: GraphParams, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, params: GraphParams, signal?: AbortSignal): Promise<T>;
  /** POST as multipart/form-data: `params` as text fields, then `file`. */
  upload<T>(path: string, params: GraphParams, file: GraphFile, signal?: AbortSignal): Promise<T>;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const origin = options.origin.replace(/\/+$/, '');

  async function call<T>(method: 'GET' | 'POST', path: string, params: GraphParams, signal?: AbortSignal, retried = false, file?: GraphFile): Promise<T> {
    const url = new URL(`${origin}/${options.version}/${path.replace(/^\/+/, '')}`);
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      (method === 'GET' ? url.searchParams : form).set(key, String(value));
    }
    const token = await options.token();
    let response: Response;
    try {
      response = await options.fetch(url, {
        method,
        // A multipart body sets its own content-type (with the boundary).
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(method === 'POST' && !file ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(method === 'POST' ? { body: file ? multipartBody(form, file) : form.toString() } : {}),
        signal: deadlineSignal(options.timeoutMs, signal),
      });
    } catch (error) {
      throw networkError(method, url.pathname, error, options.timeoutMs);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw networkError(method, url.pathname, error, options.timeoutMs);
    }
    const body = parseJson(text);
    if (!response.ok) {
      const graph = isObject(body) && isObject(body.error) ? (body.error as GraphErrorBody) : null;
      if (!retried && options.refused && isTokenRefusal(response.status, graph) && (await options.refused(token))) {
        return call<T>(method, path, params, signal, true, file);
      }
      const detail = graph ? `${graph.message ?? 'error'} (code ${graph.code ?? '?'}${graph.error_subcode ? `/${graph.error_subcode}` : ''})` : `HTTP ${response.status}`;
      throw new GraphRequestError('http', `${method} ${url.pathname}: ${detail}`, response.status, graph, response.headers);
    }
    if (!isObject(body)) {
      throw new GraphRequestError('malformed', `${method} ${url.pathname}: the answer was not JSON (HTTP ${response.status})`, response.status, null, response.headers);
    }
    return body as T;
  }

  return {
    get: (path, params = {}, signal) => call('GET', path, params, signal),
    post: (path, params, signal) => call('POST', path, params, signal),
    upload: (path, params, file, signal) => call('POST', path, params, signal, false, file),
  };
}

/** The text fields, then the file: a fresh body for each attempt (a FormData is read once). */
function multipartBody(fields: URLSearchParams, file: GraphFile): FormData {
  const body = new FormData();
  for (const [key, value] of fields) body.append(key, value);
  body.append(file.field, new Blob([file.bytes], { type: file.mime }), file.filename);
  return body;
}

/** The token itself was refused (the same test as graph-errors.ts uses for 'auth'). */
function isTokenRefusal(status: number, graph: GraphErrorBody | null): boolean {
  return graph?.code === 190 || graph?.code === 102 || status === 401;
}

function networkError(method: string, pathname: string, error: unknown, timeoutMs: number): GraphRequestError {
  const code = errorCode(error);
  // Only a refused/unresolvable connection proves nothing was sent.
  const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  const why = (error as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s (timeout)` : code ?? (error as Error)?.message ?? 'network error';
  return new GraphRequestError(refused ? 'refused' : 'network', `${method} ${pathname}: ${why}`, null, null, null, { cause: error });
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
