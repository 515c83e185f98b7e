/**
 * A compressed calendar for fault tests: one opening every few seconds, the
 * bot as a real child process publishing through the real X and Instagram
 * drivers to the fake platforms, and the invariants the issue asks for,
 * checked against what the fakes received and what the ledger says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPosts } from '../../src/store/ledger';
import { openStore, SQLITE_FILE } from '../../src/store/open';
import type { LedgerPost } from '../../src/store/types';
import { addDays } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import { startFakeInstagramServer, type FakeInstagramServer } from '../fakes/fake-instagram-server';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { REPO_ROOT, startCli } from '../support/cli';
import { freePort } from '../support/net';
import { exitOf, localStamp, sleep } from '../support/process';

export { exitOf, sleep };

const ZONE = 'Asia/Pontianak';
export const SECRETS = {
  X_APP_KEY: 'fault-xkey-RECOGNISABLE',
  X_APP_SECRET: 'fault-xsecret-RECOGNISABLE',
  X_ACCESS_TOKEN: '77-fault-xtoken-RECOGNISABLE',
  X_ACCESS_SECRET: 'fault-xaccesssecret-RECOGNISABLE',
  IG_ACCESS_TOKEN: 'IGAA-fault-igtoken-RECOGNISABLE',
};

export interface Opening {
  releaseId: string;
  opensAt: Date;
  /** When booking closes (calendar `closesAt`, whole minutes), if it does. */
  closesAt?: Date;
  /** The deadline of its `opening` posts: the rule's deadlineMinutesAfterOpening, or the closing if earlier. */
  deadline: Date;
  regular: number;
}

export interface FaultWorld {
  dir: string;
  configDir: string;
  dataDir: string;
  fakeX: FakeXServer;
  fakeIg: FakeInstagramServer;
  openings: Opening[];
  start(): ReturnType<typeof startCli>;
  close(): Promise<void>;
}

/**
 * `count` openings, `spacingMs` apart, the first `leadMs` from now (or the openings `at`:
 * `closesAt` on a whole minute, which then is the deadline if earlier); `opening` posts on both platforms.
 */
