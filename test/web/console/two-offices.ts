/**
 * The preview and history pages' fixture: the many-office deployment of
 * test/console/unlike-office.ts (kanim-merauke, whose own X caption for h-1 is
 * over 280 weighted characters) plus a copy of its office as kanim-boven, each
 * with a real config revision in the store; a web server over them at a fixed
 * time, and a signed-in browser that can also send htmx's header.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { checkRevisionFiles, readOfficeFiles } from '../../../src/app/revision-files';
import { createRevision, getCurrentRevision, type RevisionFiles } from '../../../src/store/config-revisions';
import type { Store } from '../../../src/store/open';
import type { OfficeSummary } from '../../../src/web/offices';
import { buildWebServer } from '../../../src/web/server';
import { LONG_NAME, UNLIKE_ID, writeUnlikeDeployment } from '../../console/unlike-office';
import type { Browser } from '../../support/web';

export const MERAUKE = UNLIKE_ID;
export const BOVEN = 'kanim-boven';
/** Monday 14 December 2026, 09.00 WIT: the default fortnight holds the h-1 (17th) and opening (18th) posts of the monthly release. */
export const NOW = new Date('2026-12-14T00:00:00Z');

export const WEB_OFFICES = [
  { id: BOVEN, name: 'Kantor Imigrasi Boven Digoel', timezone: 'Asia/Jayapura', locale: 'id-ID' },
  { id: MERAUKE, name: LONG_NAME, timezone: 'Asia/Jayapura', locale: 'id-ID' },
];

/** The deployment on disk: kanim-merauke and its copy kanim-boven. */
export function writeTwoOffices(): string {
  const dir = writeUnlikeDeployment();
  fs.cpSync(path.join(dir, 'offices', MERAUKE), path.join(dir, 'offices', BOVEN), { recursive: true });
  return dir;
}

/** The office's files as on disk, for its first revision. */
export function officeFiles(dir: string, officeId: string, now = NOW): Record<string, string> {
  return { ...readOfficeFiles(dir, { now, only: [officeId] })[0]!.files };
}

/** Stores `files` as the office's next revision (from its current one), checked as every revision is. */
export async function recordRevision(store: Store, dir: string, officeId: string, files: RevisionFiles, who: { author: string; message: string }, now = NOW): Promise<number> {
  const parentId = (await getCurrentRevision(store, officeId))?.id ?? null;
  const problems = checkRevisionFiles(files, { sourceDir: dir, now, officeId }).problems;
  return (await createRevision(store, { officeId, parentId, ...who, files, problems }, now)).revision.id;
}

export async function buildServer(store: Store, dir: string, scratchDir: string, options: { offices?: readonly OfficeSummary[]; now?: Date } = {}): Promise<FastifyInstance> {
  const offices = options.offices ?? WEB_OFFICES;
  const now = options.now ?? NOW;
  return buildWebServer({
    store,
    logger: pino({ level: 'silent' }),
    clock: { now: () => now },
    offices: () => offices,
    settings: { secureCookies: false, trustProxy: false },
    loginRatePerMinute: 1000,
    source: { configDir: dir },
    scratchDir,
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A form post as htmx sends it (its `HX-Request` header), with the browser's cookies and last CSRF token. */
export function htmxPost(browser: Browser, url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
  return browser.app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.ip,
    headers: {
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
      'hx-request': 'true',
    },
    payload: new URLSearchParams({ _csrf: browser.csrf, ...form }).toString(),
  });
}

/** Handlebars writes `&` in attributes as `&amp;`: the URL as a browser reads it. */
export function unescapeAttr(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
}
