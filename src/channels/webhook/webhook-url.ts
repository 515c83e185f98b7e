/**
 * Where a webhook may point: https anywhere, plain http only to this machine
 * (a receiver beside the bot, or the fake receiver in tests). The body and
 * signature would otherwise cross the network readable by anyone on the way.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why `url` cannot be a webhook address, or null when it can. */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `\`${url}\` is not an address: write the receiver's full https address, e.g. https://humas.example.go.id/hooks/quota-herald`;
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return null;
  if (parsed.protocol === 'http:') return `\`${url}\` is plain http: a webhook must use https (http only to 127.0.0.1 or localhost), or the posts and their signatures travel readable`;
  return `\`${url}\` is not an http(s) address: write the receiver's https address`;
}

/** The address requests really go to: `baseUrl`, when given, replaces the url's origin (and prefixes its path). */
export function webhookTarget(url: string, baseUrl: string | undefined): URL {
  const target = new URL(url);
  if (!baseUrl) return target;
  const base = new URL(baseUrl);
  target.protocol = base.protocol;
  target.host = base.host;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix !== '') target.pathname = prefix + target.pathname;
  return target;
}
