/**
 * The one interface every publishing channel implements. Kept as small as a
 * Kysely Dialect: what it accepts, a pure check, publish, and read-back.
 */
import type { ChannelConfig } from '../config/types';
import type { Clock } from '../clock';
import type { Problem } from '../errors';
import type { PostFacts, PostKind } from '../plan/types';
import type { RenderedPost } from '../render/types';
import type { Logger } from '../logger';
import type { ReadCard } from './card-bytes';
import type { TokenVault } from './token-vault';

/** What a channel accepts. Checked before anything is due (`check`) and again before publishing. */
export interface ChannelLimits {
  /** Maximum caption length, counted the platform's way (`countForPlatform`, text-length.ts). */
  maxTextLength: number;
  /** Maximum caption size in UTF-8 bytes, where a platform limits bytes besides its count (Bluesky: 3,000). */
  maxTextBytes?: number;
  maxImages: number;
  minImages: number;
  maxImageBytes: number;
  imageMimes: ('image/png' | 'image/jpeg')[];
  /** The format cards are rendered in for this channel. */
  preferredMime: 'image/png' | 'image/jpeg';
  maxHashtags?: number;
  maxMentions?: number;
  /** Width/height bounds, inclusive. */
  minAspectRatio?: number;
  maxAspectRatio?: number;
  minWidth?: number;
  maxWidth?: number;
  /** Posts per rolling 24 h for one account. */
  dailyCap?: number;
  /** Maximum alt text of one image, in characters (X: 1,000). */
  maxAltTextLength?: number;
}

/** Everything a driver needs to know about the post besides its content. */
export interface PublishRequest {
  postId: string;
  /**
   * The post's content revision: a correction of the facts before publishing
   * renders a new one. Idempotency keys name post and revision
   * (`quota-herald-<postId>-r<revision>`), so a retry of one revision is
   * recognised by the platform and a new revision is a new post.
   */
  revision: number;
  officeId: string;
  channelId: string;
  kind: PostKind;
  ruleId: string;
  releaseId: string | null;
  scheduledAt: Date;
  deadline: Date | null;
  post: RenderedPost;
  /** The facts the post was rendered from (the webhook sends them as data). */
  facts: PostFacts;
  /** Directory that `post.media[].file` is relative to. */
  mediaRoot: string;
  /**
   * The point of no return, recorded in the ledger. Every driver MUST call
   * `checkpoint('sending')` right before the request that creates the post
   * (X `POST /2/tweets`, Instagram `media_publish`, the outbox append) and
   * send nothing that creates a post before it (the channel contract suite,
   * test/channels/contract.test.ts, holds every driver to this). Until then an
   * attempt is `preparing`: a crash there leaves a post that is certainly not
   * on the platform, so it is tried again at once instead of waiting to be read
   * back. It throws when the caller no longer holds the post: the driver must
   * then send nothing more.
   */
  checkpoint?: (phase: 'sending') => Promise<void>;
}

export interface PublishResult {
  remoteId: string;
  url: string | null;
  publishedAt: Date;
}

/** A post read back from the account, to reconcile unclear outcomes. */
export interface RemotePost {
  remoteId: string;
  text: string;
  publishedAt: Date;
  url: string | null;
}

/** What `check --online` learns about an account, without posting anything. */
export interface AccountReport {
  channelId: string;
  /** The account's name on the platform, e.g. `@kanimpontianak`. */
  account: string | null;
  /** Facts worth showing: publishing quota used, rate-limit headroom, API host. */
  details: string[];
  /** When the access token stops working; null when it does not expire (X OAuth 1.0a). */
  tokenExpiresAt: Date | null;
  /** Errors (cannot post) and warnings (token expires soon), each saying what to do. */
  problems: Problem[];
}

export interface Channel {
  readonly id: string;
  readonly driver: string;
  readonly limits: ChannelLimits;
  /**
   * The receiver de-duplicates a resend of the same post revision (the
   * webhook's stable `webhook-id`): after an unclear outcome the post is sent
   * again at once while on time, never read back (src/schedule/reconcile.ts).
   */
  readonly resendsSafely?: boolean;
  /** Asks the platform who we are and what we may do; never posts. `signal` gives up on the calls in flight. */
  verify?(now: Date, signal?: AbortSignal): Promise<AccountReport>;
  /** Pure: problems of a rendered post against this channel's limits. Empty when fine. */
  check(post: RenderedPost): Problem[];
  /** Sends the post. Throws a PublishError (src/channels/publish-error.ts) on failure. */
  publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult>;
  /** Recent posts of the account since `since`, newest first. `signal` gives up on the calls in flight. */
  readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]>;
  close?(): Promise<void>;
}

/** What drivers receive; nothing reads the environment or the clock on its own. */
export interface ChannelDeps {
  clock: Clock;
  logger: Logger;
  /** Where the outbox writes `outbox.jsonl` and copies media. */
  outboxDir: string;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
  /**
   * The public URL of a rendered media file (path relative to the media root),
   * served by the bot's media server; absent when no media server runs.
   */
  publicMediaUrl?: (file: string) => string;
  /**
   * How drivers get a card's bytes (card-bytes.ts): this machine's file, else
   * the ledger database, so a post rendered by another instance can go out
   * here. Default: the disk only.
   */
  readCard?: ReadCard;
  /** A directory for state that must survive restarts (refreshed tokens without a vault): the data directory. */
  stateDir?: string;
  /**
   * Where access tokens that change at run time (refreshed Instagram tokens)
   * are kept and shared between instances: the ledger database, sealed
   * (app/token-vault.ts). Absent: a file per channel under `stateDir`.
   */
  tokenVault?: TokenVault;
  /**
   * Tells staff something a driver noticed that needs them soon (the bot
   * wires it to its alert sink). `message` says what to do; never a secret.
   */
  alert?: (kind: ChannelAlertKind, message: string, channelId?: string) => void;
  /**
   * Every request to a platform gives up after this long (default
   * DEFAULT_REQUEST_TIMEOUT_MS): a platform that accepts the connection and
   * never answers must not hold a publish, a read-back or an account check.
   */
  requestTimeoutMs?: number;
}

/** 30 s: far above a healthy platform's answer time, far below a post's deadline. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * What a driver may alert about. `daily-cap`: the account is (almost) out of
 * posts for the rolling 24 h. `unclear-outcome`: a send may or may not have
 * reached a platform that cannot be read back (Telegram): staff must look.
 * `token-expiry`: a token or session will stop working soon (or did).
 */
export type ChannelAlertKind = 'daily-cap' | 'unclear-outcome' | 'token-expiry';

export type ChannelFactory = (config: ChannelConfig, deps: ChannelDeps) => Channel;
