/**
 * The secret that makes media URLs unguessable. Created once per data
 * directory and kept readable only by the bot's user: whoever knows it can
 * list nothing, but could address any rendered card before it is posted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

export const MEDIA_SECRET_FILE = 'media-secret';
/** The shared secret of instances behind one public address: 64+ hex characters (`openssl rand -hex 32`). */
export const MEDIA_SECRET_VARIABLE = 'HERALD_MEDIA_SECRET';

/**
 * The secret from HERALD_MEDIA_SECRET, or null when unset. Several instances
 * behind one load balancer must sign and check media URLs with one secret: a
 * URL signed by the instance that publishes is fetched from whichever instance
 * the balancer picks. A malformed value is an error saying what to do (its
 * value is never shown).
 */
export function mediaSecretFromEnv(env: Readonly<Record<string, string | undefined>>): Buffer | null {
  const value = env[MEDIA_SECRET_VARIABLE]?.trim();
  if (!value) return null;
  if (!/^(?:[0-9a-f]{2}){32,}$/i.test(value)) {
    throw new AppError('usage', `${MEDIA_SECRET_VARIABLE} must be at least 64 hex characters (32 random bytes): create one with \`openssl rand -hex 32\` and give every instance the same value`);
  }
  return Buffer.from(value, 'hex');
}

/** Reads `<stateDir>/media-secret`, creating it (32 random bytes, hex, mode 0600) on first use. */
export function loadOrCreateMediaSecret(stateDir: string): Buffer {
  return loadOrCreateSecretFile(path.join(stateDir, MEDIA_SECRET_FILE));
}

/**
 * Reads a secret file (64+ hex characters), creating it with 32 random bytes,
 * mode 0600, on first use. Several processes creating it at once agree on one.
 */
export function loadOrCreateSecretFile(file: string): Buffer {
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  try {
    // `wx`-like semantics via link: if another process won the race, keep its secret.
    fs.linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const created = readSecret(file);
  if (!created) throw new Error(`${file} is empty or unreadable: delete it and restart`);
  return created;
}

function readSecret(file: string): Buffer | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // A secret copied with looser permissions is still a secret: tighten it.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return /^[0-9a-f]{64,}$/i.test(text) ? Buffer.from(text, 'hex') : null;
}

/** hex HMAC-SHA256 of the media path (relative to the media directory, `/`-separated). */
export function signMediaPath(secret: Buffer, relativePath: string): string {
  return crypto.createHmac('sha256', secret).update(relativePath).digest('hex');
}
