/**
 * Who may read /metrics. It tells outsiders how busy each office is, which
 * accounts are near their caps and when tokens expire, so it is not public:
 *
 * - a scraper on this machine (loopback, not through a proxy) may read it;
 * - anyone else needs `Authorization: Bearer <token>`, where the token is the
 *   value of the environment variable `settings.web.metricsToken` names
 *   (Prometheus: `authorization: { credentials_file: … }`);
 * - without a token configured, nobody else.
 *
 * A request that came through a reverse proxy on this machine also arrives
 * from 127.0.0.1: a request with any forwarding header (X-Forwarded-For,
 * Forwarded, X-Real-IP) never counts as loopback, whatever `trustProxy` says,
 * so a proxy that forwards the internet to us does not open /metrics to it.
 */
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Tokens shorter than this are refused at start: they could be guessed. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

export type MetricsAccessDecision = 'allowed' | 'token-required' | 'loopback-only';

export interface MetricsRequest {
  /** The client address as Fastify resolved it (through trusted proxies). */
  ip: string;
  /** The TCP peer. */
  peer: string | undefined;
  headers: IncomingHttpHeaders;
}

export function decideMetricsAccess(request: MetricsRequest, token: string | null): MetricsAccessDecision {
  if (isLoopback(request.ip) && isLoopback(request.peer) && !isForwarded(request.headers)) return 'allowed';
  if (token === null) return 'loopback-only';
  return bearerMatches(request.headers.authorization, token) ? 'allowed' : 'token-required';
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

function isForwarded(headers: IncomingHttpHeaders): boolean {
  return headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined;
}

/** Compared as digests in constant time: neither the token's length nor a prefix leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (text: string): Buffer => crypto.createHash('sha256').update(text).digest();
  return crypto.timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * The token `settings.web.metricsToken` names, from the environment; null
 * when none is configured. A named variable that is missing or too short is
 * reported (`problem`) and treated as no token: /metrics stays loopback only.
 */
export function resolveMetricsToken(variable: string | undefined, env: Readonly<Record<string, string | undefined>>): { token: string | null; problem?: string } {
  if (variable === undefined) return { token: null };
  const value = env[variable]?.trim();
  if (!value) return { token: null, problem: `settings.web.metricsToken names ${variable}, which is not set: /metrics answers loopback only; set ${variable} in .env (e.g. \`openssl rand -hex 32\`) and restart` };
  if (value.length < MIN_METRICS_TOKEN_LENGTH) {
    return { token: null, problem: `${variable} is shorter than ${MIN_METRICS_TOKEN_LENGTH} characters, too easy to guess: /metrics answers loopback only; set a longer one (e.g. \`openssl rand -hex 32\`) and restart` };
  }
  return { token: value };
}
