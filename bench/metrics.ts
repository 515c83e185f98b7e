/**
 * What one /metrics scrape costs on a big ledger: 125 offices × 400 posts
 * (50,000 rows as wide as real ones, in every state, a year and a month of them) with `run`'s
 * registry (bot metrics, 250 capped channels), through the real web server
 * over real HTTP on 127.0.0.1, on SQLite and on PostgreSQL (a private
 * embedded server, as the test setup starts it). Every scrape is taken
 * while the bot runs, so it must stay cheap: a few indexed statements.
 *
 *   node bin/run-ts.js bench/metrics.ts
 *
 * HERALD_METRICS_ONLY=sqlite|postgres measures one store; HERALD_METRICS_POSTS=N
 * another ledger size; HERALD_METRICS_RUNS=N scrapes (default 30).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createSilentLogger } from '../src/logger';
import { registerBotMetrics, type RunningChannel } from '../src/metrics/bot-metrics';
import { createMetricsRegistry } from '../src/metrics/registry';
import { createRevision } from '../src/store/config-revisions';
import { countDueUnsent, countPostsByOfficeAndState, countPublishedLastDay } from '../src/store/ledger-metrics';
import { openStore, type Store } from '../src/store/open';
import type { PostsTable } from '../src/store/schema';
import type { PostState } from '../src/store/types';
import { DEFAULT_WEB } from '../src/config/normalize-herald';
import { startWebServer } from '../src/web/server';
import { startTestPostgres } from '../test/global-setup';

const NOW = new Date('2027-03-10T05:00:00Z');
const DAY = 86_400_000;
const OFFICES = 125;
const POSTS = Number(process.env.HERALD_METRICS_POSTS ?? 50_000);
const RUNS = Number(process.env.HERALD_METRICS_RUNS ?? 30);
const officeId = (i: number): string => `kanim-${String(i).padStart(3, '0')}`;

/** Past posts mostly published (some superseded, expired, dead, cancelled…), future ones planned or ready. */
function stateOf(n: number, dueAt: number): PostState {
  if (dueAt > NOW.getTime()) return n % 5 === 0 ? 'superseded' : n % 3 === 0 ? 'ready' : 'planned';
  const pick = n % 100;
  return pick < 70 ? 'published' : pick < 85 ? 'superseded' : pick < 90 ? 'cancelled' : pick < 94 ? 'expired' : pick < 96 ? 'skipped' : pick < 97 ? 'dead' : pick < 98 ? 'retrying' : pick < 99 ? 'unknown' : 'claimed';
}

/** Rows as wide as real ones (a post's facts and its rendering are a few KB of JSON): a scan of the table costs what it would. */
const FACTS_JSON = JSON.stringify({ office: { id: 'kanim', name: 'Kantor Imigrasi', info: { hashtags: ['paspor'] } }, release: { days: Array.from({ length: 10 }, (_, i) => ({ date: `2027-03-${10 + i}`, quota: { regular: 120, express: 20 } })) }, note: 'x'.repeat(600) });
const RENDERED_JSON = JSON.stringify({ text: 'Kuota paspor dibuka '.repeat(30), media: [{ file: 'media/kanim/post/r1/card.jpg', mime: 'image/jpeg', width: 1080, height: 1350, alt: 'Jadwal kuota '.repeat(20) }] });

