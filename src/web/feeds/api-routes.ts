/**
 * The JSON API under `/api/v1` (documented in public/feeds/openapi.ts): the
 * offices, their openings and announcements, and a card's verification code.
 * Read-only, no credentials, conditional GET on every answer.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { announcementsVersion, findAnnouncementsByCode } from '../../public/announcements';
import { announcementPage, type AnnouncementPage } from '../../public/feeds/announcement-pages';
import { announcedOpeningTimes } from '../../public/feeds/announced-openings';
import { announcementJson, officeJson, openingJson } from '../../public/feeds/api-json';
import { openApiDocument } from '../../public/feeds/openapi';
import { publicUrls, type PublicUrls } from '../../public/feeds/urls';
import { versionOpenings } from '../../public/feeds/versioned-openings';
import type { PublicAnnouncement } from '../../public/types';
import { formatVerifyCode, parseVerifyCode } from '../../render/verify-code';
import { isPlainDate } from '../../time/plain-date';
import { fromLocal } from '../../time/zone';
import type { WebContext } from '../console-page';
import { ApiProblemError } from './api-errors';
import { baseUrlOf, type FeedOffice, type FeedOfficeLoader } from './feed-office';
import { requireOffice } from './feed-routes';
import { etagOf, isNotModified, sendCached, setValidators } from './http-cache';
import { API_PREFIX, FEED_ROUTE } from './route-options';

const JSON_TYPE = 'application/json; charset=utf-8';
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 100;
const FORMAT = 1;

export function registerApiRoutes(app: FastifyInstance, web: WebContext, offices: FeedOfficeLoader): void {

  app.get(`${API_PREFIX}/offices`, FEED_ROUTE, async (request, reply) => {
    const found: FeedOffice[] = [];
    for (const summary of web.offices()) {
      const result = await offices(summary.id);
      // An office whose config cannot be read now is left out of the list (its own URL says why).
      if (result.status === 'found') found.push(result.data);
    }
    const body = JSON.stringify({ offices: found.map((data) => officeJson(data.office, urlsFor(request, data))) });
    return sendCached(request, reply, { etag: etagOf(FORMAT, body), lastModified: null }, JSON_TYPE, () => body);
  });

  app.get(`${API_PREFIX}/offices/:office`, FEED_ROUTE, async (request, reply) => {
    const data = await requireOffice(offices, officeParam(request));
    const body = JSON.stringify(officeJson(data.office, urlsFor(request, data)));
    return sendCached(request, reply, { etag: etagOf(FORMAT, body), lastModified: null }, JSON_TYPE, () => body);
  });

  app.get(`${API_PREFIX}/offices/:office/openings`, FEED_ROUTE, async (request, reply) => {
    const officeId = officeParam(request);
    const data = await requireOffice(offices, officeId);
    const versioned = await versionOpenings(web.store, officeId, data.openings, data.revisionId, web.clock.now());
    const body = JSON.stringify({ office: officeId, modifiedAt: versioned.modifiedAt.toISOString(), openings: versioned.openings.map(openingJson) });
    return sendCached(request, reply, { etag: etagOf(FORMAT, body), lastModified: versioned.modifiedAt }, JSON_TYPE, () => body);
  });

  app.get(`${API_PREFIX}/offices/:office/announcements`, FEED_ROUTE, async (request, reply) => {
    const officeId = officeParam(request);
    const data = await requireOffice(offices, officeId);
    const query = pageQuery(request.query as Record<string, unknown>, data.office.timezone);
    const urls = urlsFor(request, data);
    const version = await announcementsVersion(web.store, officeId, { includeDryRun: data.announcementOptions.includeDryRun });
    const validators = {
      etag: etagOf(FORMAT, 'announcements', data.revisionId, urls.base, version.count, version.lastChange?.getTime() ?? null, query.from?.getTime(), query.to?.getTime(), query.before?.getTime(), query.beforeCode, query.limit),
      lastModified: version.lastChange,
    };
    if (isNotModified(request, validators)) {
      setValidators(reply, validators);
      return reply.code(304).send();
    }
    const announcements = await announcementPage(web.store, officeId, query, data.announcementOptions);
    const last = announcements[announcements.length - 1];
    const next = announcements.length === query.limit && last ? nextPage(urls, officeId, request.query as Record<string, unknown>, last) : null;
    const body = JSON.stringify({ office: officeId, announcements: await announcementBodies(web, announcements, data, urls), next });
    return sendCached(request, reply, validators, JSON_TYPE, () => body);
  });

  app.get(`${API_PREFIX}/announcements/:code`, FEED_ROUTE, async (request, reply) => {
    const typed = (request.params as { code: string }).code;
    const code = parseVerifyCode(typed);
    if (code === null) throw new ApiProblemError(404, `"${typed}" is not a verification code (8 letters and digits, like K7M2-Q9XD): no announcement has it.`);
    const found = await announcementsWithCode(web, offices, code);
    if (found.length === 0) throw new ApiProblemError(404, `No published announcement has the code ${formatVerifyCode(code)}: it is not an announcement of any office here.`);
    const bodies = [];
    for (const { data, announcement } of found) bodies.push(...(await announcementBodies(web, [announcement], data, urlsFor(request, data))));
    const body = JSON.stringify({ code, announcements: bodies });
    const lastModified = new Date(Math.max(...found.map(({ announcement }) => announcement.updatedAt.getTime())));
    return sendCached(request, reply, { etag: etagOf(FORMAT, body), lastModified }, JSON_TYPE, () => body);
  });

  app.get(`${API_PREFIX}/openapi.json`, FEED_ROUTE, async (request, reply) => {
    const body = JSON.stringify(openApiDocument(baseUrlOf(request, null)));
    return sendCached(request, reply, { etag: etagOf(FORMAT, body), lastModified: null }, JSON_TYPE, () => body);
  });
}

function officeParam(request: FastifyRequest): string {
  return (request.params as { office: string }).office;
}

function urlsFor(request: FastifyRequest, data: FeedOffice): PublicUrls {
  return publicUrls(baseUrlOf(request, data.publicBaseUrl));
}

async function announcementBodies(web: WebContext, announcements: readonly PublicAnnouncement[], data: FeedOffice, urls: PublicUrls) {
  const openingTimes = await announcedOpeningTimes(web.store, announcements);
  return announcements.map((announcement) => announcementJson(announcement, data.office, urls, openingTimes));
}

/**
 * The announcements with `code` in every office served here, each read with
 * its office's options (a demo office's dry-run posts are public, as on its archive).
 */
