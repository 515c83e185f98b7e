/**
 * The Bluesky session (accessJwt, refreshJwt, did) of one channel, kept in the
 * token vault (../token-vault.ts: the database, sealed, shared by every
 * instance) so the bot logs in with the app password as rarely as it can:
 * `com.atproto.server.createSession` is limited to 30 per 5 minutes and 300
 * (100 at bsky.social) per day, and bots that log in for every post get locked
 * out for a day (docs/channels/bluesky.md).
 *
 * The order: the session in hand; else the stored one; when the PDS says the
 * access token expired, first the vault again (another instance may have
 * renewed it), then `refreshSession` with the refresh token; createSession
 * only when there is no stored session or the refresh token is refused.
 * The vault keeps the session as its token (JSON), marked `refreshed`, with a
 * fingerprint of handle + app password: a new app password in .env wins over
 * a session made with the old one.
 */
import crypto from 'node:crypto';
import type { Logger } from '../../logger';
import type { TokenRead, TokenState, TokenVault } from '../token-vault';
import type { XrpcClient } from './xrpc-client';
import { XrpcError } from './xrpc-client';

export interface BlueskySession {
  accessJwt: string;
  refreshJwt: string;
  did: string;
  handle: string;
}

export interface SessionKeeperOptions {
  channelId: string;
  /** The handle or DID that signs in. */
  identifier: string;
  appPassword: string;
  xrpc: XrpcClient;
  vault: TokenVault | null;
  now: () => Date;
  logger: Logger;
}

export interface SessionKeeper {
  /** The session to use now (created only when none is stored). Throws XrpcError when the platform refuses. */
  current(signal?: AbortSignal): Promise<BlueskySession>;
  /** The platform refused `used` (ExpiredToken/InvalidToken): the renewed session to try once more. */
  renew(used: BlueskySession, signal?: AbortSignal): Promise<BlueskySession>;
  /** Where the session is kept, for `check --online`. */
  readonly where: string;
  /** How this process got its session last: for `check --online` details. */
  origin(): 'stored' | 'created' | 'refreshed' | null;
}

/** Refresh a little before the access token's own expiry (its JWT `exp`), not after a refused call. */
const EXPIRY_MARGIN_MS = 60_000;
/** The refresh token (or the app password) itself was refused: only a new login helps. */
const REFRESH_REFUSED = new Set(['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AuthMissing']);

