/**
 * The public side of the web server (issue 10), no sign-in: the index of
 * offices (`/`), each office's page, archive and entries, verification
 * (`/v`), card images, the widget, and the Indonesian error pages. Server-
 * rendered, no script on any page, Bahasa Indonesia only.
 *
 *   const pages = registerPublicPages(app, web);   // in web/server.ts
 *   pages.sendError(reply, 404);                   // the not-found handler outside /admin/ and /api/
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { WebContext } from '../console-page';
import { registerArchivePages } from './archive-pages';
import { registerCardImages } from './card-images';
import { createOfficeDataLoader } from './office-data';
import { registerOfficeIndex } from './office-index';
import { registerOfficePage } from './office-page';
import { registerPublicAssets } from './public-assets';
import { sendPublicError, type PublicContext } from './public-context';
import { loadPublicViews } from './public-views';
import { registerVerifyPages } from './verify-pages';
import { registerWidget } from './widget';

export interface PublicPages {
  sendError(reply: FastifyReply, status: number): FastifyReply;
}

export function registerPublicPages(app: FastifyInstance, web: WebContext): PublicPages {
  const { cssHref } = registerPublicAssets(app);
  const ctx: PublicContext = { web, views: loadPublicViews(), cssHref, officeData: createOfficeDataLoader(web) };
  registerOfficeIndex(app, ctx);
  registerOfficePage(app, ctx);
  registerArchivePages(app, ctx);
  registerCardImages(app, ctx);
  registerVerifyPages(app, ctx);
  registerWidget(app, ctx);
  return { sendError: (reply, status) => sendPublicError(ctx, reply, status) };
}

/** The URLs whose errors are JSON (machines read them), not an Indonesian page: the API and the feeds. */
export function isMachineUrl(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return path.startsWith('/api/') || path === '/api' || /\.(ics|atom|json|js)$/.test(path) || path === '/metrics' || path === '/healthz' || path === '/readyz';
}
