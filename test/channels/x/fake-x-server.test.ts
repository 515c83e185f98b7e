/**
 * The fake X itself: its OAuth check must agree with X's published example,
 * and what it refuses it refuses with X's own body.
 */
import crypto from 'node:crypto';
import { parseMultipart } from '../../fakes/x/multipart';
import { percentEncode, signatureBaseString } from '../../fakes/x/oauth1';
import { startFakeXServer } from '../../fakes/fake-x-server';
import { SECRETS } from './x-harness';

describe('fakes/fake-x-server', () => {
  it('builds the signature base string of X\'s "Creating a signature" example', () => {
    const params: [string, string][] = [
      ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
      ['include_entities', 'true'],
      ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
      ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1318622958'],
      ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
      ['oauth_version', '1.0'],
    ];
    const base = signatureBaseString('POST', 'https://api.twitter.com/1.1/statuses/update.json', params);
    const key = `${percentEncode('kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw')}&${percentEncode('LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE')}`;
    expect(crypto.createHmac('sha1', key).update(base).digest('base64')).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('refuses unsigned and wrongly keyed requests with X\'s 401 body', async () => {
    const server = await startFakeXServer(SECRETS);
    try {
      const unsigned = await fetch(`${server.url}/2/users/me`);
      expect(unsigned.status).toBe(401);
      expect(await unsigned.json()).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      const wrongKey = await fetch(`${server.url}/2/users/me`, {
        headers: { authorization: 'OAuth oauth_consumer_key="someone-else", oauth_token="t", oauth_nonce="n", oauth_timestamp="1", oauth_signature_method="HMAC-SHA1", oauth_version="1.0", oauth_signature="x"' },
      });
      expect(wrongKey.status).toBe(401);
      expect(server.requests.map((r) => r.authProblem)).toEqual(['no OAuth Authorization header', 'unknown consumer key']);
      expect(server.tweets).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('parses multipart bodies with binary parts byte for byte', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const body = Buffer.concat([
      Buffer.from('--XYZ\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n3\r\n'),
      Buffer.from('--XYZ\r\nContent-Disposition: form-data; name="media"\r\nContent-Type: application/octet-stream\r\n\r\n'),
      bytes,
      Buffer.from('\r\n--XYZ--\r\n'),
    ]);
    const parts = parseMultipart(body, 'multipart/form-data; boundary=XYZ');
    expect(parts.map((p) => [p.name, p.contentType])).toEqual([
      ['segment_index', null],
      ['media', 'application/octet-stream'],
    ]);
    expect(parts[0]!.data.toString()).toBe('3');
    expect(parts[1]!.data.equals(bytes)).toBe(true);
  });
});
