/**
 * `check --online` for Threads: who the token belongs to (and whether that is
 * the configured user id), the publishing limit, and the token's expiry —
 * without posting anything. Problems say what staff should do.
 */
import type { Problem } from '../../errors';
import type { AccountReport } from '../channel';
import type { GraphClient } from '../instagram/graph-client';
import type { TokenKeeper } from '../instagram/token-refresh';
import { DAY_MS } from '../instagram/token-store';
import { TOKEN_WARNING_MS } from '../instagram/verify-account';
import { readPublishingLimit } from './publish-flow';
import type { FlowContext } from '../instagram/publish-flow';
import { classifyThreadsError } from './threads-errors';
import type { ThreadsSettings } from './threads-channel';

export interface ThreadsVerifyInput {
  channelId: string;
  settings: ThreadsSettings;
  graph: GraphClient;
  tokens: TokenKeeper;
  now: Date;
  /** What reads the publishing limit (the channel's flow context without a post). */
  flow: FlowContext;
  hasMediaServer: boolean;
  canStoreTokens: boolean;
  signal?: AbortSignal;
}

/** What staff do when the token is gone or going. */
export function renewAdvice(tokenVariable: string): string {
  return `generate a new long-lived Threads token (README, "Connect Threads"), put it in .env as ${tokenVariable}, restart`;
}

/** A warning or error about the token's expiry, or null while it has more than TOKEN_WARNING_MS left. */
export function expiryProblem(expiresAt: Date | null, now: Date, tokenVariable: string): Problem | null {
  if (expiresAt === null) return null;
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return { severity: 'error', message: `the Threads token expired on ${expiresAt.toISOString()}: ${renewAdvice(tokenVariable)}` };
  if (left > TOKEN_WARNING_MS) return null;
  return {
    severity: 'warning',
    message: `the Threads token expires in ${Math.ceil(left / DAY_MS)} day(s), on ${expiresAt.toISOString()}, and could not be refreshed in time: ${renewAdvice(tokenVariable)}`,
  };
}

export async function verifyThreadsAccount(input: ThreadsVerifyInput): Promise<AccountReport> {
  const { settings, graph, tokens, now } = input;
  const problems: Problem[] = [];
  const details: string[] = [`API: ${settings.origin}/${settings.version}`];
  const fail = (error: unknown): void => {
    problems.push({ severity: 'error', message: classifyThreadsError(error, 'read', { now, tokenVariable: settings.tokenVariable }).message });
  };

  const refresh = await tokens.refreshIfDue(now);
  if (refresh === 'refreshed') details.push('access token refreshed');
  if (refresh === 'failed') problems.push({ severity: 'warning', message: `the Threads token could not be refreshed (${tokens.lastRefreshError() ?? 'unknown reason'}); it stays in use until it expires` });
  if (refresh === 'elsewhere') details.push('access token being refreshed by another instance');
  const storeProblem = tokens.storeProblem();
  if (storeProblem) problems.push({ severity: 'warning', message: storeProblem });
  if (!input.canStoreTokens) details.push('no data directory: refreshed tokens cannot be stored, so the token is not refreshed and expires 60 days after it was made');

  let account: string | null = null;
  let otherUser = false;
  try {
    const me = await graph.get<{ id?: string; username?: string }>('me', { fields: 'id,username' }, input.signal);
    account = me.username ? `@${me.username}` : null;
    otherUser = Boolean(me.id && me.id !== settings.accountId);
    if (otherUser) {
      problems.push({
        severity: 'error',
        message: `the token belongs to Threads user ${me.id}${account ? ` (${account})` : ''}, but the channel posts as user ${settings.accountId}: set accountId to ${me.id}, or use a token of the office's account`,
      });
    }
  } catch (error) {
    fail(error);
  }
  // Another user's limit would only be refused: the id is the problem to fix first.
  if (account && !otherUser) {
    try {
      const limit = await readPublishingLimit({ ...input.flow, ...(input.signal ? { signal: input.signal } : {}) });
      details.push(`publishing limit: ${limit.used} of ${limit.total} posts used in the last 24 h`);
      if (limit.total - limit.used <= 2) problems.push({ severity: 'warning', message: `only ${Math.max(0, limit.total - limit.used)} of ${limit.total} Threads posts left in the last 24 h: planned posts may be delayed` });
    } catch (error) {
      problems.push({ severity: 'error', message: (error as Error).message });
    }
  }
  if (!input.hasMediaServer) {
    problems.push({ severity: 'error', message: 'the threads driver needs settings.mediaServer in herald.yaml (publicBaseUrl reachable from the internet): Threads fetches each image itself' });
  }

  const state = await tokens.current(now);
  if (state.expiresAt === null) {
    details.push('token expiry not known yet: it is learned at the first refresh (24 h after the token was first used); a long-lived token lasts 60 days');
  } else {
    details.push(`token ${state.source === 'refreshed' ? 'refreshed' : 'from .env'}, expires ${state.expiresAt.toISOString()}`);
  }
  const expiry = expiryProblem(state.expiresAt, now, settings.tokenVariable);
  if (expiry) problems.push(expiry);
  return { channelId: input.channelId, account, details, tokenExpiresAt: state.expiresAt, problems };
}
