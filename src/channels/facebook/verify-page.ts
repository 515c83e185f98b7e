/**
 * `check --online` for a Facebook Page: whose token this is and whether the
 * Page can be read back, without posting anything.
 *
 * A Page token made from a long-lived User token does not expire (Meta,
 * "Page access tokens"), and there is no refresh: the report says
 * `tokenExpiresAt: null`. Meta can still invalidate it (password change, Page
 * role removed, app removed): that shows here as code 190 with what to do.
 * `debug_token` is not used: it needs an app token or a developer's User
 * token, which the bot does not hold.
 */
import type { Problem } from '../../errors';
import type { AccountReport } from '../channel';
import type { GraphClient } from '../instagram/graph-client';
import { classifyFacebookError } from './facebook-errors';

export interface FacebookSettings {
  origin: string;
  version: string;
  pageId: string;
  tokenVariable: string;
}

export interface VerifyPageInput {
  channelId: string;
  settings: FacebookSettings;
  graph: GraphClient;
  now: Date;
  signal?: AbortSignal;
}

export async function verifyFacebookPage(input: VerifyPageInput): Promise<AccountReport> {
  const { settings, graph, now } = input;
  const problems: Problem[] = [];
  const details: string[] = [`API: ${settings.origin}/${settings.version}`];
  const fail = (error: unknown): void => void problems.push({ severity: 'error', message: classifyFacebookError(error, 'read', { now, tokenVariable: settings.tokenVariable }).message });

  let account: string | null = null;
  try {
    // With a Page token, /me IS the Page.
    const me = await graph.get<{ id?: string; name?: string }>('me', { fields: 'id,name' }, input.signal);
    if (me.id !== settings.pageId) {
      problems.push({
        severity: 'error',
        message: `the token in ${settings.tokenVariable} belongs to "${me.name ?? '?'}" (id ${me.id ?? '?'}), not to the Page ${settings.pageId}: a User token or another Page's token cannot post here; make a Page access token for Page ${settings.pageId} (README, "Connect a Facebook Page"), or correct pageId`,
      });
    } else {
      account = me.name ?? me.id;
    }
  } catch (error) {
    fail(error);
  }
  if (account) {
    try {
      // What reconciliation relies on after an unclear outcome (pages_read_engagement).
      await graph.get(`${settings.pageId}/published_posts`, { fields: 'id', limit: 1 }, input.signal);
      details.push('published posts readable: unclear outcomes can be reconciled');
    } catch (error) {
      fail(error);
    }
    details.push('pages_manage_posts cannot be tested without posting: a missing permission shows at the first post as an auth error');
  }
  details.push('Page token: no expiry date when made from a long-lived User token; Meta may still revoke it (then this check fails with what to do)');
  return { channelId: input.channelId, account, details, tokenExpiresAt: null, problems };
}
