/**
 * An edit is never missed: the real bot loop on the wall clock, its config
 * edited 20 times in a row in every way people and tools save files, each
 * edit checked in the ledger before the next one. Then the safety net: with
 * no file events at all, the periodic re-plan finds the change on disk.
 * (`status` afterwards runs in-process: support/cli-in-process.ts.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_STATUS_KEY, INSTANCE_STATUS_KEY, type ConfigStatus, type InstanceStatus } from '../../src/app/bot';
import { readConfigContent } from '../../src/app/config-content';
import { localStamp } from '../../src/cli/format';
import { REPO_ROOT } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';
import { waitFor } from '../support/process';
import { csvDate, heraldYaml, LedgerReader, makeBotDirs, officeDay, startBot, waitForAnnounced, ZONE } from './bot-harness';

/** calendar.yaml: one release `edit` whose regular count is the marker, plus the CSV imports. */
function calendarYaml(regular: number, imports: string[]): string {
  return [
    'releases:',
    '  - id: edit',
    `    opensAt: "${officeDay(10)} 10:00"`,
    '    days:',
    `      - { date: ${officeDay(13)}, quota: { regular: ${regular}, express: 5 } }`,
    imports.length ? `imports:\n${imports.map((file) => `  - file: ${file}`).join('\n')}` : '',
    '',
  ].join('\n');
}

/** A quota CSV with one opening `opensIn` days away; `regular` is the marker. */
function quotaCsv(regular: number, opensIn: number): string {
  return [
    'tanggal_buka;jam_buka;tanggal_layanan;layanan;kuota;jam_tutup;catatan',
    `${csvDate(officeDay(opensIn))};10.00;${csvDate(officeDay(opensIn + 3))};regular;${regular};16.00;Layanan Simpatik`,
    '',
  ].join('\n');
}

/**
 * A Kubernetes ConfigMap volume: `cm.csv -> ..data/cm.csv`, `..data -> ..<stamp>`;
 * an update writes a new timestamped directory, points `..data_tmp` at it and
 * renames that over `..data` (atomic), then deletes the old directory.
 */
function configMapUpdate(dir: string, files: Record<string, string>, stamp: string): void {
  const previous = fs.existsSync(path.join(dir, '..data')) ? fs.readlinkSync(path.join(dir, '..data')) : null;
  const stamped = `..2026_12_02_${stamp}`;
  fs.mkdirSync(path.join(dir, stamped));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, stamped, name), text);
  fs.symlinkSync(stamped, path.join(dir, '..data_tmp'));
  fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  for (const name of Object.keys(files)) if (!fs.existsSync(path.join(dir, name))) fs.symlinkSync(path.join('..data', name), path.join(dir, name));
  if (previous) fs.rmSync(path.join(dir, previous), { recursive: true });
}

