/**
 * The media server behind a load balancer (issue 8): any instance serves any
 * card from the ledger database, and instances sharing HERALD_MEDIA_SECRET
 * accept each other's URLs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src/errors';
import { startMediaServer, type MediaServer } from '../../src/media-server/media-server';
import { replaceCards } from '../../src/store/card-store';
import { DIALECTS, useTestStore } from '../support/databases';

const SHARED = crypto.randomBytes(32).toString('hex');
const FILE = 'media/post-7/r2/card.jpg';

describe.each(DIALECTS)('media-server/media-server with the ledger on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  const dirs: string[] = [];
  const servers: MediaServer[] = [];
  const card = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(3000), Buffer.from([0xff, 0xd9])]);

  async function instance(env: Record<string, string>): Promise<{ dir: string; server: MediaServer }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-media-cluster-'));
    dirs.push(dir);
    const server = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'https://media.example.go.id/herald', store: ctx.store, env });
    servers.push(server);
    return { dir, server };
  }
  const local = (server: MediaServer, url: string): string => `${server.address}${new URL(url).pathname}`;

  beforeEach(async () => {
    await replaceCards(ctx.store.db, { id: 'post-7', revision: 2 }, [{ file: FILE, mime: 'image/jpeg', width: 1080, height: 1350, bytes: card, sha256: crypto.createHash('sha256').update(card).digest('hex') }], new Date('2026-11-27T05:00:00Z'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves a card from the database that is on no disk, under a URL signed by another instance with the shared secret', async () => {
    const a = await instance({ HERALD_MEDIA_SECRET: SHARED });
    const b = await instance({ HERALD_MEDIA_SECRET: SHARED });
    const url = a.server.publicUrl(FILE);
    expect(b.server.publicUrl(FILE)).toBe(url);
    for (const { server } of [a, b]) {
      const response = await fetch(local(server, url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('content-length')).toBe(String(card.length));
      expect(Buffer.from(await response.arrayBuffer()).equals(card)).toBe(true);
    }
    const head = await fetch(local(b.server, url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(fs.existsSync(path.join(b.dir, FILE))).toBe(false);
  });

  it('serves the stored rendering over a stale file of the same path, and still serves files with no row', async () => {
    const { dir, server } = await instance({ HERALD_MEDIA_SECRET: SHARED });
    fs.mkdirSync(path.join(dir, 'media/post-7/r2'), { recursive: true });
    fs.writeFileSync(path.join(dir, FILE), 'older drawing');
    fs.writeFileSync(path.join(dir, 'media/post-7/r2/card-2.jpg'), 'from before the media table');
    expect(Buffer.from(await (await fetch(local(server, server.publicUrl(FILE)))).arrayBuffer()).equals(card)).toBe(true);
    const legacy = await fetch(local(server, server.publicUrl('media/post-7/r2/card-2.jpg')));
    expect(legacy.status).toBe(200);
    expect(await legacy.text()).toBe('from before the media table');
  });

  it('without the shared secret, another instance refuses the URL (404); a malformed secret is a clear error', async () => {
    const a = await instance({});
    const b = await instance({});
    expect((await fetch(local(b.server, a.server.publicUrl(FILE)))).status).toBe(404);
    expect((await fetch(local(a.server, a.server.publicUrl(FILE)))).status).toBe(200);
    const failure = await instance({ HERALD_MEDIA_SECRET: 'not-hex-SEKRET' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as Error).message).toMatch(/HERALD_MEDIA_SECRET must be at least 64 hex characters.*openssl rand -hex 32/);
    expect((failure as Error).message).not.toContain('SEKRET');
  });
});

