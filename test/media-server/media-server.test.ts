import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MEDIA_SECRET_FILE } from '../../src/media-server/media-secret';
import { startMediaServer, type MediaServer } from '../../src/media-server/media-server';

/** A raw request, so paths reach the server exactly as written (fetch would normalise `..`). */
function rawRequest(base: string, method: string, rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: rawPath }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('media-server/media-server', () => {
  let dir: string;
  let server: MediaServer;
  const card = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-media-'));
    fs.mkdirSync(path.join(dir, 'media/post-1/r1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'media/post-1/r1/card.jpg'), card);
    fs.writeFileSync(path.join(dir, 'media/post-1/r1/card.png'), Buffer.from('png'));
    fs.writeFileSync(path.join(dir, 'herald.db'), 'not media');
    server = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'https://media.example.go.id/herald/' });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pathOf = (url: string): string => new URL(url).pathname;

  it('serves a file under /m/<hmac>/<path> with its type and length; publicUrl keeps the prefix', async () => {
    const url = server.publicUrl('media/post-1/r1/card.jpg');
    expect(url).toMatch(/^https:\/\/media\.example\.go\.id\/herald\/m\/[0-9a-f]{64}\/post-1\/r1\/card\.jpg$/);
    // Behind a proxy that keeps the prefix, and one that strips it.
    for (const requestPath of [pathOf(url), pathOf(url).replace('/herald', '')]) {
      const response = await rawRequest(server.address, 'GET', requestPath);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('image/jpeg');
      expect(response.headers['content-length']).toBe(String(card.length));
      expect(response.body).toEqual(card);
    }
    const png = await fetch(`${server.address}${pathOf(server.publicUrl('media/post-1/r1/card.png'))}`);
    expect(png.headers.get('content-type')).toBe('image/png');
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await rawRequest(server.address, 'HEAD', pathOf(server.publicUrl('media/post-1/r1/card.jpg')));
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(card.length));
    expect(response.body.length).toBe(0);
  });

  it('404s a wrong hmac, another file under a valid hmac, traversal, directories, missing files, listings and other methods', async () => {
    const good = pathOf(server.publicUrl('media/post-1/r1/card.jpg')).replace('/herald', '');
    const hmac = good.split('/')[2]!;
    const traversalHmac = pathOf(server.publicUrl('media/post-1/r1/card.jpg')).split('/')[3]!;
    const cases: [string, string][] = [
      ['GET', good.replace(hmac, hmac.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')))],
      ['GET', `/m/${hmac}/post-1/r1/card.png`],
      ['GET', `/m/${traversalHmac}/../herald.db`],
      ['GET', `/m/${traversalHmac}/post-1/%2e%2e/%2e%2e/herald.db`],
      ['GET', `${pathOf(server.publicUrl('media/post-1/r1/card.jpg')).replace('/herald', '').replace('card.jpg', '')}`],
      ['GET', pathOf(server.publicUrl('media/post-1/r1')).replace('/herald', '')],
      ['GET', pathOf(server.publicUrl('media/post-1/r1/missing.jpg')).replace('/herald', '')],
      ['GET', '/'],
      ['GET', '/m/'],
      ['POST', good],
      ['PUT', good],
      ['DELETE', good],
    ];
    for (const [method, requestPath] of cases) {
      const response = await rawRequest(server.address, method, requestPath);
      expect({ method, requestPath, status: response.status }).toEqual({ method, requestPath, status: 404 });
      expect(response.body.toString()).not.toContain('card');
    }
    expect(() => server.publicUrl('media/../herald.db')).toThrow(/not inside the media directory/);
  });

  it('does not follow a symlink out of the media directory', async () => {
    fs.symlinkSync(path.join(dir, 'herald.db'), path.join(dir, 'media/post-1/r1/leak.jpg'));
    const response = await rawRequest(server.address, 'GET', pathOf(server.publicUrl('media/post-1/r1/leak.jpg')));
    expect(response.status).toBe(404);
  });

  it('keeps its secret in <stateDir>/media-secret (0600) so URLs survive a restart', async () => {
    const file = path.join(dir, MEDIA_SECRET_FILE);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const before = server.publicUrl('media/post-1/r1/card.jpg');
    await server.close();
    server = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'https://media.example.go.id/herald' });
    expect(server.publicUrl('media/post-1/r1/card.jpg')).toBe(before);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-media-other-'));
    const elsewhere = await startMediaServer({ rootDir: dir, stateDir: other, host: '127.0.0.1', port: 0, publicBaseUrl: 'https://media.example.go.id/herald' });
    expect(elsewhere.publicUrl('media/post-1/r1/card.jpg')).not.toBe(before);
    expect((await rawRequest(elsewhere.address, 'GET', pathOf(before).replace('/herald', ''))).status).toBe(404);
    await elsewhere.close();
    fs.rmSync(other, { recursive: true, force: true });
  });
});
