/**
 * The CLI as shipped: `npm run build` output (tsc, src/ → dist/) run by
 * bin/quota-herald.js, next to production dependencies only. The rest of the
 * suite runs the CLI from source (bin/quota-herald-dev.js), so this file is
 * the one that proves the compiled bot works. It builds right here, into a
 * temporary directory, so it can never test a stale dist/ either.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli';

let install: string;

/** A copy of what an install holds: bin/, dist/ and a node_modules of production dependencies only. */
function prepareInstall(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-shipped-'));
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(REPO_ROOT, 'bin', 'quota-herald.js'), path.join(root, 'bin', 'quota-herald.js'));
  // `npm ls --omit=dev` is the tree `npm ci --omit=dev` installs: linking only
  // those packages makes any require of typescript, @swc/core or another dev
  // dependency from dist/ fail here as it would in production.
  // (npm ls exits 1 on an extraneous package in a dev checkout; its listing is still right.)
  const listing = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout;
  if (!listing.includes(path.join('node_modules', 'better-sqlite3'))) throw new Error(`npm ls listed no production packages:\n${listing}`);
  const topLevel = path.join(REPO_ROOT, 'node_modules') + path.sep;
  for (const packageDir of listing.split('\n').filter((line) => line.startsWith(topLevel))) {
    const relative = packageDir.slice(topLevel.length);
    if (relative.includes(`${path.sep}node_modules${path.sep}`)) continue; // nested: comes with its parent
    const link = path.join(root, 'node_modules', relative);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(packageDir, link, 'dir');
  }
  return root;
}

function shipped(args: string[], cwd = install): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(cwd, 'bin', 'quota-herald.js'), ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  install = prepareInstall();
  // Exactly the build `prepare` runs, only into the temporary install.
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', path.join(install, 'dist')], { cwd: REPO_ROOT, stdio: 'pipe' });
}, 300_000);

afterAll(() => {
  if (install) fs.rmSync(install, { recursive: true, force: true });
});

test('the compiled CLI runs without any development dependency', () => {
  expect(fs.existsSync(path.join(install, 'node_modules', 'typescript'))).toBe(false);
  expect(fs.existsSync(path.join(install, 'node_modules', '@swc', 'core'))).toBe(false);

  const help = shipped(['--help']);
  expect(help).toMatchObject({ code: 0, stderr: '' });
  expect(help.stdout).toMatch(/^Usage: quota-herald /);

  // check loads everything a post needs: config, calendar, templates, fonts, sharp.
  const check = shipped(['check', '--config', path.join(REPO_ROOT, 'config'), '--days', '3']);
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  expect(check.stdout).toMatch(/^checked \d+ post\(s\) on 2 channel\(s\) over the next 3 day\(s\): 0 error\(s\), 0 warning\(s\)$/m);
});

test('a stack trace of the compiled CLI names the TypeScript file and line that threw', () => {
  const result = shipped(['check', '--config', path.join(install, 'no-such-config'), '--debug']);
  expect(result.code).toBe(1);
  const source = path.join(REPO_ROOT, 'src', 'cli', 'offices.ts');
  const frame = new RegExp(`^\\s+at loadSelectedOffices \\(${escape(source)}:(\\d+):(\\d+)\\)$`, 'm').exec(result.stderr);
  expect(frame).not.toBeNull();
  // The line named is the one that throws, in the .ts file, not dist/.
  const line = fs.readFileSync(source, 'utf8').split('\n')[Number(frame![1]) - 1];
  expect(line).toMatch(/\bthrow\b/);
  expect(result.stderr).not.toContain(`${path.sep}dist${path.sep}`);
});

test('an install that was never built says what to run instead of a stack trace', () => {
  const unbuilt = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-unbuilt-'));
  try {
    fs.mkdirSync(path.join(unbuilt, 'bin'));
    fs.copyFileSync(path.join(REPO_ROOT, 'bin', 'quota-herald.js'), path.join(unbuilt, 'bin', 'quota-herald.js'));
    const result = shipped(['--help'], unbuilt);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `quota-herald is not built (${path.join(unbuilt, 'dist', 'cli', 'main.js')} is missing): run \`npm ci\` or \`npm run build\` in ${unbuilt}\n`,
    );
  } finally {
    fs.rmSync(unbuilt, { recursive: true, force: true });
  }
});

test('a build older than its source (a pull without a rebuild) refuses to run and says what to run', () => {
  const source = path.join(install, 'src', 'cli');
  fs.mkdirSync(source, { recursive: true });
  const changed = path.join(source, 'main.ts');
  fs.writeFileSync(changed, '// changed after the build\n');
  try {
    const built = fs.statSync(path.join(install, 'dist', 'cli', 'main.js')).mtime;
    fs.utimesSync(changed, built, new Date(built.getTime() - 60_000));
    expect(shipped(['--help']).code).toBe(0); // older source: the build is current
    fs.utimesSync(changed, built, new Date(built.getTime() + 60_000));
    const result = shipped(['--help']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `quota-herald's build is older than its source (${path.join('src', 'cli', 'main.ts')} changed after dist/ was built): run \`npm run build\` in ${install}\n`,
    );
  } finally {
    fs.rmSync(path.join(install, 'src'), { recursive: true, force: true });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
