/**
 * At opening time (issue 10): the public hits an office's page hardest at the
 * minute its quota opens, which is the minute the bot publishes. One process
 * runs what `run` runs (app/bot.ts): the real scheduler on the wall clock with
 * the real X and Instagram drivers, the media server, and the web server
 * started the way `run` starts it (web/beside-bot.ts), on one SQLite ledger.
 * 200 opening posts fall due within one minute (BURST at each instant, on
 * different accounts, as when several offices open at 14.00), and autocannon,
 * in its own process, asks for the office page, its ICS calendar and /healthz.
 * The fake platforms run in a third process, so the moment a publish request's
 * first bytes arrive is not taken by the loaded event loop.
 *
 * Scenarios, each on a fresh ledger: no load; 2,100 requests/s offered (page
 * 1,200, ICS 800, /healthz 100); as fast as the server answers. Per scenario:
 * due → first byte p50/p95/p99/max, the bot process's event-loop delay
 * (monitorEventLoopDelay) and CPU, and per route requests/s, latency
 * p50/p99/max and non-2xx. Target: due → first byte p99 ≤ 50 ms with load.
 *
 *   node bin/run-ts.js bench/public-load.ts      (npm run bench -- public-load; ~5 min)
 *
 * HERALD_LOAD_ONLY=none,rated,max picks scenarios (costs: none of them); HERALD_LOAD_BURST=N posts per
 * instant (default 4; 200 = all at once); HERALD_LOAD_WEB=serve puts the web side
 * in a `serve` process instead (`run --no-web` beside `serve`, one SQLite ledger);
 * HERALD_LOAD_OUT=FILE (default bench/results/public-load.json) receives the
 * figures as JSON; HERALD_LOAD_CPU_PROF=DIR a CPU profile of the bot process;
 * HERALD_LOAD_ROUTES=/path:rate,… other routes (exploring); HERALD_LOAD_KEEP=1
 * keeps the data directory (bot.log, the ledger).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { Session } from 'node:inspector/promises';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { loadAll } from '../src/app/load-all';
import { planAll } from '../src/app/plan-all';
import { checkRevisionFiles, readOfficeFiles } from '../src/app/revision-files';
import type { Channel } from '../src/channels/channel';
import { createInstagramChannel } from '../src/channels/instagram/instagram-channel';
import { createXChannel } from '../src/channels/x/x-channel';
import { registerBotMetrics } from '../src/metrics/bot-metrics';
import { createMetricsRegistry } from '../src/metrics/registry';
import { systemClock } from '../src/clock';
import type { ChannelConfig } from '../src/config/types';
import { createLogger } from '../src/logger';
import { startMediaServer } from '../src/media-server/media-server';
import type { PlannedPost } from '../src/plan/types';
import { runScheduleLoop } from '../src/schedule/run-loop';
import { createScheduler, type Runtime } from '../src/schedule/scheduler';
import { createRevision } from '../src/store/config-revisions';
import { syncPlan } from '../src/store/ledger';
import { openStore } from '../src/store/open';
import { startWebServerBesideBot } from '../src/web/beside-bot';
import { createPublicVersions } from '../src/web/public-version';
import { buildWebServer } from '../src/web/server';
import { summarizeOffice } from '../src/web/offices';
import type { LoadRequest, LoadResult, RouteFigures, RouteLoad } from './public-load-client';
import { IG_TOKEN, PLATFORM_KEYS, type PlatformsReady, type PlatformsReport } from './public-load-platforms';

const ROOT = path.resolve(__dirname, '..');
const POSTS = 200;
const SPAN_MS = 60_000;
const BURST = Number(process.env.HERALD_LOAD_BURST ?? 4);
/**
 * Accounts per platform: posts of one instant go to different accounts (each account publishes its
 * posts one after another), and an account posts every ~14 s: a new connection each time, as at a
 * real opening (a kept-alive one would race the server closing it after 5 s idle).
 */
const PAIRS = Math.max(24, Math.ceil(BURST / 2));
/** Time to render every card before the first is due, on a busy 2-core machine. */
const LEAD_MS = 40_000;
/** Load starts this long before the first post is due and ends this long after the last. */
const LOAD_MARGIN_MS = 4_000;
const TARGET_P99_MS = 50;
const WEB = process.env.HERALD_LOAD_WEB === 'serve' ? 'serve' : 'run';
const LOOP_RESOLUTION_MS = 10;
const lateBy = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

