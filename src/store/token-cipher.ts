/**
 * Access tokens at rest in the ledger database (channel_tokens): AES-256-GCM
 * with a key derived (HKDF-SHA256) from a secret kept outside the database —
 * `HERALD_TOKEN_KEY` in the environment, or, for SQLite on one machine, a
 * file in the data directory (store/token-key.ts). A database dump or a copied
 * ledger file alone never reveals a token.
 *
 * A sealed token is one text value: `v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>`,
 * a fresh 12-byte IV each time and the 16-byte tag. The key id is derived from
 * the secret with its own HKDF label (it says nothing about the key): it tells
 * "sealed with another key" (instances given different secrets) from "damaged".
 * The row's other columns (channel, env fingerprint, times) are bound in as
 * associated data, so a sealed token moved to another row does not open.
 */
import crypto from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = 'quota-herald';

export interface TokenCipher {
  /** 12 hex characters naming the key (derived with a separate label: reveals nothing of it). */
  readonly keyId: string;
  /** Encrypts `plaintext`, bound to `context` (associated data). */
  seal(plaintext: string, context: string): string;
  /** @throws TokenUnsealError when it was sealed with another key, or was altered or damaged. */
  open(sealed: string, context: string): string;
}

export class TokenUnsealError extends Error {
  constructor(
    readonly reason: 'other-key' | 'damaged',
    message: string,
  ) {
    super(message);
    this.name = 'TokenUnsealError';
  }
}

export function createTokenCipher(secret: Buffer): TokenCipher {
  const key = Buffer.from(crypto.hkdfSync('sha256', secret, SALT, 'channel token encryption v1', 32));
  const keyId = Buffer.from(crypto.hkdfSync('sha256', secret, SALT, 'channel token key id v1', 6)).toString('hex');
  return {
    keyId,
    seal(plaintext, context) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${FORMAT}.${keyId}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    open(sealed, context) {
      const [format, sealedKeyId, payload, ...rest] = sealed.split('.');
      if (format !== FORMAT || !sealedKeyId || payload === undefined || rest.length > 0) {
        throw new TokenUnsealError('damaged', 'the stored value is not a sealed token (damaged or from an unknown version)');
      }
      if (sealedKeyId !== keyId) {
        throw new TokenUnsealError('other-key', `it was encrypted with another key (key id ${sealedKeyId}; this instance's key is ${keyId})`);
      }
      const bytes = Buffer.from(payload, 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new TokenUnsealError('damaged', 'the stored value is truncated');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new TokenUnsealError('damaged', 'it does not authenticate: the row was altered or damaged');
      }
    },
  };
}
