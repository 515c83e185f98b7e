/**
 * A cluster for the kill test (issue 8 §3): several `run` processes (the real
 * CLI, each with its own data directory and its own copy of the config) on one
 * private embedded PostgreSQL that the test may restart, many offices in the
 * `config/offices/<id>/` layout, the fake X and Instagram, and a round-robin
 * balancer at the media servers' public address. Used by
 * test/faults/cluster-kill.test.ts (short, CI) and scripts/cluster-kill.ts (long).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { listPosts } from '../../src/store/ledger';
import { openStore } from '../../src/store/open';
import type { LedgerPost } from '../../src/store/types';
import { addDays } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import { startFakeInstagramServer, type FakeInstagramServer } from '../fakes/fake-instagram-server';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { REPO_ROOT, startCli } from '../support/cli';
import { freePort } from '../support/net';
import { startPrivatePostgres } from '../support/private-postgres';
import { localStamp } from '../support/process';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { SECRETS, type Verdict } from './harness';

const ZONE = 'Asia/Pontianak';
const CHANNELS = ['x', 'instagram'] as const;
/** The periodic re-plan's period in the cluster world (a seconds-level cron). */
export const REPLAN_EVERY_S = 5;
const TERMINAL = new Set(['published', 'expired', 'dead', 'cancelled', 'superseded']);

export interface ClusterOpening {
  office: string;
  releaseId: string;
  opensAt: Date;
  deadline: Date;
  /** Unique over the whole world: the judge tells posts apart by it. */
  regular: number;
}

export type Instance = ReturnType<typeof startCli>;

export interface ClusterWorld {
  dir: string;
  databaseUrl: string;
  fakeX: FakeXServer;
  fakeIg: FakeInstagramServer;
  media: RoundRobinProxy;
  offices: string[];
  openings: ClusterOpening[];
  /** Starts instance `index` (0 … instances-1): its own config copy, data dir and media port. */
  start(index: number): Instance;
  /** Stops PostgreSQL (fast shutdown: every connection cut), waits `downMs`, starts it on the same data. */
  restartPostgres(downMs: number): Promise<void>;
  /** Every post of the ledger (current revisions). */
  posts(): Promise<LedgerPost[]>;
  /** True when every post is in a final state (published, expired, dead …). */
  settled(): Promise<boolean>;
  query<T extends pg.QueryResultRow>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * `perOffice` openings in each of `offices` offices, `spacingMs` apart per
 * office (offices staggered inside the spacing), the first `leadMs` from now;
 * each opening has an `opening` post on X and Instagram with a deadline
 * `deadlineMinutes` after it.
 */
export async function createClusterWorld(options: { instances: number; offices: number; perOffice: number; spacingMs: number; leadMs: number; deadlineMinutes: number }): Promise<ClusterWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-cluster-'));
  const postgres = await startPrivatePostgres();
  const name = 'herald_cluster';
  await adminQuery(postgres.url, `CREATE DATABASE ${name}`);
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();

  const fakeX = await startFakeXServer({ appKey: SECRETS.X_APP_KEY, appSecret: SECRETS.X_APP_SECRET, accessToken: SECRETS.X_ACCESS_TOKEN, accessSecret: SECRETS.X_ACCESS_SECRET, dailyCap: 10_000, windowLimits: { 'POST /2/tweets': 10_000 } });
  const fakeIg = await startFakeInstagramServer({ token: SECRETS.IG_ACCESS_TOKEN, pollsUntilFinished: 1, quotaTotal: 10_000 });
  const mediaPorts = await Promise.all(Array.from({ length: options.instances }, () => freePort()));
  const media = await startRoundRobinProxy(mediaPorts);
  const mediaSecret = crypto.randomBytes(32).toString('hex');

  const offices = Array.from({ length: options.offices }, (_, i) => `kanim-${String.fromCharCode(97 + i)}`);
  const first = Math.ceil((Date.now() + options.leadMs) / 1000) * 1000;
  const openings: ClusterOpening[] = [];
  offices.forEach((office, o) => {
    for (let i = 0; i < options.perOffice; i++) {
      const opensAt = new Date(first + i * options.spacingMs + Math.floor((o * options.spacingMs) / options.offices / 1000) * 1000);
      const regular = 100 + openings.length;
      openings.push({ office, releaseId: `${office.slice(-1)}${String(i).padStart(3, '0')}`, opensAt, deadline: new Date(opensAt.getTime() + options.deadlineMinutes * 60_000), regular });
    }
  });
  if (openings.length > 899) throw new Error('at most 899 openings: counts must stay three digits');

  const configDirs = mediaPorts.map((port, index) => {
    const configDir = path.join(dir, `config-${index}`);
    writeFile(path.join(configDir, 'herald.yaml'), sharedHerald(options.deadlineMinutes, media.url, port));
    for (const office of offices) {
      writeFile(path.join(configDir, 'offices', office, 'herald.yaml'), officeHerald(office, fakeX.url, fakeIg));
      // Each release gets its own service day: the calendar check refuses two counts for one day.
      const releases = openings
        .filter((o) => o.office === office)
        .map((o, i) => `  - id: ${o.releaseId}\n    opensAt: "${localStamp(o.opensAt, ZONE)}"\n    days:\n      - { date: ${addDays(toLocal(o.opensAt, ZONE).date, 2 + i)}, quota: { regular: ${o.regular}, express: 5 } }`)
        .join('\n');
      writeFile(path.join(configDir, 'offices', office, 'calendar.yaml'), `releases:\n${releases}\n`);
    }
    return configDir;
  });

  const posts = async (): Promise<LedgerPost[]> => {
    const store = await openStore({ databaseUrl });
    try {
      return await listPosts(store, {});
    } finally {
      await store.close();
    }
  };