describe('config reload: every save style is noticed', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('notices 20 edits in a row, mixing every save style, each reflected in the ledger', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-reload-', dirs);
    const calendarFile = path.join(configDir, 'calendar.yaml');
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), heraldYaml());
    fs.writeFileSync(calendarFile, calendarYaml(100, ['cm.csv']));
    configMapUpdate(configDir, { 'cm.csv': quotaCsv(500, 12) }, '00');

    const bot = startBot({ configDir, dataDir, watchDebounceMs: 200 });
    const ledger = new LedgerReader(dataDir);
    try {
      await waitForAnnounced(ledger, 'edit', 100, 'start', bot.logs);
      await waitForAnnounced(ledger, 'csv:cm%', 500, 'start', bot.logs);

      let calendarCount = 100;
      let imports = ['cm.csv'];
      const calendarText = (): string => calendarYaml(calendarCount, imports);
      /** Each save style, as the tool does it; every one changes the marker count. */
      const styles: Record<string, (step: number) => void> = {
        'write in place': (step) => {
          calendarCount = 100 + step;
          fs.writeFileSync(calendarFile, calendarText()); // same inode: truncate and write
        },
        'sed -i': (step) => {
          execFileSync('sed', ['-i', `s/regular: ${calendarCount},/regular: ${100 + step},/`, calendarFile]);
          calendarCount = 100 + step;
        },
        'temp file + rename': (step) => {
          calendarCount = 100 + step;
          const temp = path.join(configDir, `.calendar.yaml.${step}.tmp`);
          fs.writeFileSync(temp, calendarText());
          fs.renameSync(temp, calendarFile);
        },
        'delete + recreate': (step) => {
          calendarCount = 100 + step;
          fs.unlinkSync(calendarFile);
          fs.writeFileSync(calendarFile, calendarText());
        },
        'ConfigMap ..data swap': (step) => configMapUpdate(configDir, { 'cm.csv': quotaCsv(500 + step, 12) }, String(step).padStart(2, '0')),
      };
      const sequence = [
        'write in place', 'sed -i', 'temp file + rename', 'delete + recreate', 'ConfigMap ..data swap',
        'sed -i', 'sed -i', 'temp file + rename', 'write in place', 'ConfigMap ..data swap',
        // 11 and 12: a bad edit, then the new file that makes it good.
        'import a CSV that is not there yet', 'new file in the directory',
        'delete + recreate', 'temp file + rename', 'ConfigMap ..data swap', 'sed -i',
        'write in place', 'ConfigMap ..data swap', 'temp file + rename', 'sed -i',
      ];
      expect(sequence).toHaveLength(20);

      let csvCount = 500;
      for (const [index, style] of sequence.entries()) {
        const step = index + 1;
        const what = `edit ${step} (${style})`;
        if (style === 'import a CSV that is not there yet') {
          // A bad edit: the last good plan keeps running, and status says why.
          const lastGood = calendarCount;
          imports = ['cm.csv', 'extra.csv'];
          calendarCount = 100 + step;
          fs.writeFileSync(calendarFile, calendarText());
          const invalid = await waitFor(() => ledger.status<ConfigStatus>(CONFIG_STATUS_KEY)?.ok === false && ledger.status<ConfigStatus & { ok: false }>(CONFIG_STATUS_KEY)!, 45_000, () => `${what}: config status INVALID`);
          expect(invalid.problems.join('\n')).toMatch(/extra\.csv/);
          const running = ledger.announcedRegular('edit');
          expect(running.length).toBeGreaterThan(0);
          expect(running.every((count) => count === lastGood)).toBe(true);
          continue;
        }
        if (style === 'new file in the directory') {
          fs.writeFileSync(path.join(configDir, 'extra.csv'), quotaCsv(700 + step, 14));
          await waitForAnnounced(ledger, 'csv:extra%', 700 + step, what, bot.logs);
          await waitForAnnounced(ledger, 'edit', calendarCount, what, bot.logs);
          expect(ledger.status<ConfigStatus>(CONFIG_STATUS_KEY)?.ok).toBe(true);
          continue;
        }
        styles[style]!(step);
        if (style === 'ConfigMap ..data swap') {
          csvCount = 500 + step;
          await waitForAnnounced(ledger, 'csv:cm%', csvCount, what, bot.logs);
        } else {
          await waitForAnnounced(ledger, 'edit', calendarCount, what, bot.logs);
        }
      }
      expect(calendarCount).toBe(120);

      // status names the content the running plan was built from: the hash of what is on disk now.
      const onDisk = readConfigContent([configDir, path.join(REPO_ROOT, 'templates')]);
      const status = ledger.status<ConfigStatus>(CONFIG_STATUS_KEY)!;
      expect(status.ok).toBe(true);
      expect(status.content.hash).toBe(onDisk.hash);
      expect(status.content.files.map((f) => f.file)).toEqual(expect.arrayContaining([calendarFile, path.join(configDir, 'cm.csv'), path.join(configDir, 'extra.csv'), path.join(configDir, 'herald.yaml')]));
      // The hash covers what the ConfigMap symlinks point at, not the links.
      const cmBytes = fs.readFileSync(path.join(configDir, 'cm.csv'));
      expect(cmBytes.toString()).toContain(`;${csvCount};`);
      const calendarEntry = status.content.files.find((f) => f.file === calendarFile)!;
      expect(calendarEntry.modifiedAt).toBe(fs.statSync(calendarFile).mtime.toISOString());
    } finally {
      ledger.close();
      await bot.stop();
    }
    expect(bot.logs()).not.toMatch(/background job failed/);

    const status = await runCliInProcess(['status', '--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')]);
    expect(status.code).toBe(0);
    const hash = readConfigContent([configDir, path.join(REPO_ROOT, 'templates')]).hash;
    expect(status.stdout).toContain(`plan built from config content ${hash.slice(0, 12)}:`);
    // Staff read the file time in the office zone, as everywhere else (`Rab 2 Des 19.26 WIB`).
    expect(status.stdout).toContain(`${calendarFile}  modified ${localStamp(new Date(fs.statSync(calendarFile).mtimeMs), ZONE)}\n`);
    const json = await runCliInProcess(['status', '--json', '--config', configDir, '--data', dataDir]);
    const parsed = JSON.parse(json.stdout) as { config: ConfigStatus };
    expect(parsed.config.content.hash).toBe(hash);
    expect(parsed.config.content.files.every((f) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(f.modifiedAt))).toBe(true);
  }, 240_000);

  it('keeps the last good plan when an edit names a channel that cannot be built, and recovers when it is undone', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-badchannel-', dirs);
    const heraldFile = path.join(configDir, 'herald.yaml');
    const calendarFile = path.join(configDir, 'calendar.yaml');
    fs.writeFileSync(heraldFile, heraldYaml());
    fs.writeFileSync(calendarFile, calendarYaml(100, []));
    const bot = startBot({ configDir, dataDir, watchDebounceMs: 200, env: {} });
    const ledger = new LedgerReader(dataDir);
    try {
      await waitForAnnounced(ledger, 'edit', 100, 'start', bot.logs);
      // Valid YAML, but the X credentials name variables that are not set: only building the channel finds out.
      const good = fs.readFileSync(heraldFile, 'utf8');
      const bad = good.replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: x, credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }');
      expect(bad).not.toBe(good);
      fs.writeFileSync(heraldFile, bad);
      fs.writeFileSync(calendarFile, calendarYaml(101, []));
      const invalid = await waitFor(() => ledger.status<ConfigStatus>(CONFIG_STATUS_KEY)?.ok === false && ledger.status<ConfigStatus & { ok: false }>(CONFIG_STATUS_KEY)!, 45_000, () => 'config status INVALID');
      expect(invalid.problems.join('\n')).toMatch(/X_APP_KEY.*not set/);
      expect(ledger.announcedRegular('edit').every((count) => count === 100)).toBe(true);

      fs.writeFileSync(heraldFile, good);
      await waitForAnnounced(ledger, 'edit', 101, 'the edit undone', bot.logs);
      expect(ledger.status<ConfigStatus>(CONFIG_STATUS_KEY)?.ok).toBe(true);
    } finally {
      ledger.close();
      await bot.stop();
    }
    expect(bot.logs()).not.toMatch(/background job failed/);
  }, 120_000);

  it('catches a change no file event reported at the next periodic re-plan, and reloads only then', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-replan-', dirs);
    const calendarFile = path.join(configDir, 'calendar.yaml');
    // Every second, so one period is short; the watcher is off, as if every event were lost.
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), heraldYaml((text) => text.replace('replanCron: "*/10 * * * *"', 'replanCron: "* * * * * *"')));
    fs.writeFileSync(calendarFile, calendarYaml(100, []));

    const bot = startBot({ configDir, dataDir, watch: false });
    const ledger = new LedgerReader(dataDir);
    try {
      await waitForAnnounced(ledger, 'edit', 100, 'start', bot.logs);
      const loadedAt = ledger.status<ConfigStatus & { ok: true }>(CONFIG_STATUS_KEY)!.loadedAt;
      // Unchanged files: the periodic re-plans run (the heartbeat moves) but nothing is reloaded.
      const firstBeat = ledger.status<{ heartbeatAt: string }>(INSTANCE_STATUS_KEY)!.heartbeatAt;
      // `status` shows office time from it when the config on disk cannot be read.
      expect(ledger.status<InstanceStatus>(INSTANCE_STATUS_KEY)).toMatchObject({ pid: process.pid, zone: 'Asia/Pontianak' });
      await waitFor(() => {
        const beat = ledger.status<{ heartbeatAt: string }>(INSTANCE_STATUS_KEY)?.heartbeatAt;
        return beat !== undefined && beat > firstBeat && bot.logs().split('"reason":"periodic"').length > 2;
      }, 45_000, () => 'two periodic re-plans', 50);
      expect(ledger.status<ConfigStatus & { ok: true }>(CONFIG_STATUS_KEY)!.loadedAt).toBe(loadedAt);

      execFileSync('sed', ['-i', 's/regular: 100,/regular: 101,/', calendarFile]);
      await waitForAnnounced(ledger, 'edit', 101, 'the periodic re-read', bot.logs);
      const status = ledger.status<ConfigStatus>(CONFIG_STATUS_KEY)!;
      expect(status.content.hash).toBe(readConfigContent([configDir, path.join(REPO_ROOT, 'templates')]).hash);
      expect(bot.logs()).toContain('found by the periodic re-read');
    } finally {
      ledger.close();
      await bot.stop();
    }
  }, 120_000);
});

