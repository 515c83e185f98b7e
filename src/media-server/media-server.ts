/**
 * The bot's own small HTTP server for rendered cards. Instagram fetches each
 * image itself from `image_url`, so the card must be reachable from the
 * internet (through a reverse proxy or tunnel at `publicBaseUrl`). Files are
 * only served under `/m/<hmac>/<path>`, where the HMAC of the path under a
 * secret from the data directory makes URLs unguessable: no listing, no
 * probing for tomorrow's cards.
 *
 * Behind a load balancer any instance may be asked for any card: cards are
 * served from the ledger database (store/card-store.ts) when it has them, else
 * from this machine's disk (cards rendered before the database kept them). The
 * instances must then share the HMAC secret: set HERALD_MEDIA_SECRET on each
 * (media-secret.ts); without it each data directory has its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { findCard } from '../store/card-store';
import type { Store } from '../store/open';
import { loadOrCreateMediaSecret, mediaSecretFromEnv, signMediaPath } from './media-secret';

export interface MediaServerOptions {
  /** The data directory; files are served from `<rootDir>/media/`. */
  rootDir: string;
  /** Where `media-secret` lives (usually the same data directory). */
  stateDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The public address Instagram uses, e.g. `https://media.example.go.id/herald`; may carry a path prefix. */
  publicBaseUrl: string;
  /** The ledger, to serve cards any instance rendered; without it only files on disk are served. */
  store?: Store;
  /** The environment, read for HERALD_MEDIA_SECRET (shared by instances behind one address). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface MediaServer {
  /** Where the server actually listens: `http://host:port`. */
  readonly address: string;
  /**
   * The public URL of a rendered file. `file` is relative to `rootDir` as the
   * renderer records it (`media/<post>/r1/card.jpg`); it must lie under `media/`.
   */
  publicUrl(file: string): string;
  close(): Promise<void>;
}

const MEDIA_DIR = 'media';
const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

/** Starts the media server; resolves once it listens. */
export async function startMediaServer(options: MediaServerOptions): Promise<MediaServer> {
  const secret = mediaSecretFromEnv(options.env ?? {}) ?? loadOrCreateMediaSecret(options.stateDir);
  const mediaDir = path.resolve(options.rootDir, MEDIA_DIR);
  const base = options.publicBaseUrl.replace(/\/+$/, '');

  const server = http.createServer((req, res) => {
    handle(req, res, mediaDir, secret, options.store ?? null).catch(() => notFound(res));
  });
  // Keep-alive sockets would hold close() open; Instagram's fetcher does not need them.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    address: `http://${hostForUrl}:${port}`,
    publicUrl(file: string): string {
      const relative = mediaRelative(file);
      const encoded = relative.split('/').map(encodeURIComponent).join('/');
      return `${base}/m/${signMediaPath(secret, relative)}/${encoded}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `media/a/b.jpg` → `a/b.jpg`; anything not inside the media directory is a programming error. */
function mediaRelative(file: string): string {
  const parts = file.split(/[\\/]/);
  if (parts[0] !== MEDIA_DIR || parts.length < 2 || parts.some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`media file "${file}" is not inside the media directory`);
  }
  return parts.slice(1).join('/');
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, mediaDir: string, secret: Buffer, store: Store | null): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
  const pathname = (req.url ?? '').split('?')[0] ?? '';
  // The prefix of publicBaseUrl is stripped by the proxy or not: accept both by
  // looking for the last `/m/<64 hex>/` segment.
  const match = /\/m\/([0-9a-f]{64})\/(.+)$/.exec(pathname);
  if (!match) return notFound(res);
  let relative: string;
  try {
    relative = decodeURIComponent(match[2]!);
  } catch {
    return notFound(res);
  }
  if (relative.includes('\0') || relative.split('/').some((part) => part === '..' || part === '.' || part === '')) return notFound(res);
  const expected = Buffer.from(signMediaPath(secret, relative), 'hex');
  const given = Buffer.from(match[1]!, 'hex');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return notFound(res);

  // The database first: it holds the rendering the post was made with, whoever drew
  // it; a file on this disk may be an older drawing of the same path.
  const stored = store ? await findCard(store, `${MEDIA_DIR}/${relative}`) : null;
  if (stored) {
    writeHeaders(res, stored.mime, stored.bytes.length);
    return void res.end(req.method === 'HEAD' ? undefined : stored.bytes);
  }

  const file = path.resolve(mediaDir, relative);
  // Symlinks inside the media directory must not lead out of it.
  const [realDir, realFile] = await Promise.all([fs.promises.realpath(mediaDir), fs.promises.realpath(file)]);
  if (!realFile.startsWith(realDir + path.sep)) return notFound(res);
  const stat = await fs.promises.stat(realFile);
  if (!stat.isFile()) return notFound(res);

  writeHeaders(res, CONTENT_TYPES[path.extname(realFile).toLowerCase()] ?? 'application/octet-stream', stat.size);
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((resolve, reject) => {
    const stream = fs.createReadStream(realFile);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}

function writeHeaders(res: http.ServerResponse, contentType: string, length: number): void {
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': length,
    'cache-control': 'private, max-age=86400',
    'x-content-type-options': 'nosniff',
  });
}

function notFound(res: http.ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 10 });
  res.end('not found\n');
}
