/**
 * Many offices, measured (issue 8, section 4): N copies of the sample office
 * (its herald.yaml and calendar, different ids and zones, a year's horizon)
 * in a throw-away many-office config directory, re-planned into the ledger:
 *
 * - a full re-plan (load every office, plan, sync), first into an empty ledger
 *   and then again with nothing changed (the periodic re-plan);
 * - a one-office change as the bot handles it (app/bot.ts): re-read and hash
 *   the files, load only the office whose files changed, plan and sync it alone;
 * - the ledger's size; per-post cost for 1, 20 and 200 offices (SQLite: 1 and 20);
 * - on PostgreSQL (a private embedded server, as the test setup starts it),
 *   3 `run` instances on the 200-office ledger: steady CPU and RSS over ~30 s;
 *   and due → first byte at the (fake) platforms with every office's opening
 *   post on X and Instagram due in the same second, 3 schedulers.
 *
 * `node bin/run-ts.js bench/scale.ts` (npm run bench runs it too): about 4 minutes on a
 * 2-core machine, of which ~1.5 min are the instances and ~1 min the latency phase;
 * HERALD_SCALE_INSTANCES=0 / HERALD_SCALE_LATENCY=0 skip them, HERALD_SCALE_MAX=20 stops at 20 offices,
 * HERALD_SCALE_ONLY=latency measures only the same-second latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { changedOffices, contentByOffice, readConfigContent } from '../src/app/config-content';
import { loadDeployment, type Loaded } from '../src/app/load-all';
import { combineOfficeSet, updateOfficeSet } from '../src/app/office-set';
import { replanInto } from '../src/app/replan';
import { resetRendered } from '../src/store/ledger';
import { openStore, SQLITE_FILE, type Store } from '../src/store/open';
import { startTestPostgres } from '../test/global-setup';
import { createInstagramChannel } from '../src/channels/instagram/instagram-channel';
import type { Channel } from '../src/channels/channel';
import { createXChannel } from '../src/channels/x/x-channel';
import { systemClock } from '../src/clock';
import { createSilentLogger } from '../src/logger';
import { startMediaServer } from '../src/media-server/media-server';
import { planAll } from '../src/app/plan-all';
import type { PlannedPost } from '../src/plan/types';
import { runScheduleLoop } from '../src/schedule/run-loop';
import { createScheduler, type Runtime } from '../src/schedule/scheduler';
import { syncPlan } from '../src/store/sync-plan';
import { startFakeInstagramServer, type FakeInstagramServer } from '../test/fakes/fake-instagram-server';
import { startFakeXServer, type FakeXServer } from '../test/fakes/fake-x-server';
import { officeId, ROOT, TEMPLATES, writeOffices } from './deployment';

/** A fixed "now", so every run plans the same year (the sample calendar starts in November 2026). */
const NOW = new Date('2026-11-30T17:00:00Z');
const STEADY_MS = 30_000;
const INSTANCES = 3;
/** HERALD_SCALE_MAX=20 for a quick run. */
const SIZES = [1, 20, 200].filter((n) => n <= Number(process.env.HERALD_SCALE_MAX ?? 200));

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

interface Figures {
  backend: string;
  offices: number;
  posts: number;
  loadMs: number;
  firstMs: number;
  steadyMs: number;
  oneOfficeMs: number;
  oneOfficePosts: number;
  bytes: number;
}

/** Load everything, plan and sync (what the bot does at start and, before this change, at every edit). */
async function fullReplan(store: Store, configDir: string): Promise<{ ms: number; posts: number; loadMs: number }> {
  let loadMs = 0;
  const { ms, value } = await timed(async () => {
    const load = await timed(() => loadDeployment(configDir, { now: NOW, templatesDir: TEMPLATES }));
    loadMs = load.ms;
    const update = updateOfficeSet(new Map(), load.value);
    if (update.broken.length > 0 || update.sharedErrors.length > 0) throw new Error(`bench config broken: ${JSON.stringify([...update.sharedErrors, ...update.broken.slice(0, 2)])}`);
    const loaded = combineOfficeSet(update.offices)!;
    const result = await replanInto(store, loaded.config, NOW, { offices: [...update.offices.keys()] });
    return result.inserted + result.unchanged + result.superseded;
  });
  return { ms, posts: value, loadMs };
}

