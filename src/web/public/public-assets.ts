/**
 * The public stylesheet at a URL named by its content (`/assets/public.3f9a1c2b.css`):
 * cached by browsers and CDNs for a year, and a new version of the file is a
 * new URL, so nobody keeps an old one. One small file, no fonts, no images:
 * a first visit on 3G costs the page and ~4 kB.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../access';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface PublicAssets {
  cssHref: string;
}

export function registerPublicAssets(app: FastifyInstance, file = path.join(__dirname, 'public.css')): PublicAssets {
  const bytes = fs.readFileSync(file);
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const cssHref = `/assets/public.${hash}.css`;
  app.get(cssHref, { config: { access: PUBLIC } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', IMMUTABLE).header('etag', `"${hash}"`).send(bytes),
  );
  return { cssHref };
}
