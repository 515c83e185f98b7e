/**
 * Standard Webhooks signing (docs/channels/webhook.md): `v1,` + base64
 * HMAC-SHA256 over `id.timestamp.body`, keyed with the base64-decoded part of
 * a `whsec_…` secret. While a secret is rotated, one entry per secret,
 * separated by spaces (the spec's multi-signature header).
 */
import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The spec asks for 24–64 random bytes; fewer is a guessable key. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** The HMAC key of a `whsec_<base64>` secret, or why it is not one (never echoing the value). */
export function parseWebhookSecret(secret: string): { key: Buffer } | { problem: string } {
  if (!secret.startsWith(SECRET_PREFIX)) return { problem: `does not start with ${SECRET_PREFIX}` };
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return { problem: `is not ${SECRET_PREFIX} followed by base64` };
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) return { problem: `holds ${key.length} bytes; the key must be ${MIN_KEY_BYTES}–${MAX_KEY_BYTES} random bytes` };
  return { key };
}

/** The `webhook-signature` header value for one attempt. */
export function signWebhook(keys: readonly Buffer[], id: string, timestampSeconds: number, body: string | Buffer): string {
  return keys
    .map((key) => `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64')}`)
    .join(' ');
}