/** One office's calendar edited, handled as app/bot.ts handles it. */
async function oneOfficeChange(store: Store, configDir: string, lastRead: Map<string, string>, edit: number): Promise<{ ms: number; posts: number }> {
  const id = officeId(0);
  const file = path.join(configDir, 'offices', id, 'calendar.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/regular: \d+, express: 20 }\n {4}from:/, `regular: ${200 + edit}, express: 20 }\n    from:`));
  const { ms, value } = await timed(async () => {
    const parts = contentByOffice(readConfigContent([configDir, TEMPLATES]), configDir);
    const changed = changedOffices(lastRead, parts);
    if (changed.all || changed.ids.join() !== id) throw new Error(`expected only ${id} to change, got ${JSON.stringify(changed)}`);
    const deployment = loadDeployment(configDir, { now: NOW, templatesDir: TEMPLATES, only: changed.ids });
    const loaded: Loaded = deployment.offices[0]!.loaded!;
    await resetRendered(store, NOW, changed.ids);
    const result = await replanInto(store, loaded.config, NOW, { offices: changed.ids });
    return result.superseded;
  });
  return { ms, posts: value };
}

async function measure(backend: 'sqlite' | 'postgres', offices: number, openFresh: () => Promise<Store>, size: (store: Store) => Promise<number>): Promise<Figures & { configDir: string }> {
  const configDir = writeOffices(offices);
  const store = await openFresh();
  try {
    const lastRead = contentByOffice(readConfigContent([configDir, TEMPLATES]), configDir);
    const first = await fullReplan(store, configDir);
    const steady = await fullReplan(store, configDir);
    const change = await oneOfficeChange(store, configDir, lastRead, 1);
    const figures = { backend, offices, posts: first.posts, loadMs: first.loadMs, firstMs: first.ms, steadyMs: steady.ms, oneOfficeMs: change.ms, oneOfficePosts: change.posts, bytes: await size(store), configDir };
    print(figures);
    return figures;
  } finally {
    await store.close();
  }
}

function print(f: Figures): void {
  console.log(
    `${f.backend.padEnd(8)} ${String(f.offices).padStart(3)} offices, ${String(f.posts).padStart(6)} posts: ` +
      `full re-plan ${(f.firstMs / 1000).toFixed(2)} s (load ${(f.loadMs / 1000).toFixed(2)} s) = ${(f.firstMs / f.posts).toFixed(3)} ms/post; ` +
      `again, nothing changed ${(f.steadyMs / 1000).toFixed(2)} s = ${(f.steadyMs / f.posts).toFixed(3)} ms/post; ` +
      `one-office change ${f.oneOfficeMs.toFixed(0)} ms (${f.oneOfficePosts} posts superseded); ledger ${(f.bytes / 1024 / 1024).toFixed(1)} MB`,
  );
}

/** CPU seconds (user + system) of a process, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Starts `run` processes on one DATABASE_URL and measures them once all say they are running. */
async function instances(configDir: string, databaseUrl: string): Promise<void> {
  const children: { child: ChildProcess; running: Promise<number>; startedAt: number }[] = [];
  for (let i = 0; i < INSTANCES; i += 1) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-scale-run-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'quota-herald-dev.js'), 'run', '--config', configDir, '--data', dataDir], {
      // From the repository: the shared templates are found as ./templates, as bench's loads name them.
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const startedAt = performance.now();
    let output = '';
    const running = new Promise<number>((resolve, reject) => {
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('quota-herald running')) resolve(performance.now() - startedAt);
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => reject(new Error(`instance ${i} exited (${code}) before running:\n${output.slice(-2000)}`)));
    });
    children.push({ child, running, startedAt });
  }
  try {
    const startMs = await Promise.all(children.map((c) => c.running));
    const before = children.map((c) => cpuSeconds(c.child.pid!));
    await new Promise((resolve) => setTimeout(resolve, STEADY_MS));
    const after = children.map((c) => cpuSeconds(c.child.pid!));
    children.forEach((c, i) => {
      const mem = memoryMb(c.child.pid!);
      const cpu = ((after[i]! - before[i]!) / (STEADY_MS / 1000)) * 100;
      console.log(
        `postgres instance ${i + 1}/${INSTANCES} on 200 offices: start ${(startMs[i]! / 1000).toFixed(1)} s; steady over ${STEADY_MS / 1000} s: CPU ${cpu.toFixed(2)} %, RSS ${mem.rss.toFixed(0)} MB (peak ${mem.peak.toFixed(0)} MB)`,
      );
    });
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.child.exitCode !== null) return resolve();
            c.child.once('exit', () => resolve());
            c.child.kill('SIGTERM');
          }),
      ),
    );
  }
}

