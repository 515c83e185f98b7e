/**
 * Where the key that seals access tokens in the database comes from
 * (token-cipher.ts):
 *
 * - `HERALD_TOKEN_KEY` (64+ hex characters, `openssl rand -hex 32`), the same
 *   on every instance: required for several instances on one PostgreSQL, used
 *   on SQLite too when set.
 * - SQLite without it: `<data>/token-key`, created on first use (32 random
 *   bytes, mode 0600), like `media-secret`. One machine, one data directory:
 *   the key sits beside the ledger but not in it, so a copied or backed-up
 *   `herald.sqlite` alone reveals no token, and nothing new is needed in `.env`.
 * - PostgreSQL without it: no key. Each instance's data directory is its own,
 *   so a key file there would differ per instance and every instance but one
 *   would find the stored token sealed with another key; instead refreshed
 *   tokens stay in each instance's `tokens/` files, as before, and a warning
 *   says to set the variable (app/token-vault.ts).
 *
 * Not `HERALD_MEDIA_SECRET` as a fallback: that secret only signs card URLs,
 * which are signed when a post is sent, so it can be replaced whenever no post
 * is in flight; replacing the token key makes every stored token unreadable.
 * And a leak of the URL secret should not also open the account tokens. Two
 * secrets, two lifetimes.
 */
import path from 'node:path';
import { AppError } from '../errors';
import { loadOrCreateSecretFile } from '../media-server/media-secret';

export const TOKEN_KEY_VARIABLE = 'HERALD_TOKEN_KEY';
export const TOKEN_KEY_FILE = 'token-key';

/**
 * The key secret from HERALD_TOKEN_KEY, or null when unset. A malformed value
 * is an error saying what to do (its value is never shown).
 */
export function tokenKeyFromEnv(env: Readonly<Record<string, string | undefined>>): Buffer | null {
  const value = env[TOKEN_KEY_VARIABLE]?.trim();
  if (!value) return null;
  if (!/^(?:[0-9a-f]{2}){32,}$/i.test(value)) {
    throw new AppError('usage', `${TOKEN_KEY_VARIABLE} must be at least 64 hex characters (32 random bytes): create one with \`openssl rand -hex 32\` and give every instance the same value`);
  }
  return Buffer.from(value, 'hex');
}

/** Reads `<dataDir>/token-key`, creating it (mode 0600) on first use. */
export function loadOrCreateTokenKeyFile(dataDir: string): Buffer {
  return loadOrCreateSecretFile(path.join(dataDir, TOKEN_KEY_FILE));
}