type ScenarioName = 'none' | 'rated' | 'max';
const ALL_SCENARIOS: ScenarioName[] = ['none', 'rated', 'max'];
/** HERALD_LOAD_ONLY=costs: the one-at-a-time costs only. */
const SCENARIOS = process.env.HERALD_LOAD_ONLY ? ALL_SCENARIOS.filter((name) => process.env.HERALD_LOAD_ONLY!.split(',').includes(name)) : ALL_SCENARIOS;

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface ScenarioFigures {
  scenario: ScenarioName;
  /** Where the web server ran: on the bot's event loop (`run`), or in a `serve` process beside it. */
  web: 'run' | 'serve';
  posts: number;
  published: number;
  unrenderedAtFirstDue: number;
  dueToFirstByte: Percentiles;
  /** Part of it: from the due time to the claim (the timer firing, the sweep before the claim). */
  dueToClaim: Percentiles;
  /** A whole first attempt, claim to published (X: upload and tweet; Instagram: container, status, publish). */
  publishMs: Percentiles;
  eventLoopDelay: Percentiles & { mean: number };
  /** CPU of the bot process over the posting minute, in % of one core. */
  botCpuPercent: number;
  /** How much of the time the bot's event loop was running something (performance.eventLoopUtilization). */
  loopBusyPercent: number;
  /** The bot's garbage collection pauses over the minute: all (count, total) and the major ones (mark-compact). */
  gc: { count: number; totalMs: number; maxMs: number; major: number; majorMaxMs: number };
  routes: RouteFigures[];
  /** autocannon's process, in % of one core (2 cores in all, shared with the bot and the fake platforms). */
  visitorsCpuPercent: number;
  loadAverage: number[];
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`${POSTS} posts over ${SPAN_MS / 1000} s, ${BURST} at each instant, ${PAIRS} X + ${PAIRS} Instagram accounts; load average ${loadAverage().join(' ')}`);
  const costs = await measureCosts();
  printCosts(costs);
  const figures: ScenarioFigures[] = [];
  for (const scenario of SCENARIOS) {
    const result = await runScenario(scenario);
    printScenario(result);
    figures.push(result);
  }
  printTable(figures);
  const out = process.env.HERALD_LOAD_OUT ?? path.join(ROOT, 'bench', 'results', 'public-load.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, node: process.version, posts: POSTS, spanMs: SPAN_MS, burst: BURST, costs, scenarios: figures }, null, 2)}\n`);
  console.log(`figures in ${path.relative(process.cwd(), out)}; public-load bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** The load of a scenario: the office page and its calendar (≥ 2,000/s together), /healthz as the baseline. */
function routesFor(scenario: ScenarioName, office: string, present: (path: string) => boolean): RouteLoad[] {
  if (scenario === 'none') return [];
  // HERALD_LOAD_ROUTES=/healthz:2000,/o/x/:500 (exploring what costs what): those routes at those rates instead.
  if (process.env.HERALD_LOAD_ROUTES) {
    return process.env.HERALD_LOAD_ROUTES.split(',').map((part) => {
      const [route, rate] = part.split(':') as [string, string];
      return { path: route, connections: 40, ...(scenario === 'rated' ? { rate: Number(rate) } : {}) };
    });
  }
  const rated = scenario === 'rated';
  // Until the public pages exist (issue 10's other parts), the console's sign-in page stands in: a rendered page, uncached.
  const page = present(`/o/${office}/`) ? `/o/${office}/` : '/admin/login';
  const routes: RouteLoad[] = [
    { path: page, connections: 40, ...(rated ? { rate: 1200 } : {}) },
    { path: `/o/${office}/calendar.ics`, connections: 30, ...(rated ? { rate: 800 } : {}) },
    { path: '/healthz', connections: 5, ...(rated ? { rate: 100 } : {}) },
  ];
  return routes.filter((route) => {
    if (present(route.path)) return true;
    console.log(`  (${route.path} is not served yet: left out)`);
    return false;
  });
}

async function runScenario(scenario: ScenarioName): Promise<ScenarioFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-public-load-'));
  const configDir = writeConfig(path.join(dir, 'config'), PAIRS, await freePort());
  const platforms = await startPlatforms(PAIRS);
  const logger = createLogger({ level: 'info', destination: pino.destination({ dest: path.join(dir, 'bot.log'), sync: true }) });
  const media = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1' });
  const publicMediaUrl = (file: string): string => media.publicUrl(file).replace('http://127.0.0.1', media.address);
  const store = await openStore({ dataDir: dir });
  const stop = new AbortController();
  let web: { address: string; close(): Promise<void> } | null = null;
  try {
    const now = new Date();
    const loaded = loadAll(configDir, { now }).loaded;
    if (!loaded) throw new Error('the bench config does not load');
    const office = loaded.config.offices[0]!;
    // The office's files as its current revision: what the public pages read (web/office-config.ts).
    const [files] = readOfficeFiles(configDir, { now });
    const checked = checkRevisionFiles(files!.files, { sourceDir: configDir, now, officeId: office.id });
    await createRevision(store, { officeId: office.id, parentId: null, author: 'bench', message: 'public-load', files: files!.files, problems: checked.problems }, now);

    const env = { X_APP_KEY: PLATFORM_KEYS.appKey, X_APP_SECRET: PLATFORM_KEYS.appSecret, X_ACCESS_TOKEN: PLATFORM_KEYS.accessToken, X_ACCESS_SECRET: PLATFORM_KEYS.accessSecret, IG_ACCESS_TOKEN: IG_TOKEN };
    const deps = { clock: systemClock, logger, outboxDir: dir, env, fetch, stateDir: dir, publicMediaUrl };
    const channels = new Map<string, Channel>();
    for (const channel of office.channels) {
      const n = Number(channel.id.split('-')[1]) - 1;
      if (channel.platform === 'x') channels.set(channel.id, createXChannel({ ...channel, baseUrl: platforms.ready.x[n]!.url } as ChannelConfig, deps));
      else {
        const fake = platforms.ready.instagram[n]!;
        channels.set(channel.id, createInstagramChannel({ ...channel, baseUrl: fake.url, accountId: fake.accountId } as ChannelConfig, deps, { poll: { initialDelayMs: 1, maxDelayMs: 2 } }));
      }
    }
    const runtime: Runtime = { config: loaded.config, templates: loaded.templates, channels, generation: 1 };
    // The bot's metrics as run keeps them: each publish is observed (counted, its lag measured).
    const metrics = createMetricsRegistry();
    const botMetrics = registerBotMetrics(metrics, {
      store,
      clock: systemClock,
      logger,
      channels: () => office.channels.map((channel) => ({ office: office.id, channel: channel.id, platform: channel.driver, dailyCap: channels.get(channel.id)?.limits.dailyCap })),
    });

    const firstDue = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
    const posts = benchPosts(loaded.config, firstDue);
    await syncPlan(store, posts, { from: new Date(firstDue - 1000), to: new Date(firstDue + SPAN_MS + 1000) }, new Date());
    const lastDue = Math.max(...posts.map((post) => post.dueAt.getTime()));

    web =
      WEB === 'serve'
        ? await startServe(configDir, dir, env)
        : await startWebServerBesideBot({
            store,
            logger,
            clock: systemClock,
            settings: { host: '127.0.0.1', port: 0, secureCookies: false, trustProxy: false, auditRetentionDays: 366 },
            offices: () => [summarizeOffice(office)],
            source: { configDir },
            scratchDir: path.join(dir, 'console'),
            env,
            // As run wires it: the bot's registry (its web latency histogram costs what it costs in production).
            metrics,
            readiness: {},
          });
    if (!web) throw new Error('the web server did not start');
    const base = web.address;
    const present = new Set<string>();
    for (const route of [`/o/${office.id}/`, `/o/${office.id}/calendar.ics`, '/healthz', '/admin/login']) if ((await fetch(`${base}${route}`)).status === 200) present.add(route);
    const routes = routesFor(scenario, office.id, (route) => present.has(route));

    const scheduler = createScheduler({ store, clock: systemClock, logger, runtime: () => runtime, owner: 'bench', mediaRoot: dir, alert: () => undefined, observer: botMetrics.publish });
    const loop = runScheduleLoop({ scheduler, clock: systemClock, logger, signal: stop.signal, until: new Date(lastDue + 5_000), maxChunkMs: 30_000, renderAheadMs: () => 10 * 60_000 });

    // The load and the measurements start together, shortly before the first post is due.
    await sleepUntil(firstDue - LOAD_MARGIN_MS);
    const durationS = Math.ceil((lastDue - firstDue + 2 * LOAD_MARGIN_MS) / 1000);
    const load = routes.length > 0 ? startLoad({ type: 'run', base, durationS, routes }) : Promise.resolve<LoadResult>({ type: 'result', routes: [], cpuPercent: 0 });
    const profile = process.env.HERALD_LOAD_CPU_PROF ? await startProfile() : null;
    const gc = watchGc();
    const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    delay.enable();
    const cpuBefore = process.cpuUsage();
    const eluBefore = performance.eventLoopUtilization();
    const wallBefore = performance.now();
    let unrenderedAtFirstDue = -1;
    const atFirstDue = setTimeout(() => {
      void store.db
        .selectFrom('posts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'planned')
        .executeTakeFirst()
        .then((row) => (unrenderedAtFirstDue = Number(row?.n ?? 0)));
    }, firstDue - Date.now());
    await loop;
    delay.disable();
    const gcPauses = gc.stop();
    if (profile) await profile.stop(path.join(process.env.HERALD_LOAD_CPU_PROF!, `public-load-${scenario}.cpuprofile`));
    const cpu = process.cpuUsage(cpuBefore);
    const elu = performance.eventLoopUtilization(eluBefore);
    const wallMs = performance.now() - wallBefore;
    clearTimeout(atFirstDue);
    const loaded_ = await load;
    const report = await platforms.report();
    const latencies = firstBytes(posts, report);
    // Where the time goes: the claim's time (the scheduler woke, swept, claimed) is each first attempt's start.
    // A scheduler tick waits for every post it claimed before it claims again, so a slow publish delays the next due posts.
    const attempts = await store.db.selectFrom('attempts').select(['post_id', 'started_at', 'finished_at']).where('attempt', '=', 1).execute();
    const claimedAt = new Map(attempts.map((row) => [row.post_id, Number(row.started_at)]));
    const toClaim = posts.map((post) => (claimedAt.get(post.id) ?? Number.POSITIVE_INFINITY) - post.dueAt.getTime());
    if (process.env.HERALD_LOAD_KEEP) fs.writeFileSync(path.join(dir, 'timeline.json'), JSON.stringify({ posts: posts.map((post) => ({ id: post.id, channel: post.channelId, due: post.dueAt.getTime(), claimed: claimedAt.get(post.id) })), report }));
    const publishing = attempts.map((row) => (row.finished_at === null ? Number.POSITIVE_INFINITY : Number(row.finished_at) - Number(row.started_at)));
    return {
      scenario,
      web: WEB,
      posts: posts.length,
      published: [...report.x, ...report.instagram].reduce((n, log) => n + log.published, 0),
      unrenderedAtFirstDue,
      dueToFirstByte: percentiles(latencies),
      dueToClaim: percentiles(toClaim),
      publishMs: percentiles(publishing),
      // The histogram holds the time between its timer's ticks: the delay is what exceeds the resolution.
      eventLoopDelay: {
        mean: lateBy(delay.mean),
        p50: lateBy(delay.percentile(50)),
        p95: lateBy(delay.percentile(95)),
        p99: lateBy(delay.percentile(99)),
        max: lateBy(delay.max),
      },
      botCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      loopBusyPercent: elu.utilization * 100,
      gc: gcPauses,
      routes: loaded_.routes,
      visitorsCpuPercent: loaded_.cpuPercent,
      loadAverage: loadAverage(),
    };
  } finally {
    stop.abort();
    await web?.close();
    await store.close();
    await media.close();
    await platforms.close();
    if (process.env.HERALD_LOAD_KEEP) console.log(`  kept ${dir} (bot.log)`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Costs {
  /** Published posts of the office in the ledger the version is read from (a year of the sample's). */
  publishedPosts: number;
  /** One uncached version read (config revision + announcements), µs. */
  versionReadUs: Percentiles;
  /** Server time of a request (inject: the whole Fastify pipeline, no socket), µs, for a kept response and for a build. */
  pageHitUs: Percentiles;
  pageMissUs: Percentiles;
  icsHitUs: Percentiles;
  icsMissUs: Percentiles;
}

/**
 * What a kept response and a build cost, one request at a time (no load): the office page
 * and its ICS through the real server with a clock that moves a minute per miss (a new
 * version each time), and the version read on a ledger holding a year of the office's posts.
 */
async function measureCosts(): Promise<Costs> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-public-costs-'));
  const store = await openStore({ dataDir: dir });
  try {
    const configDir = writeConfig(path.join(dir, 'config'), 1, 0);
    let now = new Date('2026-12-03T05:00:00Z');
    const loaded = loadAll(configDir, { now })!.loaded!;
    const office = loaded.config.offices[0]!;
    const [files] = readOfficeFiles(configDir, { now });
    await createRevision(store, { officeId: office.id, parentId: null, author: 'bench', message: 'costs', files: files!.files, problems: checkRevisionFiles(files!.files, { sourceDir: configDir, now, officeId: office.id }).problems }, now);
    // A year of the office's posts (the sample calendar's) in the ledger, all marked published: what the version counts.
    const year = { from: now, to: new Date(now.getTime() + 365 * 86_400_000) };
    const planned = planAll(loaded.config, year).posts;
    await syncPlan(store, planned, year, now);
    await store.db.updateTable('posts').set({ state: 'published', published_at: sql<number>`due_at`, remote_id: sql<string>`'bench:' || id` }).execute();
    const publishedPosts = planned.length;
    const versions = createPublicVersions(store, { now: () => now }, { ttlMs: 0 });
    const versionReadUs = await timeEach(300, () => versions.of(office.id));
    const app = await buildWebServer({ store, logger: createLogger({ level: 'silent' }), clock: { now: () => now }, offices: () => [summarizeOffice(office)], settings: { secureCookies: false, trustProxy: false }, source: { configDir } });
    try {
      const get = async (url: string): Promise<void> => {
        const response = await app.inject({ method: 'GET', url });
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
      };
      const page = `/o/${office.id}/`;
      const ics = `/o/${office.id}/calendar.ics`;
      await get(page);
      await get(ics);
      const pageHitUs = await timeEach(300, () => get(page));
      const icsHitUs = await timeEach(300, () => get(ics));
      const nextMinute = (): void => {
        now = new Date(now.getTime() + 60_000);
      };
      const pageMissUs = await timeEach(60, async () => {
        nextMinute();
        await get(page);
      });
      const icsMissUs = await timeEach(60, async () => {
        nextMinute();
        await get(ics);
      });
      return { publishedPosts, versionReadUs, pageHitUs, pageMissUs, icsHitUs, icsMissUs };
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function timeEach(runs: number, work: () => Promise<unknown>): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    times.push((performance.now() - started) * 1000);
  }
  return percentiles(times);
}

function printCosts(c: Costs): void {
  const us = (p: Percentiles): string => `p50 ${p.p50.toFixed(0)} µs, p99 ${p.p99.toFixed(0)} µs`;
  console.log(
    `one request at a time: office page kept ${us(c.pageHitUs)}, built ${us(c.pageMissUs)}; ICS kept ${us(c.icsHitUs)}, built ${us(c.icsMissUs)}; ` +
      `version read (uncached, ${c.publishedPosts} published posts of the office) ${us(c.versionReadUs)}`,
  );
}

/**
 * The sample office with PAIRS X and PAIRS Instagram accounts (`x-01`, `instagram-01`, …):
 * posts due at one instant go to different accounts, as when several offices open at 14.00.
 */
function writeConfig(dir: string, pairs: number, webPort: number): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['calendar.yaml', 'kuota.csv']) fs.copyFileSync(path.join(ROOT, 'config', file), path.join(dir, file));
  const ids = Array.from({ length: pairs }, (_, i) => String(i + 1).padStart(2, '0'));
  const channels = ids.flatMap((id) => [
    `  - { id: x-${id}, driver: x, platform: x, credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }`,
    `  - { id: instagram-${id}, driver: instagram, platform: instagram, accountId: "17841400000000000", credentials: { accessToken: IG_ACCESS_TOKEN } }`,
  ]);
  const sample = fs.readFileSync(path.join(ROOT, 'config', 'herald.yaml'), 'utf8');
  const herald = sample
    .replace(/^channels:\n(?: {2}.*\n)+/m, `channels:\n${channels.join('\n')}\n`)
    .replace(/channels: \[instagram, x\]/g, `channels: [${ids.flatMap((id) => [`instagram-${id}`, `x-${id}`]).join(', ')}]`)
    .replace(/^settings:\n/m, 'settings:\n  mediaServer: { publicBaseUrl: "http://127.0.0.1:8787", host: 127.0.0.1, port: 8787 }\n')
    // The sample's settings.web (publicBaseUrl) with a free port (HERALD_LOAD_WEB=serve listens there).
    .replace(/^ {2}web:\n/m, `  web:\n    port: ${webPort}\n`);
  if (!herald.includes('x-01') || !herald.includes('mediaServer: {') || !herald.includes(`port: ${webPort}\n`)) throw new Error('the sample herald.yaml changed: update bench/public-load.ts');
  fs.writeFileSync(path.join(dir, 'herald.yaml'), herald);
  return dir;
}

/** POSTS opening posts (distinct counts: X refuses a duplicate text), BURST per instant, the instants spread over SPAN_MS. */
function benchPosts(config: Runtime['config'], firstDue: number): PlannedPost[] {
  const template = planAll(config, { from: new Date('2026-12-04T06:30:00Z'), to: new Date('2026-12-04T07:30:00Z') }).posts.find((p) => p.ruleId === 'opening');
  if (!template) throw new Error('the sample calendar has no opening on 4 December 2026');
  const instants = Math.ceil(POSTS / BURST);
  const gap = instants > 1 ? Math.floor(SPAN_MS / instants) : 0;
  return Array.from({ length: POSTS }, (_, i) => {
    const instant = Math.floor(i / BURST);
    // X and Instagram by turns; an account's next post comes 2 × PAIRS posts later.
    const pair = Math.floor(i / 2) % PAIRS;
    const facts = JSON.parse(JSON.stringify(template.facts)) as PlannedPost['facts'];
    facts.release!.days[0]!.quota.regular = 100 + i;
    const id = String(pair + 1).padStart(2, '0');
    const dueAt = new Date(firstDue + instant * gap);
    return {
      ...template,
      id: `load${String(i).padStart(4, '0')}`,
      channelId: i % 2 === 0 ? `x-${id}` : `instagram-${id}`,
      dueAt,
      deadline: new Date(firstDue + SPAN_MS + 120_000),
      fingerprint: `load-${i}`,
      facts,
    };
  });
}

/**
 * Each post's first byte: the first request its account's server received at
 * or after the post's due time (and before that account's next post was due).
 */
function firstBytes(posts: readonly PlannedPost[], report: PlatformsReport): number[] {
  const byChannel = new Map<string, PlannedPost[]>();
  for (const post of posts) byChannel.set(post.channelId, [...(byChannel.get(post.channelId) ?? []), post]);
  const latencies: number[] = [];
  for (const [channelId, own] of byChannel) {
    const [platform, n] = channelId.split('-') as ['x' | 'instagram', string];
    const arrivals = report[platform][Number(n) - 1]!.arrivals;
    own.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    own.forEach((post, i) => {
      const due = post.dueAt.getTime();
      const next = own[i + 1]?.dueAt.getTime() ?? Number.POSITIVE_INFINITY;
      const first = arrivals.find((t) => t >= due && t < next);
      latencies.push(first === undefined ? Number.POSITIVE_INFINITY : first - due);
    });
  }
  return latencies;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1]! };
}

interface Platforms {
  ready: PlatformsReady;
  report(): Promise<PlatformsReport>;
  close(): Promise<void>;
}

function forkTs(file: string, args: string[] = []): ChildProcess {
  return fork(path.join(ROOT, 'bin', 'run-ts.js'), [path.join(__dirname, file), ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage<T extends { type: string }>(child: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => reject(new Error(`${child.spawnargs.join(' ')} exited (${code}) before saying ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startPlatforms(pairs: number): Promise<Platforms> {
  const child = forkTs('public-load-platforms.ts', [String(pairs)]);
  const ready = await nextMessage<PlatformsReady>(child, 'ready');
  return {
    ready,
    async report() {
      const answer = nextMessage<PlatformsReport>(child, 'report');
      child.send({ type: 'report' });
      return answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}

/**
 * HERALD_LOAD_WEB=serve: the web side as `run --no-web` leaves it, to a `serve` process
 * on the same SQLite ledger (settings.web.port of the bench config).
 */
async function startServe(configDir: string, dataDir: string, env: Record<string, string>): Promise<{ address: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'quota-herald-dev.js'), 'serve', '--config', configDir, '--data', dataDir], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"listen":"(http:\/\/[^"]+)"/.exec(output);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output.slice(-2000)}`)));
  });
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function startLoad(request: LoadRequest): Promise<LoadResult> {
  const child = forkTs('public-load-client.ts');
  const result = nextMessage<LoadResult>(child, 'result');
  child.send(request);
  return result;
}