async function fill(store: Store): Promise<void> {
  const perOffice = Math.ceil(POSTS / OFFICES);
  const first = NOW.getTime() - 365 * DAY;
  const span = 400 * DAY;
  const rows: PostsTable[] = [];
  for (let n = 0; n < POSTS; n += 1) {
    const office = officeId(n % OFFICES);
    const index = Math.floor(n / OFFICES);
    const dueAt = first + Math.floor((index / perOffice) * span);
    const state = stateOf(n, dueAt);
    const channel = `${office}/${n % 2 === 0 ? 'x' : 'instagram'}`;
    rows.push({
      id: `post-${n}`,
      revision: 1,
      office_id: office,
      rule_id: 'h-60m',
      channel_id: channel,
      kind: 'announcement',
      release_id: `rel-${index}`,
      subject: `rel-${index}`,
      template: 'h-60m',
      due_at: dueAt,
      deadline: dueAt + 3_600_000,
      fingerprint: 'fp',
      facts_json: FACTS_JSON,
      state,
      attempts: state === 'planned' ? 0 : 1,
      next_attempt_at: state === 'retrying' ? dueAt + 60_000 : null,
      rendered_json: state === 'planned' ? null : RENDERED_JSON,
      remote_id: state === 'published' ? `r-${n}` : null,
      remote_url: null,
      published_at: state === 'published' ? dueAt + 20 : null,
      last_error: null,
      lease_owner: null,
      lease_until: null,
      created_at: first,
      updated_at: dueAt,
      approve_by: null,
      content_hash: null,
      approval_alerted_at: null,
      verify_code: null,
    });
  }
  for (let start = 0; start < rows.length; start += 500) await store.db.insertInto('posts').values(rows.slice(start, start + 500)).execute();
  for (let i = 0; i < OFFICES; i += 1) {
    await createRevision(store, { officeId: officeId(i), parentId: null, author: 'bench', message: 'start', files: { 'herald.yaml': officeId(i) }, problems: [] }, NOW);
  }
  // As autovacuum leaves a table: its visibility map lets the grouped count read the index alone.
  if (store.dialect === 'postgres') await sql`VACUUM ANALYZE posts`.execute(store.db);
}

async function measure(label: string, store: Store): Promise<void> {
  const fillStarted = performance.now();
  await fill(store);
  console.log(`${label}: ${POSTS} posts in ${OFFICES} offices written in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);
  const channels: RunningChannel[] = Array.from({ length: OFFICES }, (_, i) => [
    { office: officeId(i), channel: `${officeId(i)}/x`, platform: 'x', dailyCap: 100 },
    { office: officeId(i), channel: `${officeId(i)}/instagram`, platform: 'instagram', dailyCap: 50 },
  ]).flat();
  const metrics = createMetricsRegistry();
  const logger = createSilentLogger();
  registerBotMetrics(metrics, { store, clock: { now: () => NOW }, logger, channels: () => channels });
  const offices = Array.from({ length: OFFICES }, (_, i) => ({ id: officeId(i), name: officeId(i), timezone: 'Asia/Jakarta', locale: 'id-ID' }));
  // Where the time goes: each ledger read alone, then a whole scrape in this process (no HTTP).
  const recentFrom = new Date(NOW.getTime() - 7 * DAY);
  for (const [what, read] of [
    ['posts by office and state', () => countPostsByOfficeAndState(store, recentFrom)],
    ['due and unsent', () => countDueUnsent(store, NOW, 60_000)],
    ['published in the last day', () => countPublishedLastDay(store, NOW)],
  ] as const) {
    console.log(`${label}: ${what}: median ${(await median(read)).toFixed(1)} ms`);
  }
  const server = await startWebServer({ store, logger, clock: { now: () => NOW }, offices: () => offices, settings: { ...DEFAULT_WEB, port: 0 }, metrics });
  try {
    const times: number[] = [];
    let bytes = 0;
    let series = 0;
    for (let run = 0; run <= RUNS; run += 1) {
      const started = performance.now();
      const response = await fetch(`${server.address}/metrics`);
      const text = await response.text();
      if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
      if (run > 0) times.push(performance.now() - started);
      bytes = text.length;
      series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    }
    console.log(`${label}: one scrape in-process (registry.scrape, no HTTP): median ${(await median(() => metrics.scrape())).toFixed(1)} ms`);
    times.sort((a, b) => a - b);
    const at = (q: number): string => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(`${label}: /metrics over HTTP, ${RUNS} scrapes after a first: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms; ${series} samples, ${(bytes / 1024).toFixed(0)} KiB`);
  } finally {
    await server.close();
  }
}

async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    const started = performance.now();
    await work();
    if (run > 0) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const only = process.env.HERALD_METRICS_ONLY;
  if (!only || only === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bench-metrics-'));
    const store = await openStore({ dataDir });
    try {
      await measure('sqlite', store);
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (!only || only === 'postgres') {
    const pg = await startTestPostgres();
    try {
      const admin = await openStore({ databaseUrl: pg.url });
      await sql`CREATE DATABASE herald_metrics`.execute(admin.db);
      await admin.close();
      const store = await openStore({ databaseUrl: pg.url.replace(/\/postgres$/, '/herald_metrics') });
      try {
        await measure('postgres', store);
      } finally {
        await store.close();
      }
    } finally {
      await pg.server.stop();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