export function createSessionKeeper(options: SessionKeeperOptions): SessionKeeper {
  const { vault, channelId, xrpc } = options;
  const fingerprint = crypto.createHash('sha256').update(`bluesky\n${options.identifier}\n${options.appPassword}`).digest('hex');
  let held: { session: BlueskySession; state: TokenState | null } | null = null;
  let pending: Promise<BlueskySession> | null = null;
  let how: 'stored' | 'created' | 'refreshed' | null = null;

  /** One at a time: concurrent publishes share one login or refresh. */
  const single = (work: () => Promise<BlueskySession>): Promise<BlueskySession> =>
    (pending ??= work().finally(() => {
      pending = null;
    }));

  async function readVault(): Promise<{ read: TokenRead; usable: { session: BlueskySession; state: TokenState } | null }> {
    if (!vault) return { read: { kind: 'none' }, usable: null };
    let read: TokenRead;
    try {
      read = await vault.read(channelId, options.now());
    } catch (error) {
      // The database may be away for a moment: a login still works, it is only not shared.
      options.logger.warn({ channel: channelId, reason: (error as Error).message }, `could not read the stored Bluesky session from ${vault.where}`);
      return { read: { kind: 'none' }, usable: null };
    }
    if (read.kind === 'unreadable') options.logger.warn({ channel: channelId }, `channel ${channelId}: the stored Bluesky session cannot be used (${read.reason}); signing in again`);
    if (read.kind !== 'stored' || read.state.token === null) return { read, usable: null };
    // A session stored for an older app password is still this account's; one for a NEWER password than ours is too.
    const ours = read.state.envFingerprint === fingerprint || read.retired.includes(fingerprint);
    const session = ours ? parseSession(read.state.token) : null;
    return { read, usable: session ? { session, state: { ...read.state, token: read.state.token } } : null };
  }

  async function store(session: BlueskySession, from: TokenState | null, read: TokenRead): Promise<TokenState | null> {
    const at = options.now();
    const next: TokenState = { token: JSON.stringify(session), obtainedAt: at, expiresAt: jwtExpiry(session.refreshJwt), source: 'refreshed', envFingerprint: from?.envFingerprint ?? fingerprint };
    if (!vault) return null;
    try {
      if (from) {
        if (await vault.saveRefreshed(channelId, from, next, at)) return next;
        return null;
      }
      const replacing = read.kind === 'stored' ? read.state.envFingerprint : read.kind === 'unreadable' ? read.envFingerprint : null;
      await vault.adopt(channelId, next, replacing, at);
      const again = await vault.read(channelId, at);
      return again.kind === 'stored' && again.state.token === next.token ? next : null;
    } catch (error) {
      options.logger.warn({ channel: channelId, reason: (error as Error).message }, `could not store the Bluesky session in ${vault.where}; it is used from memory`);
      return null;
    }
  }

  async function login(read: TokenRead, signal?: AbortSignal): Promise<BlueskySession> {
    const answer = await xrpc.call<SessionAnswer>({ nsid: 'com.atproto.server.createSession', method: 'POST', body: { identifier: options.identifier, password: options.appPassword }, ...(signal ? { signal } : {}) });
    const session = toSession(answer, 'com.atproto.server.createSession');
    options.logger.info({ channel: channelId, did: session.did }, 'signed in to Bluesky with the app password (new session)');
    held = { session, state: await store(session, null, read) };
    how = 'created';
    return session;
  }

  async function refresh(from: { session: BlueskySession; state: TokenState | null }, read: TokenRead, signal?: AbortSignal): Promise<BlueskySession> {
    try {
      const answer = await xrpc.call<SessionAnswer>({ nsid: 'com.atproto.server.refreshSession', method: 'POST', bearer: from.session.refreshJwt, ...(signal ? { signal } : {}) });
      const session = toSession(answer, 'com.atproto.server.refreshSession');
      held = { session, state: (await store(session, from.state, read)) ?? from.state };
      how = 'refreshed';
      options.logger.info({ channel: channelId }, 'Bluesky session refreshed');
      return session;
    } catch (error) {
      if (error instanceof XrpcError && error.failure === 'http' && error.error !== null && REFRESH_REFUSED.has(error.error)) {
        options.logger.warn({ channel: channelId, reason: error.error }, 'the Bluesky refresh token was refused; signing in again with the app password');
        return login(read, signal);
      }
      throw error;
    }
  }

  const fresh = (session: BlueskySession): boolean => {
    const expiry = jwtExpiry(session.accessJwt);
    return expiry === null || expiry.getTime() - options.now().getTime() > EXPIRY_MARGIN_MS;
  };

  return {
    where: vault?.where ?? 'memory only (this process)',
    origin: () => how,
    current(signal) {
      if (held && fresh(held.session)) return Promise.resolve(held.session);
      return single(async () => {
        if (held && fresh(held.session)) return held.session;
        const { read, usable } = await readVault();
        if (usable && (!held || usable.session.accessJwt !== held.session.accessJwt)) {
          held = usable;
          how = 'stored';
          if (fresh(usable.session)) return usable.session;
        }
        if (held) return refresh(held, read, signal);
        return login(read, signal);
      });
    },
    renew(used, signal) {
      return single(async () => {
        if (held && held.session.accessJwt !== used.accessJwt && fresh(held.session)) return held.session;
        const { read, usable } = await readVault();
        // Another instance renewed it meanwhile: use its session.
        if (usable && usable.session.accessJwt !== used.accessJwt && fresh(usable.session)) {
          held = usable;
          how = 'stored';
          return usable.session;
        }
        const base = usable ?? (held && held.session.accessJwt === used.accessJwt ? held : { session: used, state: null });
        return refresh(base, read, signal);
      });
    },
  };
}

interface SessionAnswer {
  accessJwt?: unknown;
  refreshJwt?: unknown;
  did?: unknown;
  handle?: unknown;
}

function toSession(answer: SessionAnswer, nsid: string): BlueskySession {
  const { accessJwt, refreshJwt, did, handle } = answer;
  if (typeof accessJwt !== 'string' || typeof refreshJwt !== 'string' || typeof did !== 'string') {
    throw new XrpcError('malformed', `${nsid}: the answer has no accessJwt, refreshJwt and did`, nsid, 200, null, null);
  }
  return { accessJwt, refreshJwt, did, handle: typeof handle === 'string' ? handle : did };
}

function parseSession(token: string): BlueskySession | null {
  try {
    const value = JSON.parse(token) as Partial<BlueskySession>;
    if (typeof value.accessJwt === 'string' && typeof value.refreshJwt === 'string' && typeof value.did === 'string') {
      return { accessJwt: value.accessJwt, refreshJwt: value.refreshJwt, did: value.did, handle: typeof value.handle === 'string' ? value.handle : value.did };
    }
  } catch {
    // not a session: sign in again
  }
  return null;
}

/** The `exp` of a JWT, or null when it has none we can read (then the PDS tells us with ExpiredToken). */
export function jwtExpiry(jwt: string): Date | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : null;
  } catch {
    return null;
  }
}