export async function createFaultWorld(options: { count: number; spacingMs: number; leadMs: number; deadlineMinutes: number; at?: { opensAt: Date; closesAt?: Date }[] }): Promise<FaultWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-faults-'));
  const configDir = path.join(dir, 'config');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(configDir);
  const fakeX = await startFakeXServer({ appKey: SECRETS.X_APP_KEY, appSecret: SECRETS.X_APP_SECRET, accessToken: SECRETS.X_ACCESS_TOKEN, accessSecret: SECRETS.X_ACCESS_SECRET, dailyCap: 10_000, windowLimits: { 'POST /2/tweets': 10_000 } });
  const fakeIg = await startFakeInstagramServer({ token: SECRETS.IG_ACCESS_TOKEN, pollsUntilFinished: 1, quotaTotal: 10_000 });
  const mediaPort = await freePort();

  const herald = `office:
  id: kanim-faults
  name: Kantor Imigrasi Uji Gangguan
  timezone: ${ZONE}
  info: { bookingChannel: aplikasi M-Paspor, hashtags: [UjiGangguan] }
services:
  - { id: regular, name: Paspor Reguler, shortName: Reguler }
  - { id: express, name: Paspor Percepatan, shortName: Percepatan }
channels:
  - { id: instagram, driver: instagram, baseUrl: "${fakeIg.url}", accountId: "${fakeIg.accountId}", credentials: { accessToken: IG_ACCESS_TOKEN } }
  - { id: x, driver: x, baseUrl: "${fakeX.url}", credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }
announcements:
  - { id: opening, when: { atOpening: true }, channels: [instagram, x], template: opening, deadlineMinutesAfterOpening: ${options.deadlineMinutes} }
settings:
  renderAheadMinutes: 10
  mediaServer: { publicBaseUrl: "http://127.0.0.1:${mediaPort}", port: ${mediaPort} }
  # A free port each start: bots of parallel tests (and a killed bot's successor) never fight over 8080.
  web: { port: 0 }
`;
  fs.writeFileSync(path.join(configDir, 'herald.yaml'), herald);

  const first = Math.ceil((Date.now() + options.leadMs) / 1000) * 1000;
  const times: { opensAt: Date; closesAt?: Date }[] = options.at ?? Array.from({ length: options.count }, (_, i) => ({ opensAt: new Date(first + i * options.spacingMs) }));
  const openings: Opening[] = times.map(({ opensAt, closesAt }, i) => {
    if (closesAt && closesAt.getTime() % 60_000 !== 0) throw new Error('closesAt is written in whole minutes');
    const afterOpening = opensAt.getTime() + options.deadlineMinutes * 60_000;
    const deadline = new Date(closesAt ? Math.min(closesAt.getTime(), afterOpening) : afterOpening);
    return { releaseId: `f${String(i).padStart(3, '0')}`, opensAt, ...(closesAt ? { closesAt } : {}), deadline, regular: 100 + i };
  });
  // Each release gets its own service day: the calendar check refuses two counts for one day.
  const releases = openings
    .map((o, i) => {
      const closes = o.closesAt ? `\n    closesAt: "${localStamp(o.closesAt, ZONE).slice(0, -3)}"` : '';
      return `  - id: ${o.releaseId}\n    opensAt: "${localStamp(o.opensAt, ZONE)}"${closes}\n    days:\n      - { date: ${addDays(toLocal(o.opensAt, ZONE).date, 2 + i)}, quota: { regular: ${o.regular}, express: 5 } }`;
    })
    .join('\n');
  fs.writeFileSync(path.join(configDir, 'calendar.yaml'), `releases:\n${releases}\n`);

  return {
    dir,
    configDir,
    dataDir,
    fakeX,
    fakeIg,
    openings,
    start: () => startCli(['run', '--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')], { env: { ...SECRETS, LOG_LEVEL: 'info' } }),
    async close() {
      await fakeX.close();
      await fakeIg.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Posts not settled yet (to send, in flight, or of unclear outcome): 0 once every
 * post is published or past helping, so a test need not sit out every deadline.
 * Null while the ledger cannot be read (the first bot has not created it yet).
 */
export async function unsettledPosts(world: FaultWorld): Promise<number | null> {
  if (!fs.existsSync(path.join(world.dataDir, SQLITE_FILE))) return null;
  const store = await openStore({ dataDir: world.dataDir }).catch(() => null);
  if (!store) return null;
  try {
    return (await listPosts(store, { states: ['planned', 'ready', 'claimed', 'retrying', 'unknown'] })).length;
  } catch {
    return null;
  } finally {
    await store.close();
  }
}

export interface Verdict {
  expected: number;
  published: number;
  duplicates: string[];
  missing: string[];
  late: string[];
  ledgerDisagrees: string[];
  states: Record<string, number>;
  /** For each missing post: its ledger state and last error, so a failure says why. */
  whyMissing: string[];
}

/** The release id a published text belongs to: the count it shows is unique per release. */
function releaseOfText(world: FaultWorld, text: string): string | null {
  const numbers = new Set((text.match(/\b\d{3}\b/g) ?? []).map(Number));
  const matches = world.openings.filter((o) => numbers.has(o.regular));
  return matches.length === 1 ? matches[0]!.releaseId : null;
}

/**
 * Checks the fakes and the ledger. `excused(opening)` says an opening's whole
 * window [opensAt, deadline] fell while the bot was down: it may be missing.
 */
export async function judge(world: FaultWorld, excused: (opening: Opening) => boolean): Promise<Verdict> {
  const sent = new Map<string, { at: Date; remoteId: string }[]>();
  const note = (key: string, at: Date, remoteId: string): void => void sent.set(key, [...(sent.get(key) ?? []), { at, remoteId }]);
  for (const tweet of world.fakeX.tweets) note(`x ${releaseOfText(world, tweet.text)}`, tweet.receivedAt, tweet.id);
  for (const media of world.fakeIg.published) note(`instagram ${releaseOfText(world, media.caption ?? '')}`, media.receivedAt, media.id);

  const store = await openStore({ dataDir: world.dataDir });
  let posts: LedgerPost[];
  try {
    posts = await listPosts(store, {});
  } finally {
    await store.close();
  }
  const states: Record<string, number> = {};
  posts.forEach((p) => (states[p.state] = (states[p.state] ?? 0) + 1));

  const verdict: Verdict = { expected: 0, published: 0, duplicates: [], missing: [], late: [], ledgerDisagrees: [], states, whyMissing: [] };
  for (const opening of world.openings) {
    for (const channel of ['x', 'instagram']) {
      const key = `${channel} ${opening.releaseId}`;
      const copies = sent.get(key) ?? [];
      if (copies.length > 1) verdict.duplicates.push(key);
      if (copies.length === 0 && !excused(opening)) {
        verdict.missing.push(key);
        const row = posts.find((p) => p.releaseId === opening.releaseId && p.channelId === channel);
        verdict.whyMissing.push(`${key}: ${row?.state ?? 'absent'} after ${row?.attempts ?? 0} attempt(s): ${row?.lastError ?? ''}`);
      }
      if (!excused(opening)) verdict.expected += 1;
      verdict.published += copies.length > 0 ? 1 : 0;
      for (const copy of copies) if (copy.at.getTime() > opening.deadline.getTime()) verdict.late.push(`${key} at ${copy.at.toISOString()}`);
      const row = posts.find((p) => p.releaseId === opening.releaseId && p.channelId === channel);
      const remote = copies[0]?.remoteId ?? null;
      if (row?.state === 'published' ? row.remoteId !== remote : remote !== null) {
        verdict.ledgerDisagrees.push(`${key}: ledger ${row?.state ?? 'absent'} ${row?.remoteId ?? ''}, platform ${remote ?? 'nothing'}`);
      }
    }
  }
  if (sent.has('x null') || sent.has('instagram null')) verdict.duplicates.push('posts that match no release');
  return verdict;
}

