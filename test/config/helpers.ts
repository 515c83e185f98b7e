import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Problem } from '../../src/errors';

export const FIXTURES = path.join('test', 'fixtures', 'config');
export const FIXTURE_TEMPLATES = path.join(FIXTURES, 'templates');

/** The one problem at `file:line:col`; fails listing every problem when there is none. */
export function problemAt(problems: Problem[], file: string, line: number, col: number): Problem {
  const found = problems.filter((p) => p.location?.file === file && p.location.line === line && p.location.col === col);
  if (found.length !== 1) {
    const listed = problems.map((p) => `${p.location?.file}:${p.location?.line}:${p.location?.col}: ${p.message}`).join('\n');
    throw new Error(`expected one problem at ${file}:${line}:${col}, found ${found.length} among:\n${listed}`);
  }
  return found[0]!;
}

export function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Directories writeTempDir made for the running test file. */
const tempDirs: string[] = [];

// Registered when a test file imports this module: its directories go when the file is done.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with the given files (relative path → content), removed after the test file. */
export function writeTempDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-config-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** A valid herald.yaml for tests that only vary the calendar. */
export const MINIMAL_HERALD = `office:
  id: kanim-test
  name: Kantor Imigrasi Test
  timezone: Asia/Pontianak
services:
  - { id: regular, name: Paspor Reguler }
  - { id: express, name: Paspor Percepatan }
channels:
  - { id: x, driver: outbox, platform: x }
announcements:
  - { id: h-1, when: { daysBefore: 1, at: "19:00" }, channels: [x] }
`;

/** Caption templates the minimal herald.yaml needs. */
export const MINIMAL_TEMPLATES = { 'templates/captions/h-1.hbs': 'Kuota dibuka {{release.opensTime}}\n' };
