/**
 * The issue's "Done means": every channel configured in one office publishes
 * the same openings once each against its fake platform, under faults and kills.
 *
 * The channels are every `test/faults/platforms/<driver>.platform.ts` (one per
 * driver, added with the driver: this file names none). One office, a handful
 * of openings a few seconds apart with one-minute deadlines (the first one
 * twice a measured start-up away: a warm-up run times this machine; where a
 * start takes over 10 s, two-minute deadlines), the bot as a real child
 * process (`run`), and:
 * - faults armed on each platform's create call (server error, rate limit,
 *   connection dropped after the post was created, slow answer), one at a time,
 *   each platform starting at another one, the next armed once the previous was
 *   used and the next opening has come: spread over the openings;
 * - SIGKILLs tied to progress, like crash.test.ts: one per platform that can
 *   be read back, the moment it receives its create call at or after the next
 *   opening, then a restart.
 *
 * Afterwards, per channel and opening: exactly one copy public, none after its
 * deadline, none missing (unless its whole window fell inside one downtime),
 * the ledger agreeing (published with the platform's remote id), no secret in
 * any output or file. One exception, said in the verdict: a platform that
 * cannot be read back (Telegram's bots cannot read their channel) leaves a
 * post of unclear outcome `unknown`, never re-sent: it counts as "not doubled"
 * when it has at most one copy, and it must have been alerted when the driver
 * saw the unclear outcome itself (a bot killed mid-call cannot alert; the
 * reconciler does so once the deadline has passed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPosts } from '../../src/store/ledger';
import { openStore, SQLITE_FILE } from '../../src/store/open';
import type { LedgerPost } from '../../src/store/types';
import { addDays } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import { REPO_ROOT, startCli } from '../support/cli';
import { filesBelow, freePort } from '../support/net';
import { exitOf, localStamp, sleep, waitFor } from '../support/process';
import type { ArmedFault, FaultPlatform, StartPlatform } from './platforms/platform';

const ZONE = 'Asia/Pontianak';
const OPENINGS = 5;
const SPACING_MS = 5_000;
/** The first opening at the soonest; later on a machine whose start-up (measured) is slow. */
const LEAD_MS = 10_000;
const DEADLINE_MINUTES = 1;
const FAULTS: readonly ArmedFault[] = ['server-error', 'rate-limit', 'slow', 'drop-after-create'];
/** A kill waits this long at most for its platform's create call; then it lands anyway. */
const PROGRESS_TIMEOUT_MS = 15_000;
/** Drivers whose readBack throws (a bot cannot read its Telegram channel): an unclear post stays `unknown`. */
const BLIND = new Set(['telegram']);
/**
 * Drivers whose receiver de-duplicates a resend (the webhook): an unclear post is sent again
 * while on time; one whose deadline passed while the bot was down stays `unknown` (never sent late).
 */
const RESENDS_SAFELY = new Set(['webhook']);

const PLATFORM_DIR = path.join(__dirname, 'platforms');
const PLATFORM_FILES = fs
  .readdirSync(PLATFORM_DIR)
  .filter((file) => file.endsWith('.platform.ts'))
  .sort();

interface Opening {
  releaseId: string;
  opensAt: Date;
  deadline: Date;
  regular: number;
}

type Bot = ReturnType<typeof startCli>;