  return {
    dir,
    databaseUrl,
    fakeX,
    fakeIg,
    media,
    offices,
    openings,
    start: (index) =>
      startCli(['run', '--config', configDirs[index]!, '--data', path.join(dir, `data-${index}`), '--templates', path.join(REPO_ROOT, 'templates')], {
        env: { ...SECRETS, DATABASE_URL: databaseUrl, HERALD_MEDIA_SECRET: mediaSecret, LOG_LEVEL: 'info' },
      }),
    async restartPostgres(downMs) {
      await postgres.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await postgres.start();
    },
    posts,
    async settled() {
      const all = await posts();
      return all.length >= openings.length * CHANNELS.length && all.every((p) => TERMINAL.has(p.state));
    },
    query: (sql) => adminQuery(databaseUrl, sql),
    async close() {
      await media.close();
      await fakeX.close();
      await fakeIg.close();
      await postgres.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function sharedHerald(deadlineMinutes: number, publicBaseUrl: string, mediaPort: number): string {
  return `# shared defaults (instance copy: only the media port differs between instances)
office:
  timezone: ${ZONE}
  info: { bookingChannel: aplikasi M-Paspor, hashtags: [UjiKluster] }
services:
  - { id: regular, name: Paspor Reguler, shortName: Reguler }
  - { id: express, name: Paspor Percepatan, shortName: Percepatan }
announcements:
  - { id: opening, when: { atOpening: true }, channels: [instagram, x], template: opening, deadlineMinutesAfterOpening: ${deadlineMinutes} }
settings:
  renderAheadMinutes: 10
  # Every ${REPLAN_EVERY_S} s, so the run spans many periods: the judge checks each ran once for the cluster.
  replanCron: "*/${REPLAN_EVERY_S} * * * * *"
  mediaServer: { publicBaseUrl: "${publicBaseUrl}", port: ${mediaPort} }
  # A free port each start: three instances (and their successors) never fight over 8080.
  web: { port: 0 }
`;
}

function officeHerald(office: string, xUrl: string, ig: FakeInstagramServer): string {
  return `office:
  name: Kantor Imigrasi Uji ${office}
channels:
  - { id: instagram, driver: instagram, baseUrl: "${ig.url}", accountId: "${ig.accountId}", credentials: { accessToken: IG_ACCESS_TOKEN } }
  - { id: x, driver: x, baseUrl: "${xUrl}", credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }
`;
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function adminQuery<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The same verdict as the single-instance crash test's. */
export type ClusterVerdict = Verdict;

/** The opening a published text belongs to: the regular count it shows is unique in the world. */
function openingOfText(world: ClusterWorld, text: string): ClusterOpening | null {
  const numbers = new Set((text.match(/\b\d{3}\b/g) ?? []).map(Number));
  const matches = world.openings.filter((o) => numbers.has(o.regular));
  return matches.length === 1 ? matches[0]! : null;
}

/**
 * Compares the fakes and the ledger: no post twice, none missing unless
 * `excused`, none after its deadline, and the ledger's remote ids equal to
 * what the platforms hold.
 */
export async function judgeCluster(world: ClusterWorld, excused: (opening: ClusterOpening) => boolean): Promise<ClusterVerdict> {
  const sent = new Map<string, { at: Date; remoteId: string }[]>();
  const note = (channel: string, text: string, at: Date, remoteId: string): void => {
    const opening = openingOfText(world, text);
    const key = opening ? `${opening.office}/${channel} ${opening.releaseId}` : `${channel} unmatched`;
    sent.set(key, [...(sent.get(key) ?? []), { at, remoteId }]);
  };
  for (const tweet of world.fakeX.tweets) note('x', tweet.text, tweet.receivedAt, tweet.id);
  for (const media of world.fakeIg.published) note('instagram', media.caption ?? '', media.receivedAt, media.id);

  const posts = await world.posts();
  const states: Record<string, number> = {};
  posts.forEach((p) => (states[p.state] = (states[p.state] ?? 0) + 1));
  const verdict: ClusterVerdict = { expected: 0, published: 0, duplicates: [], missing: [], late: [], ledgerDisagrees: [], states, whyMissing: [] };
  for (const opening of world.openings) {
    for (const channel of CHANNELS) {
      const channelId = `${opening.office}/${channel}`;
      const key = `${channelId} ${opening.releaseId}`;
      const copies = sent.get(key) ?? [];
      const row = posts.find((p) => p.releaseId === opening.releaseId && p.channelId === channelId);
      if (copies.length > 1) verdict.duplicates.push(`${key} ×${copies.length}`);
      if (!excused(opening)) verdict.expected += 1;
      if (copies.length === 0 && !excused(opening)) {
        verdict.missing.push(key);
        verdict.whyMissing.push(`${key}: ${row?.state ?? 'absent'} after ${row?.attempts ?? 0} attempt(s): ${row?.lastError ?? ''}`);
      }
      verdict.published += copies.length > 0 ? 1 : 0;
      for (const copy of copies) if (copy.at.getTime() > opening.deadline.getTime()) verdict.late.push(`${key} at ${copy.at.toISOString()}`);
      const remote = copies[0]?.remoteId ?? null;
      if (row?.state === 'published' ? row.remoteId !== remote : remote !== null) {
        verdict.ledgerDisagrees.push(`${key}: ledger ${row?.state ?? 'absent'} ${row?.remoteId ?? ''}, platform ${remote ?? 'nothing'}`);
      }
    }
  }
  for (const channel of CHANNELS) if (sent.has(`${channel} unmatched`)) verdict.duplicates.push(`${channel}: posts that match no opening`);
  return verdict;
}