const KEYS = { appKey: 'bench-key', appSecret: 'bench-secret', accessToken: '1-bench-token', accessSecret: 'bench-access-secret' };
/** Lead time before the shared due second: enough to render every card ahead (busy 2-core machine). */
const LEAD_MS = 45_000;

/**
 * The Friday 14.00 case: every office's opening post, on X and Instagram, due
 * in the same second; `INSTANCES` schedulers (in this process, each with its
 * own connection pool and owner) on one PostgreSQL publish them through the
 * real drivers. Each channel has its own fake platform server, so the first
 * request a server receives is that post's first byte.
 */
async function sameMinuteLatency(configDir: string, databaseUrl: string): Promise<void> {
  const logger = createSilentLogger();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-scale-latency-'));
  const deployment = loadDeployment(configDir, { now: NOW, templatesDir: TEMPLATES });
  const loaded = combineOfficeSet(updateOfficeSet(new Map(), deployment).offices)!;
  const officeIds = loaded.config.offices.map((office) => office.id);
  const xServers: FakeXServer[] = [];
  const igServers: FakeInstagramServer[] = [];
  const media = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1' });
  const stores: Store[] = [];
  try {
    for (const _ of officeIds) {
      xServers.push(await startFakeXServer(KEYS));
      igServers.push(await startFakeInstagramServer({ token: 'bench-ig-token', pollsUntilFinished: 0, quotaTotal: 1000 }));
    }
    const env = { X_APP_KEY: KEYS.appKey, X_APP_SECRET: KEYS.appSecret, X_ACCESS_TOKEN: KEYS.accessToken, X_ACCESS_SECRET: KEYS.accessSecret, IG_ACCESS_TOKEN: 'bench-ig-token' };
    const publicMediaUrl = (file: string): string => media.publicUrl(file).replace('http://127.0.0.1', media.address);
    const deps = { clock: systemClock, logger, outboxDir: dir, env, fetch, stateDir: dir, publicMediaUrl };
    const location = { file: 'bench', line: 1, col: 1 };
    const channels = new Map<string, Channel>();
    officeIds.forEach((id, i) => {
      channels.set(`${id}/x`, createXChannel({ id: `${id}/x`, driver: 'x', platform: 'x', baseUrl: xServers[i]!.url, credentials: {}, enabled: true, location }, deps));
      channels.set(
        `${id}/instagram`,
        createInstagramChannel(
          { id: `${id}/instagram`, driver: 'instagram', platform: 'instagram', baseUrl: igServers[i]!.url, accountId: igServers[i]!.accountId, credentials: { accessToken: 'IG_ACCESS_TOKEN' }, enabled: true, location },
          deps,
          { poll: { initialDelayMs: 1, maxDelayMs: 2 } },
        ),
      );
    });
    const runtime: Runtime = { config: loaded.config, templates: loaded.templates, ...(loaded.officeTemplates ? { officeTemplates: loaded.officeTemplates } : {}), channels, generation: 1 };

    // Each office's first opening post, moved to the shared due second.
    const due = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
    const { posts: planned } = planAll(loaded.config, { from: NOW, to: new Date(NOW.getTime() + 14 * 86_400_000) });
    const posts: PlannedPost[] = [];
    for (const id of officeIds) {
      for (const platform of ['x', 'instagram']) {
        const post = planned.find((p) => p.officeId === id && p.ruleId === 'opening' && p.channelId === `${id}/${platform}`);
        if (!post) throw new Error(`no opening post for ${id}/${platform}`);
        posts.push({ ...post, dueAt: new Date(due), deadline: new Date(due + 10 * 60_000) });
      }
    }
    for (let i = 0; i < INSTANCES; i += 1) stores.push(await openStore({ databaseUrl }));
    await syncPlan(stores[0]!, posts, { from: new Date(due - 1000), to: new Date(due + 1000) }, new Date());

    const stop = AbortSignal.timeout(LEAD_MS + 120_000);
    // Posts whose card was not rendered by the due second measure the renderer, not the claim.
    let unrenderedAtDue = -1;
    const atDue = setTimeout(() => {
      void countUnrendered(stores[0]!).then((n) => (unrenderedAtDue = n));
    }, due - Date.now());
    await Promise.all(
      stores.map((store, i) => {
        const scheduler = createScheduler({ store, clock: systemClock, logger, runtime: () => runtime, owner: `bench-${i}`, mediaRoot: dir, alert: () => undefined });
        return runScheduleLoop({ scheduler, clock: systemClock, logger, signal: stop, until: new Date(due + 60_000), maxChunkMs: 30_000, renderAheadMs: () => 10 * 60_000 });
      }),
    );
    const firstByte = (requests: readonly { receivedAt: Date }[]): number => {
      const first = requests.map((r) => r.receivedAt.getTime()).filter((t) => t >= due).sort((a, b) => a - b)[0];
      return first === undefined ? Number.POSITIVE_INFINITY : first - due;
    };
    const latencies = [...xServers.map((server) => firstByte(server.requests)), ...igServers.map((server) => firstByte(server.requests))].sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    const published = xServers.reduce((n, s) => n + s.tweets.length, 0) + igServers.reduce((n, s) => n + s.published.length, 0);
    console.log(
      `postgres, ${INSTANCES} schedulers, ${posts.length} posts of ${officeIds.length} offices due in the same second (${published} published): ` +
        `due → first byte at the platform p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms; ` +
        `${unrenderedAtDue} post(s) not yet rendered at the due second`,
    );
    clearTimeout(atDue);
  } finally {
    for (const store of stores) await store.close();
    await media.close();
    for (const server of [...xServers, ...igServers]) await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function countUnrendered(store: Store): Promise<number> {
  const row = await store.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'planned').executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** HERALD_SCALE_ONLY=latency: only the same-second latency, on 200 offices (about a minute). */
async function latencyOnly(): Promise<void> {
  const configDir = writeOffices(200);
  const pg = await startTestPostgres();
  try {
    const admin = await openStore({ databaseUrl: pg.url });
    await sql`CREATE DATABASE herald_scale_latency`.execute(admin.db);
    await admin.close();
    await sameMinuteLatency(configDir, pg.url.replace(/\/postgres$/, '/herald_scale_latency'));
  } finally {
    await pg.server.stop();
    fs.rmSync(configDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  if (process.env.HERALD_SCALE_ONLY === 'latency') {
    await latencyOnly();
    console.log(`scale bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  const dirs: string[] = [];
  const all: Figures[] = [];
  // SQLite is the one-machine mode (one office, a region): 200 offices there is
  // HERALD_SCALE_SQLITE_200=1 (about a minute more; 34 s full re-plan, 274 MB on 2 December 2026).
  for (const offices of SIZES.filter((n) => n <= 20 || process.env.HERALD_SCALE_SQLITE_200 === '1')) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-scale-sqlite-'));
    dirs.push(dataDir);
    const figures = await measure('sqlite', offices, () => openStore({ dataDir }), async () => fs.statSync(path.join(dataDir, SQLITE_FILE)).size + walSize(dataDir));
    dirs.push(figures.configDir);
    all.push(figures);
  }

  const pg = await startTestPostgres();
  try {
    let db = 0;
    let last: (Figures & { configDir: string }) | null = null;
    let lastUrl = '';
    for (const offices of SIZES) {
      const admin = await openStore({ databaseUrl: pg.url });
      const name = `herald_scale_${(db += 1)}`;
      await sql`CREATE DATABASE ${sql.raw(name)}`.execute(admin.db);
      await admin.close();
      const url = pg.url.replace(/\/postgres$/, `/${name}`);
      last = await measure('postgres', offices, () => openStore({ databaseUrl: url }), async (store) => {
        const row = await sql<{ size: string }>`SELECT pg_database_size(current_database()) AS size`.execute(store.db);
        return Number(row.rows[0]!.size);
      });
      dirs.push(last.configDir);
      all.push(last);
      lastUrl = url;
    }
    if (last && process.env.HERALD_SCALE_INSTANCES !== '0') await instances(last.configDir, lastUrl);
    if (last && process.env.HERALD_SCALE_LATENCY !== '0') {
      const admin = await openStore({ databaseUrl: pg.url });
      await sql`CREATE DATABASE herald_scale_latency`.execute(admin.db);
      await admin.close();
      await sameMinuteLatency(last.configDir, pg.url.replace(/\/postgres$/, '/herald_scale_latency'));
    }
  } finally {
    await pg.server.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }

  console.log('\nper post, full re-plan (load + plan + sync into the ledger), as offices grow:');
  for (const backend of ['sqlite', 'postgres']) {
    const rows = all.filter((f) => f.backend === backend);
    console.log(`  ${backend.padEnd(8)} ${rows.map((f) => `${f.offices}: ${(f.firstMs / f.posts).toFixed(3)} ms`).join(', ')}`);
  }
  console.log(`scale bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function walSize(dataDir: string): number {
  try {
    return fs.statSync(path.join(dataDir, `${SQLITE_FILE}-wal`)).size;
  } catch {
    return 0;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
