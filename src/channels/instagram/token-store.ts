/**
 * Instagram-Login long-lived tokens last 60 days and can be refreshed once
 * they are 24 h old. Which token to use is decided here from the `.env` token
 * and what a vault (../token-vault.ts) holds: the database, shared and sealed,
 * when the bot runs with one; else `<stateDir>/tokens/<channelId>.json` (mode
 * 0600, written atomically), this file's vault. The env token's fingerprint is
 * kept so a NEW token put in .env by staff wins over a stored refreshed one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RefreshClaim, TokenRead, TokenState, TokenVault } from '../token-vault';

export type { TokenState } from '../token-vault';

interface TokenFile {
  token: string;
  obtainedAt: string;
  expiresAt: string | null;
  source: 'env' | 'refreshed';
  envFingerprint: string;
  retiredFingerprints?: string[];
}

export const DAY_MS = 86_400_000;
/** Refresh when at least this old… */
export const REFRESH_MIN_AGE_MS = DAY_MS;
/** …and expiring within this window. */
export const REFRESH_WINDOW_MS = 30 * DAY_MS;

export function fingerprintToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** The file a channel's token state is kept in. */
export function tokenFilePath(stateDir: string, channelId: string): string {
  return path.join(stateDir, 'tokens', `${channelId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

/** The stored state, or null when absent or unreadable (a broken file must not stop publishing with the env token). */
export function readTokenState(file: string): TokenState | null {
  return readTokenFile(file)?.state ?? null;
}

function readTokenFile(file: string): { state: TokenState; retired: string[] } | null {
  let raw: TokenFile;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as TokenFile;
  } catch {
    return null;
  }
  if (typeof raw.token !== 'string' || typeof raw.envFingerprint !== 'string' || typeof raw.obtainedAt !== 'string') return null;
  const obtainedAt = new Date(raw.obtainedAt);
  if (Number.isNaN(obtainedAt.getTime())) return null;
  const expiresAt = raw.expiresAt ? new Date(raw.expiresAt) : null;
  const state: TokenState = {
    token: raw.token,
    obtainedAt,
    expiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null,
    source: raw.source === 'refreshed' ? 'refreshed' : 'env',
    envFingerprint: raw.envFingerprint,
  };
  const retired = Array.isArray(raw.retiredFingerprints) ? raw.retiredFingerprints.filter((f): f is string => typeof f === 'string') : [];
  return { state, retired };
}

/** Atomic write: tmp file created 0600, fsync, rename; the directory is 0700. */
export function writeTokenState(file: string, state: TokenState, retired: readonly string[] = []): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const body: TokenFile = {
    token: state.token,
    obtainedAt: state.obtainedAt.toISOString(),
    expiresAt: state.expiresAt ? state.expiresAt.toISOString() : null,
    source: state.source,
    envFingerprint: state.envFingerprint,
    ...(retired.length > 0 ? { retiredFingerprints: [...retired] } : {}),
  };
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * This process's own vault: one file per channel under `<stateDir>/tokens/`.
 * Nothing is shared, so every claim to refresh is granted (the keeper runs
 * one refresh at a time).
 */
export function createFileTokenVault(stateDir: string): TokenVault {
  const granted: RefreshClaim = { finish: () => Promise.resolve(), release: () => Promise.resolve() };
  return {
    where: `${path.join(stateDir, 'tokens')}${path.sep}`,
    read(channelId) {
      const stored = readTokenFile(tokenFilePath(stateDir, channelId));
      return Promise.resolve<TokenRead>(stored ? { kind: 'stored', ...stored } : { kind: 'none' });
    },
    adopt(channelId, state, replacing) {
      const file = tokenFilePath(stateDir, channelId);
      const retired = readTokenFile(file)?.retired ?? [];
      writeTokenState(file, state, replacing === null ? retired : [...new Set([...retired, replacing])]);
      return Promise.resolve();
    },
    saveRefreshed(channelId, _from, next) {
      const file = tokenFilePath(stateDir, channelId);
      writeTokenState(file, next, readTokenFile(file)?.retired ?? []);
      return Promise.resolve(true);
    },
    claimRefresh: () => Promise.resolve(granted),
  };
}

/** What to use now, given the `.env` token and what the vault holds. */
export interface TokenDecision {
  state: TokenState;
  /** Record the `.env` token as new: where nothing is stored (`replacing` null), or over the state from `replacing`. */
  adopt: { replacing: string | null } | null;
  /** Whether `state` is the vault's state (a refresh of it can be stored); false when only this instance's `.env` token is used. */
  stored: boolean;
  /** What staff should fix: this instance's `.env` token is an old one, or the stored token cannot be opened (why, no token). */
  problem: { kind: 'stale-env' } | { kind: 'unreadable'; reason: string } | null;
}

/**
 * The stored state when it descends from the current env token; a NEW env
 * token (one the vault never saw) wins and is recorded, its age counted from
 * now (the safe side for "≥ 24 h old"); an env token the vault retired (an
 * instance whose `.env` was not updated yet) loses to the stored one.
 */
export function decideTokenState(envToken: string, read: TokenRead, now: Date): TokenDecision {
  const envFingerprint = fingerprintToken(envToken);
  const fromEnv: TokenState = { token: envToken, obtainedAt: now, expiresAt: null, source: 'env', envFingerprint };
  if (read.kind === 'none') return { state: fromEnv, adopt: { replacing: null }, stored: true, problem: null };
  const retired = read.retired.includes(envFingerprint);
  if (read.kind === 'unreadable') {
    if (read.envFingerprint !== envFingerprint && !retired) return { state: fromEnv, adopt: { replacing: read.envFingerprint }, stored: true, problem: null };
    return { state: fromEnv, adopt: null, stored: false, problem: { kind: 'unreadable', reason: read.reason } };
  }
  const stored = read.state;
  if (stored.envFingerprint === envFingerprint) return { state: { ...stored, token: stored.token ?? envToken }, adopt: null, stored: true, problem: null };
  if (!retired) return { state: fromEnv, adopt: { replacing: stored.envFingerprint }, stored: true, problem: null };
  // The vault keeps no copy of a `.env` token: then this instance's own old one is all there is.
  return stored.token === null
    ? { state: fromEnv, adopt: null, stored: false, problem: { kind: 'stale-env' } }
    : { state: { ...stored, token: stored.token }, adopt: null, stored: true, problem: { kind: 'stale-env' } };
}

/** Whether an Instagram-Login token should be refreshed now. */
export function shouldRefresh(state: TokenState, now: Date): boolean {
  const age = now.getTime() - state.obtainedAt.getTime();
  if (age < REFRESH_MIN_AGE_MS) return false;
  if (state.expiresAt === null) return true;
  const left = state.expiresAt.getTime() - now.getTime();
  return left > 0 && left <= REFRESH_WINDOW_MS;
}