describe('faults: every channel in one office, under faults and kills', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-six-'));
  const configDir = path.join(dir, 'config');
  const dataDir = path.join(dir, 'data');
  let platforms: FaultPlatform[] = [];
  /** Every run started, so a failing test leaves no bot behind. */
  const started: Bot[] = [];
  afterAll(async () => {
    for (const run of started) if (run.exitCode === null && run.signalCode === null) run.kill('SIGKILL');
    await Promise.all(platforms.map((platform) => platform.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes each opening once on every channel, none late, the ledger agreeing, no secret leaked', async () => {
    const mediaPort = await freePort();
    const mediaBaseUrl = `http://127.0.0.1:${mediaPort}`;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    platforms = await Promise.all(PLATFORM_FILES.map((file) => (require(path.join(PLATFORM_DIR, file)) as { startPlatform: StartPlatform }).startPlatform({ mediaBaseUrl })));
    const secrets: Record<string, string> = Object.assign({}, ...platforms.map((platform) => platform.secrets));
    writeHerald(configDir, platforms, mediaPort, DEADLINE_MINUTES);
    const start = (): Bot => {
      const run = startCli(['run', '--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')], { env: { ...secrets, LOG_LEVEL: 'info' } });
      started.push(run);
      return run;
    };
    const isRunning = (bot: Bot) => (): boolean => bot.output().stderr.includes('quota-herald running') || bot.exitCode !== null;

    // A warm-up run on an empty calendar (migrations, first config revision) measures this
    // machine's start-up: the first opening comes well after a start takes, however busy the machine.
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), 'releases: []\n');
    const warmUp = start();
    const spawnedAt = Date.now();
    await waitFor(isRunning(warmUp), 180_000, () => `the warm-up run to start; it said:\n${warmUp.output().stderr.slice(-3_000)}`);
    const startUpMs = Date.now() - spawnedAt;
    warmUp.kill('SIGTERM');
    await exitOf(warmUp);
    // A machine so busy that a start takes over 10 s (a restart after a kill takes as long) gets
    // two-minute deadlines: one minute would not hold a restart and a reconciliation.
    const deadlineMinutes = startUpMs > 10_000 ? 2 : DEADLINE_MINUTES;
    writeHerald(configDir, platforms, mediaPort, deadlineMinutes);
    const openings = writeCalendar(configDir, Math.max(LEAD_MS, 2 * startUpMs + 2_000), deadlineMinutes);
    const creates = (platform: FaultPlatform): number => platform.calls().filter((route) => route === platform.createRoute).length;

    // Faults: each platform starts at another fault; the next is armed once the previous met a create call.
    const armed: string[] = [];
    const lastOpening = openings[openings.length - 1]!;
    const faultState = platforms.map((platform, p) => ({ platform, next: 0, offset: p, createsAtArm: -1 }));
    const armDue = (): void => {
      for (const state of faultState) {
        if (state.next >= FAULTS.length) continue;
        const used = state.createsAtArm < 0 || creates(state.platform) > state.createsAtArm;
        const opening = openings[Math.min(state.next, openings.length - 1)]!;
        if (!used || Date.now() < opening.opensAt.getTime() - 1_000) continue;
        // Past the openings a fault would only meet a late retry, near its deadline: left unarmed.
        if (Date.now() > lastOpening.opensAt.getTime() + SPACING_MS) {
          armed.push(`${state.platform.id}: ${FAULTS.length - state.next} fault(s) left unarmed (no opening left)`);
          state.next = FAULTS.length;
          continue;
        }
        const fault = FAULTS[(state.next + state.offset) % FAULTS.length]!;
        state.next += 1;
        if (!state.platform.arm(fault)) {
          armed.push(`${state.platform.id}: ${fault} (cannot)`);
          continue;
        }
        state.createsAtArm = creates(state.platform);
        armed.push(`${state.platform.id}: ${fault} at +${seconds(Date.now() - openings[0]!.opensAt.getTime())}`);
      }
    };
    let arming = true;
    const armer = (async () => {
      while (arming) {
        armDue();
        await sleep(100);
      }
    })();

    // Kills: one per readable platform, at its create call, from the first opening on.
    const targets = platforms.filter((platform) => !BLIND.has(platform.id));
    const downtimes: { from: number; to: number }[] = [];
    const landed: string[] = [];
    let bot = start();
    const bots = [warmUp, bot];
    try {
      for (const [k, target] of targets.entries()) {
        const running = bot;
        const opening = openings[Math.min(k, openings.length - 1)]!;
        await waitFor(() => Date.now() >= opening.opensAt.getTime() - 1_000 || running.exitCode !== null, 60_000, () => `opening ${opening.releaseId}`);
        // Tied to progress: a run still starting up on a busy machine is not killed for want of a call.
        await waitFor(isRunning(running), 90_000, () => 'a run to start').catch(() => undefined);
        const before = creates(target);
        const reached = await waitFor(() => creates(target) > before || running.exitCode !== null, PROGRESS_TIMEOUT_MS, () => `${target.createRoute}`, 10).then(
          () => true,
          () => false,
        );
        if (running.exitCode !== null) throw new Error(`run ${bots.length - 2} exited by itself (code ${running.exitCode}); it said:\n${running.output().stderr.slice(-3_000)}`);
        running.kill('SIGKILL');
        await exitOf(running);
        const down = Date.now();
        landed.push(`${target.id} ${target.createRoute}${reached ? '' : ' (timed out)'} at +${seconds(down - openings[0]!.opensAt.getTime())}`);
        await sleep(500);
        downtimes.push({ from: down, to: Date.now() });
        bot = start();
        bots.push(bot);
      }

      // Until every post is settled (a blind platform's `unknown` counts as settled: it is never re-sent),
      // at the latest until every deadline has passed.
      const lastRun = bot;
      await waitFor(isRunning(lastRun), 120_000, () => `the last run to start; it said:\n${lastRun.output().stderr.slice(-3_000)}`);
      const last = openings[openings.length - 1]!;
      while (Date.now() < last.deadline.getTime() + 5_000) {
        if (Date.now() > last.opensAt.getTime() && (await unsettled(dataDir)) === 0) break;
        await sleep(500);
      }
    } finally {
      arming = false;
      await armer;
    }
    bot.kill('SIGTERM');
    const lastExit = await exitOf(bot);
    if (lastExit !== 0) throw new Error(`the last run exited ${lastExit} on SIGTERM instead of 0; it said:\n${bot.output().stderr.slice(-4_000)}`);

    const output = bots.map((b) => b.output().stdout + b.output().stderr).join('\n');
    if (process.env.SIX_LOG_DIR) {
      // For a post-mortem: every run's log.
      fs.mkdirSync(process.env.SIX_LOG_DIR, { recursive: true });
      bots.forEach((b, i) => fs.writeFileSync(path.join(process.env.SIX_LOG_DIR!, `run-${i}.log`), b.output().stderr));
    }
    const verdict = await judge(dataDir, platforms, openings, output, (o) => downtimes.some((d) => d.from <= o.opensAt.getTime() && o.deadline.getTime() <= d.to));
    console.log(
      `six channels: ${JSON.stringify({ channels: platforms.map((p) => p.id), startUpMs, deadlineMinutes, openings: openings.length, expected: verdict.expected, onceEach: verdict.onceEach, states: verdict.states })}\n` +
        `faults: ${armed.join('; ')}\nkills: ${landed.join('; ')}\n` +
        `blind platforms, unknown and not doubled: ${verdict.blindUnknown.length === 0 ? 'none' : verdict.blindUnknown.join('; ')}\n${verdict.whyMissing.join('\n')}`,
    );
    expect(verdict).toMatchObject({ duplicates: [], missing: [], late: [], ledgerDisagrees: [], unalerted: [] });
    expect(verdict.expected).toBe(openings.length * platforms.length);
    expect(verdict.onceEach + verdict.blindUnknown.length).toBe(verdict.expected);

    // Every run's output and every file of the data directory: no secret of any platform.
    const places: [string, string][] = [
      ...bots.map((b, i): [string, string] => [i === 0 ? 'warm-up run output' : `run ${i} output`, b.output().stdout + b.output().stderr]),
      ...filesBelow(dataDir).map((file): [string, string] => [file, fs.readFileSync(file).toString('latin1')]),
    ];
    for (const [where, text] of places) {
      for (const [name, secret] of Object.entries(secrets)) if (text.includes(secret)) throw new Error(`${name} leaked into ${where}`);
    }
  }, 240_000);
});

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** herald.yaml with every platform's channel and one `opening` rule on all of them. */
function writeHerald(configDir: string, platforms: readonly FaultPlatform[], mediaPort: number, deadlineMinutes: number): void {
  fs.mkdirSync(configDir, { recursive: true });
  const ids = platforms.map((platform) => platform.id);
  fs.writeFileSync(
    path.join(configDir, 'herald.yaml'),
    `office:
  id: kanim-six
  name: Kantor Imigrasi Uji Enam Kanal
  timezone: ${ZONE}
  info: { bookingChannel: aplikasi M-Paspor, hashtags: [UjiEnamKanal] }
services:
  - { id: regular, name: Paspor Reguler, shortName: Reguler }
  - { id: express, name: Paspor Percepatan, shortName: Percepatan }
channels:
${platforms.map((platform) => `  - ${platform.channelYaml}`).join('\n')}
announcements:
  - { id: opening, when: { atOpening: true }, channels: [${ids.join(', ')}], template: opening, deadlineMinutesAfterOpening: ${deadlineMinutes} }
settings:
  renderAheadMinutes: 10
  mediaServer: { publicBaseUrl: "http://127.0.0.1:${mediaPort}", port: ${mediaPort} }
  web: { port: 0 }
`,
  );
}

