/**
 * The web console under load of data (issue 9): every console page type
 * rendered by the real web server (src/web/server.ts, over real HTTP on
 * 127.0.0.1) on a ledger of 200 varied offices × a year of posts
 * (bench/console-world.ts), on SQLite and on PostgreSQL (a private embedded
 * server, as the test setup starts it). Targets: p95 server time ≤ 100 ms for
 * every page; no script or stylesheet over 100 KB.
 *
 * Per page: the first request (caches cold) and then RUNS requests, the server
 * time read from each response's `Server-Timing: app;dur=…` header (p50, p95,
 * max), the HTML's bytes and gzip bytes, and the CSS and JS the page links.
 * Office pages are asked as the editor of the busiest office (weekly, six
 * services, approvals); the office list and the users page as a global admin.
 *
 *   node bin/run-ts.js bench/console.ts        (npm run bench runs it too; ~4 min on 2 cores)
 *
 * HERALD_CONSOLE_ONLY=sqlite|postgres measures one store; HERALD_CONSOLE_OFFICES=20 a
 * smaller deployment; HERALD_CONSOLE_RUNS=N requests per page (default 30);
 * HERALD_CONSOLE_CPU_PROF=DIR writes a CPU profile of each store's requests
 * (open it in Chrome DevTools' Performance panel); HERALD_CONSOLE_KEEP=DIR keeps
 * the SQLite database for the next run (keptWorld).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { createSilentLogger } from '../src/logger';
import { openStore, type Store } from '../src/store/open';
import { startWebServer } from '../src/web/server';
import { startTestPostgres } from '../test/global-setup';
import { ADMIN, buildConsoleWorld, EDITOR, PASSWORD, type ConsoleWorld } from './console-world';
import { TEMPLATES, writeVariedOffices } from './deployment';
import { DEFAULT_WEB } from '../src/config/normalize-herald';

/** The console is used on Wednesday 10 March 2027, 12.00 WIB; the ledger starts half a year before. */
const NOW = new Date('2027-03-10T05:00:00Z');
const PAST = new Date(NOW.getTime() - 182 * 86_400_000);
const OFFICES = Number(process.env.HERALD_CONSOLE_OFFICES ?? 200);
const RUNS = Number(process.env.HERALD_CONSOLE_RUNS ?? 30);
/** Office 5: weekly, six services, approvals (bench/deployment.ts `variedOffice`). */
const FOCUS = 5;
const TARGET_P95_MS = 100;
const MAX_ASSET_BYTES = 100 * 1024;

interface PageAsk {
  name: string;
  user: 'admin' | 'editor';
  url: (world: ConsoleWorld) => string;
  /** A form posted by htmx (with the CSRF token of the page seen last) instead of a GET. */
  htmxForm?: Record<string, string>;
}

const office = (world: ConsoleWorld): string => `/admin/o/${world.officeId}`;
const PAGES: readonly PageAsk[] = [
  { name: 'offices (home)', user: 'admin', url: () => '/admin/' },
  { name: 'dashboard', user: 'editor', url: (w) => `${office(w)}/` },
  { name: 'dashboard next posts (htmx)', user: 'editor', url: (w) => `${office(w)}/next-posts` },
  { name: 'calendar agenda', user: 'editor', url: (w) => `${office(w)}/calendar` },
  { name: 'calendar month grid', user: 'editor', url: (w) => `${office(w)}/calendar?view=month&month=${NOW.toISOString().slice(0, 7)}` },
  { name: 'preview', user: 'editor', url: (w) => `${office(w)}/preview` },
  { name: 'history', user: 'editor', url: (w) => `${office(w)}/history` },
  { name: 'approvals', user: 'editor', url: (w) => `${office(w)}/approvals` },
  { name: 'posts list', user: 'editor', url: (w) => `${office(w)}/posts` },
  { name: 'post detail', user: 'editor', url: (w) => `${office(w)}/posts/${encodeURIComponent(w.publishedPostId)}` },
  { name: 'users', user: 'admin', url: () => '/admin/users' },
  { name: 'account', user: 'editor', url: () => '/admin/account' },
  { name: 'template editor', user: 'editor', url: (w) => `${office(w)}/templates/opening/x` },
  {
    name: 'template preview (htmx, typing)',
    user: 'editor',
    url: (w) => `${office(w)}/templates/opening/x/preview`,
    htmxForm: { source: 'Kuota {{office.shortName}} dibuka sekarang. Daftar lewat {{office.info.bookingChannel}}.' },
  },
  { name: 'calendar edit (start)', user: 'editor', url: (w) => `${office(w)}/edit` },
  { name: 'calendar edit form', user: 'editor', url: (w) => `${office(w)}/edit/opening/new` },
];

/** A signed-in browser: cookies and real HTTP (fetch), redirects not followed. */
class Client {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  /** The CSRF token of the last page with a form. */
  csrf = '';

