/**
 * Builds a twitter-api-v2 client for one operation. The library has no base-URL
 * setting, so a plugin rewrites each request's target (PLATFORMS.md, "test
 * seam"): the OAuth 1.0a signature is computed over the real URL first
 * (https://api.x.com/2/…), exactly as X would verify it, and only the socket
 * goes elsewhere (a proxy, or a fake X on 127.0.0.1).
 */
import http from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin, type TwitterApiv2 } from 'twitter-api-v2';
import type { HeaderBag } from './x-rate-limits';
import type { XCredentials } from './x-credentials';
import { deadlineSignal } from '../../time/deadline-signal';

export interface XClientOptions {
  /** Where requests really go; absent means X itself (TLS verified by Node's defaults). */
  baseUrl?: URL;
  /** Shared keep-alive agent for `http:` targets (a fake server); https targets use Node's default agent. */
  httpAgent?: http.Agent;
  /** Aborts the request in flight (the scheduler's timeout). */
  signal?: AbortSignal;
  /**
   * Each request gives up after this long, whatever `signal` does: X that
   * accepts the connection and never answers would otherwise hold the caller forever.
   */
  timeoutMs?: number;
  /** Called with every answer's headers, errors included, keyed `METHOD /2/path` with `:id` templates. */
  onHeaders?: (endpoint: string, headers: HeaderBag) => void;
}

/** `POST /2/media/upload/:id/append`: the endpoint as called, before ids are filled in. */
export function endpointOf(method: string, templateUrl: string): string {
  const path = templateUrl.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? '';
  return `${method.toUpperCase()} ${path}`;
}

function redirectPlugin(options: XClientOptions): ITwitterApiClientPlugin {
  const base = options.baseUrl;
  const basePath = base ? base.pathname.replace(/\/+$/, '') : '';
  return {
    onBeforeRequest({ computedParams, requestOptions }) {
      if (base) {
        const url = computedParams.url;
        url.protocol = base.protocol;
        url.hostname = base.hostname;
        url.port = base.port;
        if (basePath !== '') url.pathname = basePath + url.pathname;
      }
      // https.request() accepts an AbortSignal; the library passes these options through.
      // The timeout starts here, per request, so a long media upload is not cut short as a whole.
      const signal = options.timeoutMs === undefined ? options.signal : deadlineSignal(options.timeoutMs, options.signal);
      if (signal) requestOptions.signal = signal;
    },
    onAfterRequest({ params, response }) {
      options.onHeaders?.(endpointOf(params.method, params.url), response.headers);
    },
    onResponseError({ params, error }) {
      options.onHeaders?.(endpointOf(params.method, params.url), error.headers);
    },
  };
}

/** A read-write v2 client signing as the office account. Cheap: no I/O until a call. */
export function createXClient(credentials: XCredentials, options: XClientOptions = {}): TwitterApiv2 {
  const useHttpAgent = options.baseUrl?.protocol === 'http:';
  const client = new TwitterApi(
    {
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      accessToken: credentials.accessToken,
      accessSecret: credentials.accessSecret,
    },
    {
      plugins: [redirectPlugin(options)],
      // https.request() refuses an http: URL unless it is given an http agent.
      ...(useHttpAgent ? { httpAgent: options.httpAgent ?? new http.Agent({ keepAlive: true }) } : {}),
    },
  );
  return client.v2;
}