/** calendar.yaml with the openings, the first `leadMs` from now. */
function writeCalendar(configDir: string, leadMs: number, deadlineMinutes: number): Opening[] {
  const first = Math.ceil((Date.now() + leadMs) / 1000) * 1000;
  const openings = Array.from({ length: OPENINGS }, (_, i): Opening => {
    const opensAt = new Date(first + i * SPACING_MS);
    return { releaseId: `s${String(i).padStart(3, '0')}`, opensAt, deadline: new Date(opensAt.getTime() + deadlineMinutes * 60_000), regular: 100 + i };
  });
  // Each release its own service day: the calendar check refuses two counts for one day.
  const releases = openings
    .map((o, i) => `  - id: ${o.releaseId}\n    opensAt: "${localStamp(o.opensAt, ZONE)}"\n    days:\n      - { date: ${addDays(toLocal(o.opensAt, ZONE).date, 2 + i)}, quota: { regular: ${o.regular}, express: 5 } }`)
    .join('\n');
  fs.writeFileSync(path.join(configDir, 'calendar.yaml'), `releases:\n${releases}\n`);
  return openings;
}

async function readLedger(dataDir: string): Promise<LedgerPost[] | null> {
  if (!fs.existsSync(path.join(dataDir, SQLITE_FILE))) return null;
  const store = await openStore({ dataDir }).catch(() => null);
  if (!store) return null;
  try {
    return await listPosts(store, {});
  } catch {
    return null;
  } finally {
    await store.close();
  }
}

