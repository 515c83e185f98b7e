/**
 * End to end: `run` as a real child process on a calendar whose openings are
 * seconds away, observed only through the outbox and `status`, as staff would.
 * (Real waiting is unavoidable here: the process runs on the wall clock.)
 * `run` is always a real process; `status`, what staff read, runs in this one
 * (support/cli-in-process.ts), so polling it costs no process start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOutbox } from '../../src/channels/outbox/outbox-channel';
import { listPosts } from '../../src/store/ledger';
import { openStore } from '../../src/store/open';
import { toLocal } from '../../src/time/zone';
import { addDays } from '../../src/time/plain-date';
import { REPO_ROOT, runCli, startCli } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';
import { exitOf, localStamp, waitFor } from '../support/process';

const ZONE = 'Asia/Pontianak';

describe('e2e: run publishes openings seconds away, once', () => {
  let dir: string;
  let configDir: string;
  let dataDir: string;
  const openings: Date[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-e2e-run-'));
    configDir = path.join(dir, 'config');
    dataDir = path.join(dir, 'data');
    fs.mkdirSync(configDir);
    fs.copyFileSync(path.join(REPO_ROOT, 'config', 'herald.yaml'), path.join(configDir, 'herald.yaml'));
    const now = Date.now();
    openings.push(new Date(Math.ceil((now + 9_000) / 1000) * 1000), new Date(Math.ceil((now + 14_000) / 1000) * 1000));
    const releases = openings
      .map((opening, i) => {
        const serviceDay = addDays(toLocal(opening, ZONE).date, 3 + i);
        return `  - id: drill-${i + 1}\n    opensAt: "${localStamp(opening, ZONE)}"\n    days:\n      - { date: ${serviceDay}, quota: { regular: ${50 + i}, express: 5 } }\n    note: Uji coba`;
      })
      .join('\n');
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), `releases:\n${releases}\n`);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('posts each opening on both channels at its time, survives a restart without re-sending, and refuses a second run', async () => {
    const args = ['run', '--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')];
    const bot = startCli(args);
    const outbox = path.join(dataDir, 'outbox.jsonl');
    const drill = (): ReturnType<typeof readOutbox> => readOutbox(outbox).filter((r) => r.releaseId?.startsWith('drill-'));

    // A second bot on the same data directory is refused while the first runs.
    await waitFor(() => (fs.existsSync(path.join(dataDir, 'herald.sqlite')) ? true : undefined), 15_000, () => `the first bot to open its ledger (stderr: ${bot.output().stderr})`);
    const second = await runCli(args);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Another quota-herald .* is running/);

    const records = await waitFor(() => (drill().length >= 4 ? drill() : undefined), 40_000, () => `4 outbox records (stderr: ${bot.output().stderr})`);
    bot.kill('SIGTERM');
    expect(await exitOf(bot)).toBe(0);

    expect(records.map((r) => `${r.releaseId} ${r.channel} ${r.rule}`).sort()).toEqual([
      'drill-1 instagram opening',
      'drill-1 x opening',
      'drill-2 instagram opening',
      'drill-2 x opening',
    ]);
    for (const record of records) {
      const opening = openings[Number(record.releaseId!.slice(-1)) - 1]!;
      expect(record.scheduledAt).toBe(opening.toISOString());
      const lateMs = new Date(record.publishedAt).getTime() - opening.getTime();
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThan(3_000);
      expect(fs.existsSync(path.join(dataDir, record.media[0]!.file))).toBe(true);
    }

    // Restart: nothing is sent again, and status reports what happened.
    const restarted = startCli(args);
    await waitFor(() => (restarted.output().stderr.includes('quota-herald running') ? true : undefined), 15_000, () => `the restarted bot (stderr: ${restarted.output().stderr})`);
    restarted.kill('SIGTERM');
    expect(await exitOf(restarted)).toBe(0);
    expect(drill()).toHaveLength(4);

    const status = await runCliInProcess(['status', '--json', '--config', configDir, '--data', dataDir]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { states: Record<string, number>; recent: { releaseId: string }[] };
    expect(parsed.states.published).toBe(4);
    expect(parsed.recent.filter((p) => p.releaseId.startsWith('drill-'))).toHaveLength(4);
  }, 90_000);
});

describe('e2e: run follows live edits of the calendar', () => {
  let dir: string;

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the last good plan on a bad edit, supersedes changed posts, cancels removed ones', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-e2e-edit-'));
    const configDir = path.join(dir, 'config');
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(configDir);
    fs.copyFileSync(path.join(REPO_ROOT, 'config', 'herald.yaml'), path.join(configDir, 'herald.yaml'));
    // Opens in three hours: the h-60m and opening posts are pending for the whole test.
    const opening = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 60_000) * 60_000);
    const serviceDay = addDays(toLocal(opening, ZONE).date, 3);
    const calendar = (count: string): string =>
      `releases:\n  - id: edit-drill\n    opensAt: "${localStamp(opening, ZONE)}"\n    days:\n      - { date: ${serviceDay}, ${count} }\n`;
    const calendarFile = path.join(configDir, 'calendar.yaml');
    fs.writeFileSync(calendarFile, calendar('quota: { regular: 50 }'));

    const bot = startCli(['run', '--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')]);
    const status = async (): Promise<{ config: { ok: boolean; problems: string[] }; upcoming: { releaseId: string; revision: number; rule: string }[] }> =>
      JSON.parse((await runCliInProcess(['status', '--json', '--data', dataDir])).stdout) as never;
    const until = async (what: string, probe: (s: Awaited<ReturnType<typeof status>>) => boolean): Promise<Awaited<ReturnType<typeof status>>> => {
      const started = Date.now();
      for (;;) {
        const current = await status().catch(() => null);
        if (current && probe(current)) return current;
        if (Date.now() - started > 20_000) throw new Error(`timed out waiting until ${what}; bot stderr: ${bot.output().stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      const first = await until('the drill posts are planned', (s) => s.upcoming.filter((p) => p.releaseId === 'edit-drill').length === 4);
      expect(first.upcoming.filter((p) => p.releaseId === 'edit-drill').every((p) => p.revision === 1)).toBe(true);

      // A typo: the bot keeps running on the last good plan and says what is wrong, where.
      fs.writeFileSync(calendarFile, calendar('quotaa: { regular: 40 }'));
      const broken = await until('the bad edit is reported', (s) => s.config.ok === false);
      expect(broken.config.problems.join('\n')).toMatch(/calendar\.yaml:5:\d+: .*quotaa/);
      expect(broken.upcoming.filter((p) => p.releaseId === 'edit-drill')).toHaveLength(4);
      expect(bot.exitCode).toBeNull();

      // A valid change of a count supersedes the pending posts with a new revision.
      fs.writeFileSync(calendarFile, calendar('quota: { regular: 40 }'));
      const changed = await until('the count change is planned', (s) => s.config.ok && s.upcoming.filter((p) => p.releaseId === 'edit-drill' && p.revision === 2).length === 4);
      expect(changed.upcoming.filter((p) => p.releaseId === 'edit-drill')).toHaveLength(4);

      // Removing the release cancels its pending posts.
      fs.writeFileSync(calendarFile, 'releases: []\n');
      await until('the removed release leaves the upcoming posts', (s) => s.upcoming.every((p) => p.releaseId !== 'edit-drill'));
    } finally {
      bot.kill('SIGTERM');
      await exitOf(bot);
    }
    expect(bot.exitCode).toBe(0);
    // Not merely gone from "upcoming" (expired or dead posts are gone too): each one is cancelled.
    const store = await openStore({ dataDir });
    try {
      const drill = (await listPosts(store)).filter((p) => p.releaseId === 'edit-drill');
      expect(drill.map((p) => `r${p.revision} ${p.state}`)).toEqual(['r2 cancelled', 'r2 cancelled', 'r2 cancelled', 'r2 cancelled']);
    } finally {
      await store.close();
    }
  }, 90_000);
});