function watchGc(): { stop(): ScenarioFigures['gc'] } {
  const pauses: { kind: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ kind: (entry as PerformanceEntry & { detail: { kind: number } }).detail.kind, ms: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
      const major = pauses.filter((pause) => pause.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
      return {
        count: pauses.length,
        totalMs: pauses.reduce((sum, pause) => sum + pause.ms, 0),
        maxMs: Math.max(0, ...pauses.map((pause) => pause.ms)),
        major: major.length,
        majorMaxMs: Math.max(0, ...major.map((pause) => pause.ms)),
      };
    },
  };
}

/** HERALD_LOAD_CPU_PROF=DIR: the bot process's CPU profile over the posting minute (Chrome DevTools, Performance panel). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`  CPU profile in ${file}`);
    },
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function sleepUntil(instant: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - Date.now())));
}

function loadAverage(): number[] {
  return os.loadavg().map((n) => Math.round(n * 10) / 10);
}

const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '∞');

function printScenario(f: ScenarioFigures): void {
  const d = f.dueToFirstByte;
  const loop = f.eventLoopDelay;
  console.log(
    `\n${f.scenario} (web in ${f.web}): ${f.published}/${f.posts} published (${f.unrenderedAtFirstDue} unrendered at the first due time); ` +
      `due → first byte p50 ${ms(d.p50)} ms, p95 ${ms(d.p95)} ms, p99 ${ms(d.p99)} ms, max ${ms(d.max)} ms (target p99 ≤ ${TARGET_P99_MS} ms: ${d.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'}; ` +
      `of which due → claim p50 ${ms(f.dueToClaim.p50)} ms, p99 ${ms(f.dueToClaim.p99)} ms); whole publish p50 ${ms(f.publishMs.p50)} ms, p99 ${ms(f.publishMs.p99)} ms; ` +
      `event-loop delay p50 ${ms(loop.p50)} ms, p99 ${ms(loop.p99)} ms, max ${ms(loop.max)} ms; loop busy ${f.loopBusyPercent.toFixed(0)} %; GC ${f.gc.count} pauses, ${f.gc.totalMs.toFixed(0)} ms in all, longest ${ms(f.gc.maxMs)} ms (${f.gc.major} major, longest ${ms(f.gc.majorMaxMs)} ms); bot CPU ${f.botCpuPercent.toFixed(0)} % of a core, autocannon ${f.visitorsCpuPercent.toFixed(0)} %; load average ${f.loadAverage.join(' ')}`,
  );
  for (const r of f.routes) {
    console.log(`  ${r.path.padEnd(34)} ${r.perSecond.toFixed(0).padStart(6)} req/s  p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms  max ${ms(r.max)} ms  non-2xx ${r.non2xx}  errors ${r.errors + r.timeouts}  ${r.bytesPerResponse} B/response`);
  }
}

function printTable(all: ScenarioFigures[]): void {
  if (all.length === 0) return;
  console.log('\n| load, web in | public req/s (page + ICS) | page p50/p99/max ms | ICS p50/p99/max ms | /healthz p99 ms | non-2xx | due → first byte p50/p95/p99/max ms | loop delay p99 ms | bot CPU |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const f of all) {
    const page = f.routes.find((r) => r.path.endsWith('/') || r.path === '/admin/login');
    const ics = f.routes.find((r) => r.path.endsWith('.ics'));
    const health = f.routes.find((r) => r.path === '/healthz');
    const trio = (r: RouteFigures | undefined): string => (r ? `${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)}` : '—');
    const d = f.dueToFirstByte;
    console.log(
      `| ${f.scenario}, ${f.web} | ${((page?.perSecond ?? 0) + (ics?.perSecond ?? 0)).toFixed(0)} | ${trio(page)} | ${trio(ics)} | ${health ? ms(health.p99) : '—'} | ${f.routes.reduce((n, r) => n + r.non2xx, 0)} | ` +
        `${ms(d.p50)} / ${ms(d.p95)} / ${ms(d.p99)} / ${ms(d.max)} | ${ms(f.eventLoopDelay.p99)} | ${f.botCpuPercent.toFixed(0)} % |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
