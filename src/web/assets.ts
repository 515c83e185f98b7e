/**
 * The console's few static files under /admin/assets/: its stylesheet and htmx
 * (from node_modules, no CDN: the CSP allows scripts from this origin only).
 * A fixed list read once, not a directory: nothing else on disk can be asked for.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PUBLIC } from './access';

const ASSETS: readonly { name: string; type: string; file: () => string }[] = [
  { name: 'console.css', type: 'text/css; charset=utf-8', file: () => path.join(__dirname, 'assets', 'console.css') },
  { name: 'htmx.min.js', type: 'text/javascript; charset=utf-8', file: () => require.resolve('htmx.org/dist/htmx.min.js') },
];

export function registerAssets(app: FastifyInstance): void {
  for (const asset of ASSETS) {
    const bytes = fs.readFileSync(asset.file());
    app.get(`/admin/assets/${asset.name}`, { config: { access: PUBLIC } }, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(bytes),
    );
  }
}
