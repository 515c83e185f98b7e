import { redactSecrets } from '../../src/alerts/redact';

describe('alerts/redact', () => {
  const secret = 'p@ss word/RECOGNISABLE';

  it('removes a secret as written, percent-encoded and base64-encoded', () => {
    const text = [
      `login failed for ${secret}`,
      `GET /bot${encodeURIComponent(secret)}/sendMessage`,
      `AUTH PLAIN ${Buffer.from(secret).toString('base64')}`,
    ].join('\n');
    const out = redactSecrets(text, [secret]);
    expect(out).toBe('login failed for [redacted]\nGET /bot[redacted]/sendMessage\nAUTH PLAIN [redacted]');
  });

  it('leaves text alone when there is nothing to hide, and ignores values too short to be secrets', () => {
    expect(redactSecrets('connect ECONNREFUSED 127.0.0.1:25', ['abc', ''])).toBe('connect ECONNREFUSED 127.0.0.1:25');
  });
});
