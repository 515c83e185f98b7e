/**
 * The sample office (kanim-pontianak, WIB) with `settings.approval` on its
 * opening posts, as the console sees it: its files recorded as the current
 * config revision, planned into the ledger on Monday 30 November 2026, and the
 * posts needing approval rendered for review with the real renderer and their
 * cards stored (as the bot's render-ahead does). Besides the weekly opening on
 * Friday 4 December, a one-off opening on Wednesday 2 December whose note is
 * hostile markup (it reaches the caption as text).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadAll, type Loaded } from '../../../src/app/load-all';
import { replanInto } from '../../../src/app/replan';
import { checkRevisionFiles, readOfficeFiles } from '../../../src/app/revision-files';
import { buildRuntime } from '../../../src/app/runtime';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import { createSilentLogger } from '../../../src/logger';
import { createRenderAhead } from '../../../src/schedule/render-ahead';
import { createRevision } from '../../../src/store/config-revisions';
import { openStore } from '../../../src/store/open';
import { listPosts } from '../../../src/store/ledger';
import type { Store } from '../../../src/store/open';
import type { LedgerPost } from '../../../src/store/types';
import { buildWebServer } from '../../../src/web/server';
import { REPO_ROOT } from '../../support/cli';
import { createTestDatabase } from '../../support/databases';
import { OFFICES, type Browser } from '../../support/web';

export const OFFICE = 'kanim-pontianak';
/** Monday 30 November 2026, 09.00 WIB. */
export const NOW = new Date('2026-11-30T02:00:00Z');
export const WEEKLY = 'mingguan@2026-12-04';
export const HOSTILE = 'tamu-khusus';
export const HOSTILE_NOTE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

const HOSTILE_RELEASE = `  - id: ${HOSTILE}
    opensAt: "2026-12-02 10:00"
    days:
      - { date: 2026-12-05, quota: { regular: 40 } }
    note: "${HOSTILE_NOTE}"
`;

export interface ApprovalOffice {
  dir: string;
  configDir: string;
  loaded: Loaded;
  clock: VirtualClock;
  cleanup(): void;
}

/** The files (approval on unless `approval: false`), written to a fresh directory. */
export function writeApprovalOffice(options: { approval?: boolean } = {}): ApprovalOffice {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-console-approvals-'));
  const configDir = path.join(dir, 'config');
  fs.cpSync(path.join(REPO_ROOT, 'config'), configDir, { recursive: true });
  const herald = path.join(configDir, 'herald.yaml');
  if (options.approval !== false) fs.writeFileSync(herald, `${fs.readFileSync(herald, 'utf8').trimEnd()}\n  approval: { required: true, hoursBefore: 24, rules: [opening] }\n`);
  const calendar = path.join(configDir, 'calendar.yaml');
  fs.writeFileSync(calendar, fs.readFileSync(calendar, 'utf8').replace(/^releases:\n/m, `releases:\n${HOSTILE_RELEASE}`));
  const outcome = loadAll(configDir, { now: NOW });
  if (!outcome.loaded) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
  return { dir, configDir, loaded: outcome.loaded, clock: createVirtualClock(NOW), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Records the files as the office's current revision (what the console loads), and plans them. */
export async function seedOffice(store: Store, office: ApprovalOffice): Promise<void> {
  const [files] = readOfficeFiles(office.configDir, { now: NOW });
  const checked = checkRevisionFiles(files!.files, { sourceDir: office.configDir, now: NOW, officeId: OFFICE });
  if (!checked.loaded) throw new Error(checked.problems.map((p) => p.message).join('\n'));
  await createRevision(store, { officeId: OFFICE, parentId: null, author: 'files', message: 'start', files: files!.files, problems: checked.problems }, NOW);
  await replanInto(store, office.loaded.config, NOW);
}

/** Renders what the bot's render-ahead would at `now` (posts needing approval within a week), cards stored. */
export async function renderForReview(store: Store, office: ApprovalOffice, now = office.clock.now()): Promise<void> {
  const logger = createSilentLogger();
  const runtime = buildRuntime(office.loaded, { clock: office.clock, logger, outboxDir: office.dir, env: {}, fetch }, 1);
  const renderAhead = createRenderAhead({ store, clock: office.clock, logger, runtime: () => runtime, owner: 'test-render', mediaRoot: office.dir, alert: (alert) => { throw new Error(alert.message); } });
  while ((await renderAhead(now)) > 0);
}

export async function buildConsole(store: Store, office: ApprovalOffice): Promise<FastifyInstance> {
  return buildWebServer({
    store,
    logger: createSilentLogger(),
    clock: office.clock,
    offices: () => OFFICES,
    settings: { secureCookies: false, trustProxy: false },
    loginRatePerMinute: 1000,
    source: { configDir: office.configDir },
    scratchDir: path.join(office.dir, 'scratch'),
  });
}

/** The current post of `rule` about `subject` on `channel`. */
export async function postOf(store: Store, rule: string, subject: string, channel: string): Promise<LedgerPost> {
  const post = (await listPosts(store, { officeId: OFFICE, channelId: channel })).find((each) => each.ruleId === rule && each.subject === subject);
  if (!post) throw new Error(`no post ${rule} ${subject} ${channel}`);
  return post;
}

/** A form post with repeated fields (`post=…&post=…`) and the browser's cookies and last CSRF token; cookies it sets are kept. */
export async function postPairs(browser: Browser, url: string, pairs: readonly (readonly [string, string])[]): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams([['_csrf', browser.csrf], ...pairs.map(([k, v]) => [k, v] as [string, string])]);
  return browser.app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.ip,
    headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

/** The `post` values of the first form posting to `action` in `html`. */
export function formValues(html: string, action: string): string[] {
  const start = html.indexOf(`action="${action}"`);
  if (start === -1) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/name="post" value="([^"]+)"/g)].map((match) => match[1]!);
}

/**
 * Jest hooks: the office seeded and rendered once per test file into a SQLite
 * database (rendering cards takes seconds), and a copy of that database file
 * opened for each test, so tests never see each other's changes.
 */
export function useSeededOffice(options: { approval?: boolean; render?: boolean; prepare?: (store: Store, office: ApprovalOffice) => Promise<void> } = {}): { readonly store: Store; readonly office: ApprovalOffice } {
  let office: ApprovalOffice | undefined;
  let template: string | undefined;
  let current: { store: Store; dir: string } | undefined;
  beforeAll(async () => {
    office = writeApprovalOffice(options);
    const database = await createTestDatabase('sqlite');
    const store = await database.open();
    try {
      await seedOffice(store, office);
      if (options.render !== false) await renderForReview(store, office);
      await options.prepare?.(store, office);
    } finally {
      await store.close();
    }
    template = database.dataDir!;
  }, 60_000);
  afterAll(() => {
    if (template) fs.rmSync(template, { recursive: true, force: true });
    office?.cleanup();
  });
  beforeEach(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-store-'));
    fs.cpSync(template!, dir, { recursive: true });
    office!.clock.set(NOW);
    current = { dir, store: await openStore({ dataDir: dir }) };
  });
  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.store.close();
    if (done) fs.rmSync(done.dir, { recursive: true, force: true });
  });
  return {
    get store() {
      if (!current) throw new Error('useSeededOffice: the store exists only inside a test');
      return current.store;
    },
    get office() {
      if (!office) throw new Error('useSeededOffice: the office exists only inside a test');
      return office;
    },
  };
}
