/**
 * The secret that makes media URLs unguessable. Created once per data
 * directory and kept readable only by the bot's user: whoever knows it can
 * list nothing, but could address any rendered card before it is posted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MEDIA_SECRET_FILE = 'media-secret';

/** Reads `<stateDir>/media-secret`, creating it (32 random bytes, hex, mode 0600) on first use. */
export function loadOrCreateMediaSecret(stateDir: string): Buffer {
  const file = path.join(stateDir, MEDIA_SECRET_FILE);
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(stateDir, { recursive: true });
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