async function announcementsWithCode(web: WebContext, offices: FeedOfficeLoader, code: string): Promise<{ data: FeedOffice; announcement: PublicAnnouncement }[]> {
  const candidates = await findAnnouncementsByCode(web.store, code, undefined, { includeDryRun: true });
  const found: { data: FeedOffice; announcement: PublicAnnouncement }[] = [];
  for (const officeId of [...new Set(candidates.map((announcement) => announcement.officeId))].sort()) {
    const result = await offices(officeId);
    if (result.status !== 'found') continue;
    for (const announcement of await findAnnouncementsByCode(web.store, code, officeId, result.data.announcementOptions)) found.push({ data: result.data, announcement });
  }
  return found;
}

/**
 * `from`, `to`, `before` (an instant with its offset, or a date: its start in
 * the office zone), `beforeCode` (with `before`: the cursor of the `next`
 * link) and `limit`; a 400 naming the parameter otherwise.
 */
export function pageQuery(query: Record<string, unknown>, zone: string): AnnouncementPage {
  const page: AnnouncementPage = { limit: DEFAULT_PAGE };
  for (const name of ['from', 'to', 'before'] as const) {
    const when = parseWhen(query[name], name, zone);
    if (when) page[name] = when;
  }
  const beforeCode = query.beforeCode;
  if (beforeCode !== undefined && beforeCode !== '') {
    if (typeof beforeCode !== 'string' || !/^[0-9A-Z]{8}$/.test(beforeCode) || !page.before) throw new ApiProblemError(400, 'beforeCode: give it with before, as the next link does (8 capital letters and digits).');
    page.beforeCode = beforeCode;
  }
  const limit = query.limit;
  if (limit !== undefined && limit !== '') {
    if (typeof limit !== 'string' || !/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE) throw new ApiProblemError(400, `limit: give a whole number from 1 to ${MAX_PAGE}.`);
    page.limit = Number(limit);
  }
  return page;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseWhen(value: unknown, name: string, zone: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && isPlainDate(value)) return fromLocal(value, '00:00', zone);
  if (typeof value === 'string' && INSTANT.test(value)) {
    const instant = new Date(value);
    if (!Number.isNaN(instant.getTime())) return instant;
  }
  throw new ApiProblemError(400, `${name}: give an ISO 8601 instant with its offset (2026-12-01T00:00:00+07:00) or a date (2026-12-01, its start in the office's zone).`);
}

/** The page after `last`: the same range and size, from just after `last` in the listing order. */
function nextPage(urls: PublicUrls, officeId: string, query: Record<string, unknown>, last: PublicAnnouncement): string {
  const params = new URLSearchParams();
  for (const name of ['from', 'to', 'limit']) {
    const value = query[name];
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  params.set('before', last.publishedAt.toISOString());
  params.set('beforeCode', last.code);
  return `${urls.apiOffice(officeId)}/announcements?${params.toString()}`;
}
