/**
 * The CLI in-process, with a fixed clock and captured output: exit codes,
 * problem lines, and the commands' output on the sample office.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { BIN, REPO_ROOT } from '../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(args: string[], options: { now?: string; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'quota-herald', ...args], {
    clock: createVirtualClock(new Date(options.now ?? '2026-11-28T01:00:00Z')),
    env: {},
    stdout,
    stderr,
    cwd: options.cwd ?? REPO_ROOT,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function copySampleConfig(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-cli-'));
  fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  return dir;
}

/** `check` of the sample office at the fixed clock: two tests read it, one run renders it (the slowest command here). */
let sampleCheck: ReturnType<typeof cli> | undefined;
const checkSample = (): ReturnType<typeof cli> => (sampleCheck ??= cli(['check']));

describe('cli', () => {
  it('check: the sample office is clean over the next 35 days', async () => {
    const result = await checkSample();
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.stdout).toMatch(/checked \d+ post\(s\) on 2 channel\(s\) over the next 35 day\(s\): 0 error\(s\)/);
    expect(result.code).toBe(0);
  });

  it('check: every config problem at once, as FILE:LINE:COL, exit 1, no stack trace', async () => {
    const dir = copySampleConfig();
    const calendar = path.join(dir, 'config', 'calendar.yaml');
    fs.writeFileSync(calendar, fs.readFileSync(calendar, 'utf8').replace('quota: { regular: 120, express: 20 }', 'quotaa: { regular: 120, express: 20 }'));
    const herald = path.join(dir, 'config', 'herald.yaml');
    fs.writeFileSync(herald, fs.readFileSync(herald, 'utf8').replace('timezone: Asia/Pontianak', 'timezone: Asia/Pontianack'));
    const result = await cli(['check', '--config', path.join(dir, 'config')], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.some((line) => /calendar\.yaml:\d+:\d+: .*quotaa.*quota/.test(line))).toBe(true);
    expect(lines.some((line) => /herald\.yaml:\d+:\d+: .*Asia\/Pontianack/.test(line))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('check: a caption over the X limit names the post, the limit and the template', async () => {
    const dir = copySampleConfig();
    const xCaption = path.join(dir, 'templates', 'captions', 'opening.x.hbs');
    const base = fs.existsSync(xCaption) ? xCaption : path.join(dir, 'templates', 'captions', 'opening.hbs');
    fs.writeFileSync(xCaption, `${fs.readFileSync(base, 'utf8')}\n${'Jangan lewatkan! '.repeat(20)}`);
    // A week holds the next opening: enough for its caption, and a fifth of the cards to render.
    const result = await cli(['check', '--config', path.join(dir, 'config'), '--days', '7'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^[0-9a-f]{20} \(x, opening, \w{3} \d{1,2} \w{3} \d\d\.\d\d WIB\): caption is \d+ characters .*over the limit of 280.*template "opening"/m);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('check: estimates the X cost of the next 30 days and warns about links in X text, with the price', async () => {
    const clean = await checkSample();
    const [, posts] = /estimated API cost on x, next 30 day\(s\): US\$[\d.]+ for (\d+) post\(s\), 0 with a URL/.exec(clean.stdout) ?? [];
    expect(Number(posts)).toBeGreaterThan(0);

    const dir = copySampleConfig();
    const xCaption = path.join(dir, 'templates', 'captions', 'opening.x.hbs');
    fs.writeFileSync(xCaption, `${fs.readFileSync(xCaption, 'utf8').trimEnd()} Info: imigrasi.go.id`);
    // The estimate covers the next 30 days whatever --days says; a week of cards to render is enough for the warning.
    const result = await cli(['check', '--config', path.join(dir, 'config'), '--days', '7'], { cwd: dir });
    expect(result.code).toBe(0); // a warning, not an error
    expect(result.stderr).toMatch(/\(x, opening, .*\): warning: X text contains a link \(imigrasi\.go\.id\): X charges \$0\.20/);
    const [, withUrl] = /for \d+ post\(s\), (\d+) with a URL/.exec(result.stdout) ?? [];
    expect(Number(withUrl)).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['check', '--days', 'many'])).code).toBe(2);
    expect((await cli(['no-such-command'])).code).toBe(2);
    expect((await cli(['simulate', '--from', '2026-12-01'])).code).toBe(2);
  });

  it('a bad time option says how to write it, exit 2', async () => {
    const result = await cli(['plan', '--from', 'next friday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: option '--from <T>' argument 'next friday' is invalid. \"next friday\" is not ISO 8601; write e.g. 2027-02-01, 2027-02-01T14:00 (office time) or 2027-02-01T14:00+07:00.\n(run with --help for usage)\n",
    );
  });

  describe('arguments that made no sense were taken', () => {
    it.each(['abc', '0', '-5', '1.5', '7days'])('check --days %s: says what to write, exit 2', async (days) => {
      const result = await cli(['check', '--days', days]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`error: option '--days <n>' argument '${days}' is invalid. write a whole number of 1 or more, e.g. 7.\n(run with --help for usage)\n`);
    });

    it.each([
      ['2027-02-30', '2027-02-30 does not exist: February 2027 has 28 days'],
      ['2027-13-45', 'month 13 does not exist in "2027-13-45" (01–12)'],
      ['2028-02-30T10:00+07:00', '2028-02-30 does not exist: February 2028 has 29 days'],
      ['2027-02-01T24:30', '24:30 is not a time of day (00:00–23:59)'],
      ['2027-02-01T10:00+15:00', '+15:00 is not a UTC offset (-12:00 to +14:00)'],
    ])('plan --from %s: a date that does not exist is refused, not rolled over, exit 2', async (value, reason) => {
      const result = await cli(['plan', '--from', value, '--to', '2027-12-31']);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`error: option '--from <T>' argument '${value}' is invalid. ${reason}; write e.g. 2027-02-01`);
    });

    it('plan --to is checked the same way', async () => {
      const result = await cli(['plan', '--from', '2027-02-01', '--to', '2027-04-31']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("argument '2027-04-31' is invalid. 2027-04-31 does not exist: April 2027 has 30 days");
    });

    it.each([['simulate'], ['plan'], ['preview']])('%s with --from after --to: says so, writes nothing, exit 2', async (command) => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-range-'));
      try {
        const outArgs = command === 'plan' ? [] : ['--out', path.join(out, 'result')];
        const result = await cli([command, '--from', '2026-12-10', '--to', '2026-12-01', ...outArgs]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe('error: --from (2026-12-10) must be before --to (2026-12-01): swap them or pick a later --to\n');
        expect(fs.readdirSync(out)).toEqual([]);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });

    it('plan --to before now (no --from) names the start it used', async () => {
      const result = await cli(['plan', '--to', '2026-11-01']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: --from \(now, .+\) must be before --to \(2026-11-01\)/);
    });

    it('simulate prints each load warning once', async () => {
      const dir = copySampleConfig();
      try {
        fs.rmSync(path.join(dir, 'config', 'calendar.yaml'));
        const result = await cli(['simulate', '--config', path.join(dir, 'config'), '--from', '2026-12-01', '--to', '2026-12-02', '--out', path.join(dir, 'sim')], { cwd: dir });
        expect(result.code).toBe(0);
        expect(result.stderr.match(/missing calendar\.yaml/g)).toHaveLength(1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('plan --json lists the coming posts with ids, due times and deadlines', async () => {
    const result = await cli(['plan', '--json', '--from', '2026-12-01', '--to', '2026-12-05']);
    expect(result.code).toBe(0);
    const posts = JSON.parse(result.stdout) as { id: string; dueAt: string; deadline: string; channel: string; rule: string; releaseId: string }[];
    // Sorted by due time, then id: within one due time the order is the ids'.
    expect(posts.map((p) => p.dueAt)).toEqual([...posts.map((p) => p.dueAt)].sort());
    expect(posts.map((p) => `${p.dueAt} ${p.rule} ${p.channel}`).sort()).toEqual([
      '2026-12-03T12:00:00.000Z h-1 instagram',
      '2026-12-03T12:00:00.000Z h-1 x',
      '2026-12-04T06:00:00.000Z h-60m instagram',
      '2026-12-04T06:00:00.000Z h-60m x',
      '2026-12-04T07:00:00.000Z opening instagram',
      '2026-12-04T07:00:00.000Z opening x',
    ]);
    expect(posts.every((p) => p.releaseId === 'mingguan@2026-12-04' && /^[0-9a-f]{20}$/.test(p.id))).toBe(true);
    const opening = posts.find((p) => p.rule === 'opening')!;
    expect(opening.deadline).toBe('2026-12-04T08:00:00.000Z');
    // Same inputs, same ids.
    const again = JSON.parse((await cli(['plan', '--json', '--from', '2026-12-01', '--to', '2026-12-05'])).stdout) as { id: string }[];
    expect(again.map((p) => p.id)).toEqual(posts.map((p) => p.id));
  });

  it('preview writes captions, cards, alt text and an index page', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-preview-'));
    const result = await cli(['preview', '--from', '2026-12-03', '--to', '2026-12-05', '--out', out]);
    expect(result.code).toBe(0);
    const dirs = fs.readdirSync(out).filter((name) => fs.statSync(path.join(out, name)).isDirectory()).sort();
    expect(dirs).toHaveLength(6);
    expect(dirs[0]).toMatch(/^001-2026-12-03-1900-h-1-(instagram|x)$/);
    for (const dir of dirs) {
      const files = fs.readdirSync(path.join(out, dir)).sort();
      expect(files).toEqual(expect.arrayContaining(['alt.txt', 'caption.txt']));
      expect(files.some((f) => /^card\.(png|jpg)$/.test(f))).toBe(true);
    }
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('<img src="001-2026-12-03-1900-h-1-');
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe('cli: output into a pipe that closes early', () => {
  it('simulate | head -n 0 stops quietly: no EPIPE, no stack trace, exit status 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-pipe-'));
    try {
      // The shell reports the CLI's own exit status (PIPESTATUS) and its stderr. The reader is
      // gone before the CLI prints anything (`head -2` raced the CLI's second write, and lost it
      // now and then), so every run proves it; a short range, as the length of the output no longer matters.
      const script = `node "${BIN}" simulate --config "${path.join(REPO_ROOT, 'config')}" --data "${dir}/data" --from 2027-01-08 --to 2027-01-09 --out "${dir}/out" 2>"${dir}/err" | head -n 0 >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
      const out = execFileSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' } });
      expect(fs.readFileSync(path.join(dir, 'err'), 'utf8')).not.toMatch(/EPIPE|Unhandled|at .*\.ts:\d+/);
      expect(out.trim()).toBe('status=0');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
