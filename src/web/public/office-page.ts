/**
 * `/o/{office}/`: the office's public page: the openings open now and to
 * come (state, days, counts), the past month's in one line each, how to book, the "GRATIS, waspada calo" message, the
 * cek-keaslian box, and its archive, calendar, feed and widget.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PUBLIC } from '../access';
import { bookingView } from './office-view';
import { openingView, openNow, pastOpenings, upcomingOpenings } from './opening-view';
import { PAGE_POLICY } from '../public-cache';
import { minuteOf, nextStateChange } from '../public-version';
import type { PublicOfficeData } from './office-data';
import { cacheFor, errorFields, HTML, pageHtml, sendPublicError, type PublicContext } from './public-context';
import { officePaths } from './public-paths';
import { embedCode } from './widget';

export function registerOfficePage(app: FastifyInstance, ctx: PublicContext): void {
  app.get('/o/:office', { config: { access: PUBLIC } }, async (request, reply) => reply.redirect(officePaths((request.params as { office: string }).office).page, 301));
  app.get('/o/:office/', { config: { access: PUBLIC } }, async (request, reply) => {
    const officeId = (request.params as { office: string }).office;
    if (!ctx.web.offices().some((served) => served.id === officeId)) return sendPublicError(ctx, reply, 404);
    // The page shows states that turn at whole minutes: kept per minute, and never past the next change.
    const now = ctx.web.clock.now();
    const version = `${await ctx.web.publicVersions.of(officeId)}:${minuteOf(now)}`;
    return ctx.web.publicCache.serve(request, reply, { key: `page:${officeId}:${origin(request)}`, version, policy: PAGE_POLICY }, async () => {
      const data = await ctx.officeData(officeId);
      if (!data) return { status: 404, body: pageHtml(ctx, 'error', errorFields(404)), contentType: HTML, cacheControl: cacheFor(404) };
      return { body: officePage(ctx, request, data, now), contentType: HTML, changesAt: data.openings ? nextStateChange(data.openings, now) : null };
    });
  });
}

function officePage(ctx: PublicContext, request: FastifyRequest, data: PublicOfficeData, now: Date): string {
  const { office } = data;
  const paths = officePaths(office.id);
  return pageHtml(ctx, 'office', {
    title: `Jadwal kuota ${office.name}`,
    description: `Jadwal resmi pembukaan kuota antrean ${office.name}, cara mendaftar, dan cek keaslian pengumuman.`,
    office: { id: office.id, name: office.name, current: 'page' },
    atomHref: paths.atom,
    officeName: office.name,
    zoneLabel: office.zoneLabel,
    dryRun: data.dryRun,
    unavailable: data.openings === null,
    open: data.openings ? openNow(data.openings).map(openingView) : [],
    upcoming: data.openings ? upcomingOpenings(data.openings, now).map(openingView) : [],
    past: data.openings ? pastOpenings(data.openings, now).map(openingView) : [],
    booking: bookingView(office),
    paths,
    embed: embedCode(origin(request), office),
  });
}

/** `https://kuota.example.go.id` as the visitor reached us (behind a trusted proxy: as it says). */
export function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
