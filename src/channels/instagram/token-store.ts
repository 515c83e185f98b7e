/**
 * Instagram-Login long-lived tokens last 60 days and can be refreshed once
 * they are 24 h old. The refreshed token lives in
 * `<stateDir>/tokens/<channelId>.json` (mode 0600, written atomically) — the
 * only place a token is ever written. The env token's fingerprint is kept so a
 * NEW token put in .env by staff wins over a stored refreshed one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface TokenState {
  token: string;
  obtainedAt: Date;
  /** null when the platform never told us (an env token not refreshed yet). */
  expiresAt: Date | null;
  source: 'env' | 'refreshed';
  /** sha256 of the env token this state descends from. */
  envFingerprint: string;
}

interface TokenFile {
  token: string;
  obtainedAt: string;
  expiresAt: string | null;
  source: 'env' | 'refreshed';
  envFingerprint: string;
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
  return {
    token: raw.token,
    obtainedAt,
    expiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null,
    source: raw.source === 'refreshed' ? 'refreshed' : 'env',
    envFingerprint: raw.envFingerprint,
  };
}

/** Atomic write: tmp file created 0600, fsync, rename; the directory is 0700. */
export function writeTokenState(file: string, state: TokenState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const body: TokenFile = {
    token: state.token,
    obtainedAt: state.obtainedAt.toISOString(),
    expiresAt: state.expiresAt ? state.expiresAt.toISOString() : null,
    source: state.source,
    envFingerprint: state.envFingerprint,
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
 * The token to use now: the stored one when it descends from the current env
 * token, else the env token as first seen now (its age is counted from here:
 * the safe side for "≥ 24 h old").
 */
export function currentTokenState(envToken: string, stored: TokenState | null, now: Date): { state: TokenState; isNew: boolean } {
  const envFingerprint = fingerprintToken(envToken);
  if (stored && stored.envFingerprint === envFingerprint) return { state: stored, isNew: false };
  return { state: { token: envToken, obtainedAt: now, expiresAt: null, source: 'env', envFingerprint }, isNew: true };
}

/** Whether an Instagram-Login token should be refreshed now. */
export function shouldRefresh(state: TokenState, now: Date): boolean {
  const age = now.getTime() - state.obtainedAt.getTime();
  if (age < REFRESH_MIN_AGE_MS) return false;
  if (state.expiresAt === null) return true;
  const left = state.expiresAt.getTime() - now.getTime();
  return left > 0 && left <= REFRESH_WINDOW_MS;
}
