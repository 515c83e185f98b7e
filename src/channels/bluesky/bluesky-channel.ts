/**
 * The Bluesky driver: plain fetch against the XRPC HTTP API of the account's
 * PDS (default https://bsky.social, the entryway, which forwards to it). Each
 * card goes up with uploadBlob (a blob no record points at is not a post),
 * then the post is WRITTEN under a record key computed from post and revision
 * (record-key.ts) with putRecord and `swapRecord: null`: a second write of the
 * same post is refused (InvalidSwap) instead of doubling it, and the key says
 * where to look (getRecord) after an unclear outcome. docs/channels/bluesky.md
 * has the facts this relies on.
 */
import type { ChannelConfig } from '../../config/types';
import { AppError, type Problem } from '../../errors';
import { postLogger } from '../../logger';
import { DEFAULT_REQUEST_TIMEOUT_MS, type AccountReport, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { readCardFromDisk } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import { createFileTokenVault } from '../instagram/token-store';
import { limitsFor } from '../platform-limits';
import { PublishError } from '../publish-error';
import { classifyBlueskyError, SESSION_REFUSED, type BlueskyPhase } from './bluesky-errors';
import { detectFacets } from './facets';
import { inKeyBand, KEY_BAND_END, postRecordKey } from './record-key';
import { createSessionKeeper, type BlueskySession } from './session';
import { createXrpcClient, XrpcError } from './xrpc-client';

export const BLUESKY_DEFAULT_HOST = 'https://bsky.social';
export const POST_COLLECTION = 'app.bsky.feed.post';
/** The form Bluesky gives app passwords; anything else is probably the account password. */
const APP_PASSWORD_FORM = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i;

export interface BlueskyChannelOptions {
  /** listRecords pages (100 records each) readBack walks at most before it says it cannot see everything (default 50). */
  readBackMaxPages?: number;
}

export interface BlueskySettings {
  origin: string;
  /** The handle (or DID) that signs in; also the repo that is read back. */
  identifier: string;
  passwordVariable: string;
}

export function createBlueskyChannel(config: ChannelConfig, deps: ChannelDeps, options: BlueskyChannelOptions = {}): Channel {
  const settings = resolveSettings(config, deps.env);
  const limits = limitsFor({ platform: 'bluesky', dailyCap: config.dailyCap });
  const timeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const readCard = deps.readCard ?? readCardFromDisk;
  const xrpc = createXrpcClient({ origin: settings.origin, fetch: deps.fetch, timeoutMs });
  const appPassword = deps.env[settings.passwordVariable]!;
  const sessions = createSessionKeeper({
    channelId: config.id,
    identifier: settings.identifier,
    appPassword,
    xrpc,
    vault: deps.tokenVault ?? (deps.stateDir ? createFileTokenVault(deps.stateDir) : null),
    now: () => deps.clock.now(),
    logger: deps.logger,
  });
  const fail = (error: unknown, phase: BlueskyPhase): PublishError => classifyBlueskyError(error, phase, deps.clock.now(), settings.passwordVariable);

  /** A call with the session; an expired or refused session is renewed once and the call repeated (nothing was applied). */
  async function authed<T>(phase: BlueskyPhase, call: (session: BlueskySession) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let session: BlueskySession;
    try {
      session = await sessions.current(signal);
    } catch (error) {
      throw fail(error, 'session');
    }
    try {
      return await call(session);
    } catch (error) {
      if (!(error instanceof XrpcError && error.failure === 'http' && error.error !== null && SESSION_REFUSED.has(error.error))) throw error;
      try {
        session = await sessions.renew(session, signal);
      } catch (renewError) {
        throw fail(renewError, 'session');
      }
      return call(session);
    }
  }

  const postUrl = (rkey: string): string => `https://bsky.app/profile/${settings.identifier}/post/${rkey}`;

  /** The record at `rkey`, or null when the PDS says there is none (getRecord needs no session). */
  async function findRecord(rkey: string, signal?: AbortSignal): Promise<StoredRecord | null> {
    try {
      return await xrpc.call<StoredRecord>({ nsid: 'com.atproto.repo.getRecord', method: 'GET', params: { repo: settings.identifier, collection: POST_COLLECTION, rkey }, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (error instanceof XrpcError && error.failure === 'http' && error.error === 'RecordNotFound') return null;
      throw error;
    }
  }

  function published(found: StoredRecord, rkey: string): PublishResult {
    const createdAt = new Date(String(found.value?.createdAt ?? ''));
    return { remoteId: found.uri, url: postUrl(rkey), publishedAt: Number.isNaN(createdAt.getTime()) ? deps.clock.now() : createdAt };
  }

  return {
    id: config.id,
    driver: 'bluesky',
    limits,
    check: (post) => checkRenderedPost(post, limits, 'bluesky'),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      const log = postLogger(deps.logger, request);
      const rkey = postRecordKey(request.postId, request.revision);
      const images: EmbeddedImage[] = [];
      for (const media of request.post.media) {
        // Another instance may have rendered it: the disk, else the database (CardMissingError: rendered again).
        const { bytes, mime } = await readCard(request.mediaRoot, media);
        if (bytes.length > limits.maxImageBytes) {
          throw new PublishError('permanent', `${media.file} is ${bytes.length} bytes; Bluesky accepts at most ${limits.maxImageBytes} per image: simplify the card (check reports this days ahead)`, { code: 'BlobTooLarge' });
        }
        const uploaded = await authed(
          'upload',
          (session) => xrpc.call<{ blob?: unknown }>({ nsid: 'com.atproto.repo.uploadBlob', method: 'POST', bytes: { data: bytes, mime }, bearer: session.accessJwt, ...(signal ? { signal } : {}) }),
          signal,
        ).catch((error: unknown) => {
          throw fail(error, 'upload');
        });
        if (!uploaded.blob || typeof uploaded.blob !== 'object') throw new PublishError('transient', 'com.atproto.repo.uploadBlob answered without a blob; nothing was posted: will retry');
        images.push({ alt: media.alt, image: uploaded.blob, aspectRatio: { width: media.width, height: media.height } });
      }
      const text = request.post.text.normalize('NFC');
      const facets = detectFacets(text);
      const record = {
        $type: POST_COLLECTION,
        text,
        // The real time, not the due time: feeds sort by the earlier of createdAt and indexing.
        createdAt: deps.clock.now().toISOString(),
        langs: ['id'],
        ...(facets.length > 0 ? { facets } : {}),
        ...(images.length > 0 ? { embed: { $type: 'app.bsky.embed.images', images } } : {}),
      };

      // Uploaded blobs are not a post; the record is.
      await request.checkpoint?.('sending');
      let created: { uri?: unknown };
      try {
        created = await authed(
          'post',
          (session) =>
            xrpc.call<{ uri?: unknown }>({
              nsid: 'com.atproto.repo.putRecord',
              method: 'POST',
              body: { repo: session.did, collection: POST_COLLECTION, rkey, swapRecord: null, record },
              bearer: session.accessJwt,
              ...(signal ? { signal } : {}),
            }),
          signal,
        );
      } catch (error) {
        const invalidSwap = error instanceof XrpcError && error.failure === 'http' && error.error === 'InvalidSwap';
        const failure = invalidSwap ? null : fail(error, 'post');
        if (failure && failure.kind !== 'unclear') throw failure;
        // Already there (an earlier attempt went out), or unclear: the record key says.
        let found: StoredRecord | null;
        try {
          found = await findRecord(rkey, signal);
        } catch (readError) {
          throw failure ?? new PublishError('unclear', `an earlier attempt of this post exists at ${rkey} but could not be read back (${fail(readError, 'read').message})`, { code: 'InvalidSwap' });
        }
        if (found) {
          log.info({ rkey, remoteId: found.uri, earlier: invalidSwap }, invalidSwap ? 'already on Bluesky from an earlier attempt' : 'posted to Bluesky (confirmed by its record key)');
          return published(found, rkey);
        }
        if (invalidSwap) throw new PublishError('unclear', `Bluesky says a record exists at ${rkey} but getRecord does not find it`, { code: 'InvalidSwap' });
        // Not there: a retry writes the same key, and a second write of it is refused, so it cannot double.
        throw new PublishError('transient', `putRecord had an unclear outcome (${failure!.message}) and getRecord finds nothing at ${rkey}: not created; retrying with the same record key is safe`, { code: failure!.code ?? 'unclear' });
      }
      const uri = typeof created.uri === 'string' ? created.uri : null;
      if (!uri) {
        const found = await findRecord(rkey, signal).catch(() => null);
        if (found) return published(found, rkey);
        throw new PublishError('unclear', 'com.atproto.repo.putRecord answered without a uri');
      }
      log.info({ rkey, remoteId: uri }, 'posted to Bluesky');
      return { remoteId: uri, url: postUrl(rkey), publishedAt: deps.clock.now() };
    },

    async readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]> {
      // The bot's keys sit in one band of old TIDs (record-key.ts): walking the
      // collection oldest key first reaches all of them before any post made in an app.
      const posts: RemotePost[] = [];
      let cursor: string | undefined;
      const maxPages = options.readBackMaxPages ?? 50;
      for (let page = 0; ; page += 1) {
        if (page >= maxPages) {
          throw new PublishError('transient', `reading back ${settings.identifier}: more than ${maxPages * 100} records in the bot's key range; cannot see them all`, { code: 'read-limit' });
        }
        let answer: RecordPage;
        try {
          answer = await xrpc.call<RecordPage>({ nsid: 'com.atproto.repo.listRecords', method: 'GET', params: { repo: settings.identifier, collection: POST_COLLECTION, limit: 100, reverse: true, cursor }, ...(signal ? { signal } : {}) });
        } catch (error) {
          throw fail(error, 'read');
        }
        const records = answer.records ?? [];
        let past = false;
        for (const item of records) {
          const rkey = typeof item.uri === 'string' ? item.uri.split('/').pop()! : '';
          if (rkey >= KEY_BAND_END) {
            past = true;
            break;
          }
          if (!inKeyBand(rkey)) continue;
          const publishedAt = new Date(String(item.value?.createdAt ?? ''));
          if (Number.isNaN(publishedAt.getTime()) || publishedAt < since) continue;
          posts.push({ remoteId: item.uri!, text: typeof item.value?.text === 'string' ? item.value.text : '', publishedAt, url: postUrl(rkey) });
        }
        cursor = typeof answer.cursor === 'string' ? answer.cursor : undefined;
        if (past || !cursor || records.length === 0) break;
      }
      return posts.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    },

    async verify(now: Date, signal?: AbortSignal): Promise<AccountReport> {
      const problems: Problem[] = [];
      const details = [
        `API host: ${settings.origin}`,
        'app password: does not expire (it works until revoked in Bluesky settings); the bot renews its session itself (access token 2 h, refresh token 90 days)',
        `session kept in ${sessions.where}`,
      ];
      if (!APP_PASSWORD_FORM.test(appPassword)) {
        problems.push({ severity: 'warning', message: `${settings.passwordVariable} is not in the form of a Bluesky app password (xxxx-xxxx-xxxx-xxxx): use an app password (Settings → Privacy and security → App passwords), never the account password` });
      }
      let account: string | null = null;
      try {
        const profile = await authed(
          'read',
          (session) => xrpc.call<{ handle?: string; displayName?: string; postsCount?: number }>({ nsid: 'app.bsky.actor.getProfile', method: 'GET', params: { actor: session.did }, bearer: session.accessJwt, ...(signal ? { signal } : {}) }),
          signal,
        );
        account = `@${profile.handle ?? settings.identifier}`;
        if (profile.displayName) details.push(`name: ${profile.displayName}`);
        if (typeof profile.postsCount === 'number') details.push(`posts: ${profile.postsCount}`);
        const origin = sessions.origin();
        if (origin) details.push(origin === 'created' ? 'signed in with the app password (new session, stored for the next runs)' : origin === 'refreshed' ? 'session refreshed' : 'stored session reused (no new sign-in)');
      } catch (error) {
        const failure = fail(error, 'read');
        // Unreachable or busy is not a credentials problem: thrown, the periodic check
        // logs it and `check --online` prints it, without an "auth" alert to staff.
        if (failure.kind !== 'auth' && failure.kind !== 'permanent') throw failure;
        problems.push({ severity: 'error', message: `Bluesky account check failed: ${failure.message}` });
      }
      void now;
      return { channelId: config.id, account, details, tokenExpiresAt: null, problems };
    },
  };
}

interface EmbeddedImage {
  alt: string;
  image: unknown;
  aspectRatio: { width: number; height: number };
}

interface StoredRecord {
  uri: string;
  cid?: string;
  value?: { text?: unknown; createdAt?: unknown };
}

interface RecordPage {
  cursor?: unknown;
  records?: { uri?: string; value?: { text?: unknown; createdAt?: unknown } }[];
}

/** Host, handle and password variable; a missing variable is a config error naming it (never a value). */
export function resolveSettings(config: ChannelConfig, env: ChannelDeps['env']): BlueskySettings {
  const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
  if (!config.handle) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs handle: the Bluesky handle that posts (e.g. kanimpontianak.bsky.social) or its DID`);
  }
  const passwordVariable = config.credentials.appPassword;
  if (!passwordVariable) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs credentials.appPassword: the NAME of the env variable holding a Bluesky app password (e.g. BLUESKY_APP_PASSWORD)`);
  }
  if (!env[passwordVariable]) {
    throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${passwordVariable} is not set: create an app password in Bluesky (Settings → Privacy and security → App passwords) and put it in .env as ${passwordVariable}=…`);
  }
  const origin = (config.baseUrl ?? BLUESKY_DEFAULT_HOST).replace(/\/+$/, '');
  return { origin, identifier: config.handle.replace(/^@/, ''), passwordVariable };
}
