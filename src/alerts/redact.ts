/**
 * Secrets must never reach a log line, an error or the ledger. Delivery
 * errors come from libraries and servers we do not control (an SMTP server may
 * echo a command, a URL may carry the bot token), so every text a sink logs
 * passes through here first.
 */

const CENSOR = '[redacted]';

/**
 * `text` with every secret replaced, also in the encodings that travel on the
 * wire: base64 (SMTP AUTH PLAIN/LOGIN) and percent-encoding (URLs).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would censor ordinary words; real credentials are longer.
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])) {
      out = out.split(form).join(CENSOR);
    }
  }
  return out;
}
