/**
 * OAuth 1.0a verification as X does it (RFC 5849, HMAC-SHA1): the fake knows
 * both secrets, rebuilds the signature base string over the URL the client
 * signed (the real X host, not the fake's address) and compares.
 */
import crypto from 'node:crypto';

export interface OAuthKeys {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

/** RFC 3986 percent-encoding, as OAuth 1.0a requires (stricter than encodeURIComponent). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `OAuth k="v", …` → its decoded parameters; null when the header is not OAuth. */
export function parseOAuthHeader(header: string | undefined): Map<string, string> | null {
  if (!header || !/^OAuth\s/i.test(header)) return null;
  const params = new Map<string, string>();
  for (const match of header.slice(6).matchAll(/([A-Za-z0-9_%.~-]+)="([^"]*)"/g)) {
    params.set(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
  }
  return params;
}

/** `a=1&b=2` → pairs, decoded the OAuth way (`+` is not a space in signed queries). */
export function decodePairs(query: string): [string, string][] {
  if (query === '') return [];
  return query.split('&').map((pair) => {
    const [key = '', value = ''] = pair.split('=');
    return [decodeURIComponent(key.replace(/\+/g, ' ')), decodeURIComponent(value.replace(/\+/g, ' '))];
  });
}

/** The signature base string of RFC 5849 §3.4.1. */
export function signatureBaseString(method: string, baseUrl: string, params: [string, string][]): string {
  const normalized = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUrl)}&${percentEncode(normalized)}`;
}

export type OAuthVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks one request's Authorization header. `signedUrl` is the URL without
 * query as the client saw it (`https://api.x.com/2/tweets`); `params` are the
 * query and, for form-encoded bodies only, the body parameters.
 */
export function verifyOAuth1(
  keys: OAuthKeys,
  method: string,
  signedUrl: string,
  params: [string, string][],
  header: string | undefined,
  seenNonces: Set<string>,
): OAuthVerdict {
  const oauth = parseOAuthHeader(header);
  if (!oauth) return { ok: false, reason: 'no OAuth Authorization header' };
  if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') return { ok: false, reason: 'signature method is not HMAC-SHA1' };
  if ((oauth.get('oauth_version') ?? '1.0') !== '1.0') return { ok: false, reason: 'oauth_version is not 1.0' };
  if (oauth.get('oauth_consumer_key') !== keys.appKey) return { ok: false, reason: 'unknown consumer key' };
  if (oauth.get('oauth_token') !== keys.accessToken) return { ok: false, reason: 'unknown access token' };
  const nonce = oauth.get('oauth_nonce');
  if (!nonce || !/^\d+$/.test(oauth.get('oauth_timestamp') ?? '')) return { ok: false, reason: 'nonce or timestamp missing' };
  if (seenNonces.has(nonce)) return { ok: false, reason: 'nonce used before (replay)' };
  const signature = oauth.get('oauth_signature') ?? '';
  const signed: [string, string][] = [...params, ...[...oauth].filter(([k]) => k !== 'oauth_signature' && k !== 'realm')];
  const key = `${percentEncode(keys.appSecret)}&${percentEncode(keys.accessSecret)}`;
  const expected = crypto.createHmac('sha1', key).update(signatureBaseString(method, signedUrl, signed)).digest('base64');
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return { ok: false, reason: 'signature does not match' };
  seenNonces.add(nonce);
  return { ok: true };
}
