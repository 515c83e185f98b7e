/**
 * `check --online` for Mastodon: who the token belongs to and what the
 * instance allows (GET /api/v2/instance), without posting. `check` itself is
 * pure and uses the platform defaults (500 characters, 4 images, alt text
 * 1,500): here an instance that allows less is an error, one that allows more
 * is only reported (the templates stay fitted to the defaults).
 */
import type { Problem } from '../../errors';
import type { AccountReport } from '../channel';
import { PLATFORM_LIMITS } from '../platform-limits';
import type { MastodonClient } from './mastodon-client';
import { classifyMastodonError } from './mastodon-errors';
import type { MastodonSettings } from './mastodon-channel';

/** The latest rate-limit headers seen on any answer (Mastodon sends them on every API call). */
export interface RateLimitSeen {
  latest: { limit: string | null; remaining: string; reset: string | null } | null;
}

export interface VerifyInput {
  channelId: string;
  settings: MastodonSettings;
  client: MastodonClient;
  now: Date;
  rateLimit: RateLimitSeen;
  signal?: AbortSignal;
}

/** The parts of the Instance entity (v2) the driver reads. */
export interface InstanceV2 {
  domain?: string;
  version?: string;
  configuration?: {
    statuses?: { max_characters?: number; max_media_attachments?: number; characters_reserved_per_url?: number };
    media_attachments?: { description_limit?: number; image_size_limit?: number; supported_mime_types?: string[] };
  };
}

export async function verifyMastodonAccount(input: VerifyInput): Promise<AccountReport> {
  const { settings, client, now } = input;
  const problems: Problem[] = [];
  const details: string[] = [`instance: ${settings.origin}`, 'the access token does not expire: it stops working only when revoked on the instance (or the application is deleted)'];
  const signal = input.signal ? { signal: input.signal } : {};
  const fail = (what: string, error: unknown): void => {
    const message = classifyMastodonError(error, 'read', now, settings.tokenVariable).message;
    problems.push({ severity: 'error', message: `Mastodon ${what} failed: ${message}` });
  };

  let account: string | null = null;
  try {
    const me = await client.call<{ username?: string; acct?: string; url?: string }>({ method: 'GET', path: '/api/v1/accounts/verify_credentials', ...signal });
    const host = new URL(settings.origin).host;
    account = me.body.username ? `@${me.body.username}@${host}` : null;
    if (me.body.url) details.push(`profile: ${me.body.url}`);
  } catch (error) {
    fail('account check (GET /api/v1/accounts/verify_credentials)', error);
  }

  try {
    const instance = await client.call<InstanceV2>({ method: 'GET', path: '/api/v2/instance', ...signal });
    const { lines, found } = compareWithDefaults(instance.body);
    details.push(...lines);
    problems.push(...found);
  } catch (error) {
    fail('instance check (GET /api/v2/instance, Mastodon 4.0 and later)', error);
  }

  const seen = input.rateLimit.latest;
  if (seen) details.push(`rate limit: ${seen.remaining}${seen.limit ? `/${seen.limit}` : ''} API calls left${seen.reset ? ` until ${seen.reset}` : ''}`);
  return { channelId: input.channelId, account, details, tokenExpiresAt: null, problems };
}

/** What the instance allows against what `check` assumes (PLATFORM_LIMITS.mastodon). */
export function compareWithDefaults(instance: InstanceV2): { lines: string[]; found: Problem[] } {
  const defaults = PLATFORM_LIMITS.mastodon;
  const statuses = instance.configuration?.statuses ?? {};
  const media = instance.configuration?.media_attachments ?? {};
  const found: Problem[] = [];
  const shown = (value: number | undefined): string => (value === undefined ? 'not reported' : String(value));
  const lines = [
    `instance ${instance.domain ?? '?'}${instance.version ? `, Mastodon ${instance.version}` : ''}`,
    `instance limits: max_characters ${shown(statuses.max_characters)}, max_media_attachments ${shown(statuses.max_media_attachments)}, characters_reserved_per_url ${shown(statuses.characters_reserved_per_url)}, description_limit ${shown(media.description_limit)}`,
  ];
  const chars = statuses.max_characters;
  if (chars !== undefined && chars < defaults.maxTextLength) {
    found.push({ severity: 'error', message: `this instance allows ${chars} characters per post, fewer than the ${defaults.maxTextLength} quota-herald checks and fits captions to: longer posts will be refused; use an instance with the usual 500, or write shorter captions/<name>.mastodon.hbs templates and check them by hand` });
  } else if (chars !== undefined && chars > defaults.maxTextLength) {
    lines.push(`the instance allows ${chars} characters; captions stay fitted to ${defaults.maxTextLength}, which every standard instance accepts`);
  }
  const images = statuses.max_media_attachments;
  if (images !== undefined && images < defaults.maxImages) {
    found.push({ severity: 'error', message: `this instance allows ${images} images per post, fewer than the ${defaults.maxImages} quota-herald checks for: a post with more cards will be refused; use fewer card templates for this channel` });
  }
  const perUrl = statuses.characters_reserved_per_url;
  if (perUrl !== undefined && perUrl > 23) {
    found.push({ severity: 'warning', message: `this instance counts each link as ${perUrl} characters, more than the 23 quota-herald counts: a caption near the limit with links may be refused` });
  }
  const alt = media.description_limit;
  if (alt !== undefined && defaults.maxAltTextLength !== undefined && alt < defaults.maxAltTextLength) {
    found.push({ severity: 'warning', message: `this instance allows ${alt} characters of alt text, fewer than the ${defaults.maxAltTextLength} quota-herald checks: a long alt text (many rows) will be refused; shorten alt/<name>.mastodon.hbs` });
  }
  if (media.image_size_limit !== undefined && media.image_size_limit < defaults.maxImageBytes) {
    found.push({ severity: 'warning', message: `this instance accepts images up to ${(media.image_size_limit / 1048576).toFixed(1)} MB, less than the ${defaults.maxImageBytes / 1048576} MB quota-herald checks` });
  }
  const mimes = media.supported_mime_types;
  if (mimes && !mimes.includes(defaults.preferredMime)) {
    found.push({ severity: 'error', message: `this instance does not accept ${defaults.preferredMime} images, the format cards are rendered in for Mastodon` });
  }
  return { lines, found };
}