/** Posts still to settle; a blind platform's `unknown` is settled (never re-sent). Null while the ledger cannot be read. */
async function unsettled(dataDir: string): Promise<number | null> {
  const posts = await readLedger(dataDir);
  if (!posts) return null;
  return posts.filter((p) => ['planned', 'ready', 'claimed', 'retrying', 'unknown'].includes(p.state) && !(p.state === 'unknown' && (BLIND.has(p.channelId) || (RESENDS_SAFELY.has(p.channelId) && p.deadline !== null && p.deadline.getTime() <= Date.now())))).length;
}

interface Verdict {
  expected: number;
  /** Channel × opening with exactly one public copy and the ledger agreeing. */
  onceEach: number;
  duplicates: string[];
  missing: string[];
  late: string[];
  ledgerDisagrees: string[];
  /** A blind platform's posts left `unknown` with at most one copy: not doubled, accepted. */
  blindUnknown: string[];
  /** Blind `unknown` posts whose driver saw the unclear outcome but raised no alert. */
  unalerted: string[];
  states: Record<string, number>;
  whyMissing: string[];
}

/** The release a published text belongs to: the regular count it shows is unique per opening. */
function releaseOfText(openings: readonly Opening[], text: string): string | null {
  const numbers = new Set((text.match(/\b\d{3}\b/g) ?? []).map(Number));
  const matches = openings.filter((o) => numbers.has(o.regular));
  return matches.length === 1 ? matches[0]!.releaseId : null;
}

