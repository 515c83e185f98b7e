/**
 * `check --online` for Instagram: who the token belongs to, the publishing
 * limit, and the token's expiry — without posting anything. Problems say what
 * staff should do.
 */
import type { Problem } from '../../errors';
import type { AccountReport } from '../channel';
import type { GraphClient } from './graph-client';
import { classifyGraphError } from './graph-errors';
import type { InstagramSettings } from './instagram-channel';
import type { TokenKeeper } from './token-refresh';
import { DAY_MS } from './token-store';

/** Warn this long before a token expires. */
export const TOKEN_WARNING_MS = 10 * DAY_MS;

export interface VerifyInput {
  channelId: string;
  settings: InstagramSettings;
  graph: GraphClient;
  tokens: TokenKeeper;
  now: Date;
  hasMediaServer: boolean;
  /** Whether refreshed tokens can be kept (a token vault or a data directory). */
  canStoreTokens: boolean;
  /** Gives up on the reads in flight (each also has the client's own timeout). */
  signal?: AbortSignal;
}

export async function verifyInstagramAccount(input: VerifyInput): Promise<AccountReport> {
  const { settings, graph, tokens, now } = input;
  const problems: Problem[] = [];
  const details: string[] = [`API: ${settings.origin}/${settings.version} (${settings.login === 'instagram' ? 'Instagram Login' : 'Facebook Login'})`];
  const fail = (error: unknown): void => {
    const classified = classifyGraphError(error, 'read', { now, tokenVariable: settings.tokenVariable });
    problems.push({ severity: 'error', message: classified.message });
  };

  const refresh = await tokens.refreshIfDue(now);
  if (refresh === 'refreshed') details.push('access token refreshed');
  if (refresh === 'failed') problems.push({ severity: 'warning', message: `the Instagram token could not be refreshed (${tokens.lastRefreshError() ?? 'unknown reason'}); it stays in use until it expires` });
  if (refresh === 'elsewhere') details.push('access token being refreshed by another instance');
  const storeProblem = tokens.storeProblem();
  if (storeProblem) problems.push({ severity: 'warning', message: storeProblem });
  if (settings.login === 'facebook') details.push('Facebook-Login tokens are not refreshed automatically: replace the token in .env before it expires');
  else if (!input.canStoreTokens) details.push('no data directory: refreshed tokens cannot be stored, so the token is not refreshed');

  let account: string | null = null;
  try {
    const user = await graph.get<{ username?: string }>(settings.accountId, { fields: 'username' }, input.signal);
    account = user.username ? `@${user.username}` : null;
  } catch (error) {
    fail(error);
  }
  if (account) {
    try {
      const limit = await graph.get<{ data?: { quota_usage?: number; config?: { quota_total?: number } }[] }>(`${settings.accountId}/content_publishing_limit`, { fields: 'quota_usage,config' }, input.signal);
      const entry = limit.data?.[0];
      const used = entry?.quota_usage ?? 0;
      const total = entry?.config?.quota_total ?? 50;
      details.push(`publishing limit: ${used} of ${total} posts used in the last 24 h`);
      if (total - used <= 2) problems.push({ severity: 'warning', message: `only ${Math.max(0, total - used)} of ${total} Instagram posts left in the last 24 h: planned posts may be delayed` });
    } catch (error) {
      fail(error);
    }
  }
  if (!input.hasMediaServer) {
    problems.push({ severity: 'error', message: 'the instagram driver needs settings.mediaServer in herald.yaml (publicBaseUrl reachable from the internet): Instagram fetches each image itself' });
  }

  const state = await tokens.current(now);
  const expiresAt = state.expiresAt;
  if (expiresAt === null) {
    details.push(settings.login === 'instagram' ? 'token expiry not known yet: it is learned at the first refresh (24 h after the token was first used)' : 'token expiry not reported by the API');
  } else {
    details.push(`token ${state.source === 'refreshed' ? 'refreshed' : 'from .env'}, expires ${expiresAt.toISOString()}`);
    const what = `generate a new long-lived token in the Meta developer dashboard, put it in .env as ${settings.tokenVariable}, restart`;
    const left = expiresAt.getTime() - now.getTime();
    if (left <= 0) {
      problems.push({ severity: 'error', message: `the Instagram token expired on ${expiresAt.toISOString()}: ${what}` });
    } else if (left <= TOKEN_WARNING_MS) {
      const days = Math.ceil(left / DAY_MS);
      problems.push({ severity: 'warning', message: `the Instagram token expires in ${days} day(s), on ${expiresAt.toISOString()}: ${what}` });
    }
  }
  return { channelId: input.channelId, account, details, tokenExpiresAt: expiresAt, problems };
}
