/**
 * End to end: `run` as a real child process posts an opening seconds away to
 * the outbox; staff then edit the calendar file. A count cut must bring one
 * correction per channel quoting old and new counts, removing the release one
 * cancellation per channel, and a restart nothing more. Observed only through
 * the outbox, as staff would. (Real waiting: the process runs on the wall clock.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOutbox, type OutboxRecord } from '../../src/channels/outbox/outbox-channel';
import { addDays } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import { REPO_ROOT, startCli } from '../support/cli';
import { exitOf, localStamp } from '../support/process';

const ZONE = 'Asia/Pontianak';

describe('e2e: corrections and cancellations after publishing', () => {
  let dir: string;

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('corrects a published count on both channels, then announces the removal, each once', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-e2e-corrections-'));
    const configDir = path.join(dir, 'config');
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(configDir);
    fs.copyFileSync(path.join(REPO_ROOT, 'config', 'herald.yaml'), path.join(configDir, 'herald.yaml'));
    // Far enough ahead for a slow start on a busy machine: a post first planned after its due time is
    // never sent (no spamming history), and the drill would wait for nothing.
    const opening = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
    const serviceDay = addDays(toLocal(opening, ZONE).date, 3);
    const calendarFile = path.join(configDir, 'calendar.yaml');
    const calendar = (regular: number): string =>
      `releases:\n  - id: ralat-drill\n    opensAt: "${localStamp(opening, ZONE)}"\n    days:\n      - { date: ${serviceDay}, quota: { regular: ${regular}, express: 20 } }\n`;
    fs.writeFileSync(calendarFile, calendar(120));

    const args = ['run', '--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')];
    const outbox = path.join(dataDir, 'outbox.jsonl');
    const drill = (): OutboxRecord[] => (fs.existsSync(outbox) ? readOutbox(outbox).filter((r) => r.releaseId === 'ralat-drill') : []);
    let bot = startCli(args);
    const until = async (what: string, probe: (records: OutboxRecord[]) => boolean): Promise<OutboxRecord[]> => {
      const started = Date.now();
      for (;;) {
        const records = drill();
        if (probe(records)) return records;
        if (Date.now() - started > 45_000) throw new Error(`timed out waiting until ${what}; bot stderr: ${bot.output().stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const ofKind = (records: OutboxRecord[], kind: string): OutboxRecord[] => records.filter((r) => r.kind === kind);
    try {
      await until('the opening is posted on both channels', (r) => ofKind(r, 'announcement').length === 2);

      // After the announcement went out, the count is cut from 120 to 80.
      const editedAt = Date.now();
      fs.writeFileSync(calendarFile, calendar(80));
      const corrected = await until('a correction on each channel', (r) => ofKind(r, 'correction').length === 2);
      for (const record of ofKind(corrected, 'correction')) {
        expect(record.rule).toBe('correction');
        expect(record.text).toContain('RALAT');
        expect(record.text).toContain('120 menjadi 80');
        expect(record.media[0]!.alt).toContain('dari 120 menjadi 80');
        // "At once": planned when the edit was seen, not at some later rule time.
        expect(new Date(record.publishedAt).getTime() - editedAt).toBeLessThan(10_000);
      }
      expect(ofKind(corrected, 'correction').map((r) => r.channel).sort()).toEqual(['instagram', 'x']);

      // Then the release is removed: the public that saw it hears it is off.
      fs.writeFileSync(calendarFile, 'releases: []\n');
      const cancelled = await until('a cancellation on each channel', (r) => ofKind(r, 'cancellation').length === 2);
      for (const record of ofKind(cancelled, 'cancellation')) expect(record.text).toContain('DIBATALKAN');
      expect(ofKind(cancelled, 'cancellation').map((r) => r.channel).sort()).toEqual(['instagram', 'x']);
    } finally {
      bot.kill('SIGTERM');
      await exitOf(bot);
    }
    expect(bot.exitCode).toBe(0);

    // A restart re-plans the same calendar: nothing is owed, nothing is sent again.
    const before = drill().length;
    bot = startCli(args);
    try {
      const started = Date.now();
      while (!bot.output().stderr.includes('quota-herald running')) {
        if (Date.now() - started > 15_000) throw new Error(`the restarted bot did not start: ${bot.output().stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(bot.output().stderr).toMatch(/"correctionsPlanned":0/);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      bot.kill('SIGTERM');
      await exitOf(bot);
    }
    expect(drill()).toHaveLength(before);
    expect(before).toBe(6);
  }, 90_000);
});