  async request(url: string, init: { method?: string; form?: Record<string, string>; htmx?: boolean } = {}): Promise<{ status: number; body: string; headers: Headers }> {
    const response = await fetch(`${this.base}${url}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        ...(this.cookies.size > 0 ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(init.htmx ? { 'hx-request': 'true' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      const value = pair!.slice(at + 1);
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(pair!.slice(0, at));
      else this.cookies.set(pair!.slice(0, at), value);
    }
    const body = await response.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? this.csrf;
    return { status: response.status, body, headers: response.headers };
  }

  async login(name: string): Promise<void> {
    const form = await this.request('/admin/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    if (!csrf) throw new Error('no CSRF token in the login form');
    const done = await this.request('/admin/login', { method: 'POST', form: { _csrf: csrf, name, password: PASSWORD } });
    if (done.status !== 303) throw new Error(`login of ${name}: ${done.status} ${done.body.slice(0, 300)}`);
  }
}

interface PageFigures {
  name: string;
  status: number;
  firstMs: number;
  /** CPU time of this process (server and client) per request, median: what a busy machine does not inflate. */
  cpuP50: number;
  p50: number;
  p95: number;
  max: number;
  htmlBytes: number;
  htmlGzip: number;
  assets: string[];
}

function serverMs(headers: Headers): number {
  const match = /app;dur=([\d.]+)/.exec(headers.get('server-timing') ?? '');
  if (!match) throw new Error(`no Server-Timing header: ${headers.get('server-timing')}`);
  return Number(match[1]);
}

const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measurePage(client: Client, page: PageAsk, world: ConsoleWorld): Promise<PageFigures> {
  const url = page.url(world);
  const ask = (): ReturnType<Client['request']> => (page.htmxForm ? client.request(url, { method: 'POST', form: { _csrf: client.csrf, ...page.htmxForm }, htmx: true }) : client.request(url));
  const first = await ask();
  if (first.status !== 200) throw new Error(`${page.name} ${url}: ${first.status} ${first.body.slice(0, 500)}`);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const before = process.cpuUsage();
    const response = await ask();
    const used = process.cpuUsage(before);
    if (response.status !== 200) throw new Error(`${page.name} ${url}: ${response.status} on run ${run}`);
    times.push(serverMs(response.headers));
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const assets = [...first.body.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)].map((m) => m[1]!);
  const html = Buffer.from(first.body);
  return { name: page.name, status: first.status, firstMs: serverMs(first.headers), cpuP50: pct(cpu, 50), p50: pct(times, 50), p95: pct(times, 95), max: times[times.length - 1]!, htmlBytes: html.length, htmlGzip: zlib.gzipSync(html).length, assets };
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/**
 * HERALD_CONSOLE_KEEP=DIR (while working on a page): the SQLite database and config are
 * built in DIR once and measured again by the next runs (new migrations are applied on open).
 */
async function keptWorld(store: Store, configDir: string, kept: string | undefined): Promise<ConsoleWorld> {
  const file = kept ? path.join(kept, 'world.json') : null;
  if (file && fs.existsSync(file)) {
    console.log(`reusing the database and config in ${kept}`);
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ConsoleWorld;
  }
  if (kept) {
    fs.mkdirSync(kept, { recursive: true });
    fs.cpSync(writeVariedOffices(OFFICES, PAST.toISOString().slice(0, 10)), configDir, { recursive: true });
  }
  const world = await buildConsoleWorld(store, { configDir, past: PAST, now: NOW, focus: FOCUS, log: (line) => console.log(line) });
  if (file) fs.writeFileSync(file, JSON.stringify(world));
  return world;
}

async function measureConsole(backend: 'sqlite' | 'postgres', store: Store, configDir: string, kept?: string): Promise<{ pages: PageFigures[]; world: ConsoleWorld }> {
  console.log(`${backend}: building ${OFFICES} offices, ${PAST.toISOString().slice(0, 10)} … a year of posts`);
  const world = await keptWorld(store, configDir, kept);
  console.log(`${backend}: ${world.offices.length} offices, ${world.posts} posts planned, ${world.published} published; setup ${(world.setupMs / 1000).toFixed(0)} s; load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-console-scratch-'));
  const server = await startWebServer({
    store,
    logger: createSilentLogger(),
    clock: { now: () => NOW },
    offices: () => world.offices,
    settings: { ...DEFAULT_WEB, port: 0 },
    loginRatePerMinute: 1000,
    source: { configDir, templatesDir: TEMPLATES },
    scratchDir,
  });
  const profile = process.env.HERALD_CONSOLE_CPU_PROF ? new Session() : null;
  try {
    const clients = { admin: new Client(server.address), editor: new Client(server.address) };
    await clients.admin.login(ADMIN);
    await clients.editor.login(EDITOR);
    if (profile) {
      profile.connect();
      await profile.post('Profiler.enable');
      await profile.post('Profiler.setSamplingInterval', { interval: 200 });
      await profile.post('Profiler.start');
    }
    const pages: PageFigures[] = [];
    for (const page of PAGES) pages.push(await measurePage(clients[page.user], page, world));
    if (profile) {
      const { profile: cpu } = await profile.post('Profiler.stop');
      const dir = process.env.HERALD_CONSOLE_CPU_PROF!;
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `console-${backend}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(cpu));
      console.log(`${backend}: CPU profile of the requests in ${file}`);
    }
    printPages(backend, pages);
    await printAssets(clients.editor, pages);
    return { pages, world };
  } finally {
    profile?.disconnect();
    await server.close();
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

function printPages(backend: string, pages: readonly PageFigures[]): void {
  console.log(`\n${backend}: server time (Server-Timing, ms) per page: the first request, then ${RUNS} more; CPU ms per request; HTML as sent and gzipped; load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  console.log(`  ${'page'.padEnd(32)} ${'first'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)} ${'cpu p50'.padStart(8)}   ${'HTML KB'.padStart(8)} ${'gzip KB'.padStart(8)}`);
  for (const p of pages) {
    const verdict = p.p95 <= TARGET_P95_MS ? '' : `  over ${TARGET_P95_MS} ms`;
    console.log(
      `  ${p.name.padEnd(32)} ${p.firstMs.toFixed(1).padStart(7)} ${p.p50.toFixed(1).padStart(7)} ${p.p95.toFixed(1).padStart(7)} ${p.max.toFixed(1).padStart(7)} ${p.cpuP50.toFixed(1).padStart(8)}   ${kb(p.htmlBytes).padStart(8)} ${kb(p.htmlGzip).padStart(8)}${verdict}`,
    );
  }
  const slow = pages.filter((p) => p.p95 > TARGET_P95_MS);
  console.log(`  ${slow.length === 0 ? `every page p95 ≤ ${TARGET_P95_MS} ms` : `${slow.length} page(s) over ${TARGET_P95_MS} ms at p95: ${slow.map((p) => p.name).join(', ')}`}`);
}

/** The stylesheets and scripts the pages link, each once: bytes as sent and gzipped. */
async function printAssets(client: Client, pages: readonly PageFigures[]): Promise<void> {
  const urls = [...new Set(pages.flatMap((p) => p.assets))].sort();
  const sizes = new Map<string, { bytes: number; gzip: number }>();
  for (const url of urls) {
    const { body, status } = await client.request(url);
    if (status !== 200) throw new Error(`${url}: ${status}`);
    const bytes = Buffer.from(body);
    sizes.set(url, { bytes: bytes.length, gzip: zlib.gzipSync(bytes).length });
  }
  console.log(`  assets: ${urls.map((u) => `${path.basename(u)} ${kb(sizes.get(u)!.bytes)} KB (gzip ${kb(sizes.get(u)!.gzip)})`).join(', ')}`);
  const heaviest = pages
    .map((p) => ({ name: p.name, bytes: p.htmlBytes + p.assets.reduce((n, u) => n + sizes.get(u)!.bytes, 0), gzip: p.htmlGzip + p.assets.reduce((n, u) => n + sizes.get(u)!.gzip, 0) }))
    .sort((a, b) => b.bytes - a.bytes)[0]!;
  const big = urls.filter((u) => sizes.get(u)!.bytes > MAX_ASSET_BYTES);
  console.log(`  heaviest page with its assets (cold cache): ${heaviest.name}, ${kb(heaviest.bytes)} KB (gzip ${kb(heaviest.gzip)}); ${big.length === 0 ? 'no script or stylesheet over 100 KB' : `over 100 KB: ${big.join(', ')}`}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const only = process.env.HERALD_CONSOLE_ONLY;
  const kept = process.env.HERALD_CONSOLE_KEEP;
  const configDir = kept ? path.join(kept, 'config') : writeVariedOffices(OFFICES, PAST.toISOString().slice(0, 10));
  try {
    if (!only || only === 'sqlite') {
      const dataDir = kept ? path.join(kept, 'data') : fs.mkdtempSync(path.join(os.tmpdir(), 'herald-console-sqlite-'));
      const store = await openStore({ dataDir });
      try {
        await measureConsole('sqlite', store, configDir, kept);
      } finally {
        await store.close();
        if (!kept) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
    if (!only || only === 'postgres') {
      const pg = await startTestPostgres();
      try {
        const admin = await openStore({ databaseUrl: pg.url });
        await sql`CREATE DATABASE herald_console`.execute(admin.db);
        await admin.close();
        const store = await openStore({ databaseUrl: pg.url.replace(/\/postgres$/, '/herald_console') });
        try {
          await measureConsole('postgres', store, configDir);
        } finally {
          await store.close();
        }
      } finally {
        await pg.server.stop();
      }
    }
  } finally {
    if (!kept) fs.rmSync(configDir, { recursive: true, force: true });
  }
  console.log(`console bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