async function judge(dataDir: string, platforms: readonly FaultPlatform[], openings: readonly Opening[], output: string, excused: (opening: Opening) => boolean): Promise<Verdict> {
  const posts = (await readLedger(dataDir)) ?? [];
  const states: Record<string, number> = {};
  posts.forEach((p) => (states[p.state] = (states[p.state] ?? 0) + 1));
  const verdict: Verdict = { expected: 0, onceEach: 0, duplicates: [], missing: [], late: [], ledgerDisagrees: [], blindUnknown: [], unalerted: [], states, whyMissing: [] };
  for (const platform of platforms) {
    const published = platform.published();
    if (published.some((copy) => releaseOfText(openings, copy.text) === null)) verdict.duplicates.push(`${platform.id}: posts that match no opening`);
    const blind = BLIND.has(platform.id);
    for (const opening of openings) {
      const key = `${platform.id} ${opening.releaseId}`;
      const copies = published.filter((copy) => releaseOfText(openings, copy.text) === opening.releaseId);
      const row = posts.find((p) => p.releaseId === opening.releaseId && p.channelId === platform.id);
      const pastDeadline = row?.deadline ? row.deadline.getTime() <= Date.now() : false;
      const blindUnknown = (blind || (RESENDS_SAFELY.has(platform.id) && pastDeadline)) && row?.state === 'unknown' && copies.length <= 1;
      if (!excused(opening)) verdict.expected += 1;
      if (copies.length > 1) {
        // Enough to tell a real double from a mis-attributed text: when, which id, what it said.
        const seen = copies.map((copy) => `${copy.remoteId} at ${copy.at.toISOString()}: ${JSON.stringify(copy.text.slice(0, 120))}`).join('; ');
        verdict.duplicates.push(`${key}: ${copies.length} copies (${seen}); ledger post ${row?.id ?? 'absent'} ${row?.state ?? ''}, due ${row?.dueAt.toISOString() ?? '?'}`);
      }
      for (const copy of copies) if (copy.at.getTime() > opening.deadline.getTime()) verdict.late.push(`${key} at ${copy.at.toISOString()}`);
      if (blindUnknown) {
        verdict.blindUnknown.push(`${key}: unknown, ${copies.length} copy (not doubled)`);
        // The driver alerts when it sees the unclear outcome itself; a kill mid-call leaves that to the reconciler, after the deadline.
        if (blind && row.lastError?.startsWith('unclear:') && !output.split('\n').some((line) => line.includes('"alert":"unclear-outcome"') && line.includes(platform.id))) verdict.unalerted.push(key);
        continue;
      }
      if (copies.length === 0 && !excused(opening)) {
        verdict.missing.push(key);
        verdict.whyMissing.push(`${key}: ${row?.state ?? 'absent'} after ${row?.attempts ?? 0} attempt(s): ${row?.lastError ?? ''}`);
      }
      const remote = copies[0]?.remoteId ?? null;
      if (row?.state === 'published' ? row.remoteId !== remote : remote !== null) {
        verdict.ledgerDisagrees.push(`${key}: ledger ${row?.state ?? 'absent'} ${row?.remoteId ?? ''}, platform ${remote ?? 'nothing'}`);
      } else if (copies.length === 1 && row?.state === 'published') {
        verdict.onceEach += 1;
      }
    }
  }
  return verdict;
}
