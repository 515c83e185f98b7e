/**
 * settings.web.publicBaseUrl (the public pages; every card's QR code leads
 * there), checked like settings.mediaServer.publicBaseUrl, and `check`'s
 * warning when it is not set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createVirtualClock } from '../../src/clock';
import { loadConfig } from '../../src/config/load';
import { missingPublicBaseUrl } from '../../src/config/public-address';
import { REPO_ROOT } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';
import { errorsOf, MINIMAL_HERALD, MINIMAL_TEMPLATES, problemAt, writeTempDir } from './helpers';

const LINES = MINIMAL_HERALD.split('\n').length;

function withWeb(web: string): ReturnType<typeof loadConfig> & { file: string } {
  const dir = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  web:\n    publicBaseUrl: ${web}\n`, ...MINIMAL_TEMPLATES });
  return { ...loadConfig(dir), file: path.join(dir, 'herald.yaml') };
}

describe('config: settings.web.publicBaseUrl', () => {
  it('takes an https address (or http on the loopback) and drops the trailing slash', () => {
    for (const [written, kept] of [
      ['https://kuota.example.go.id/', 'https://kuota.example.go.id'],
      ['"https://example.go.id/kuota"', 'https://example.go.id/kuota'],
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['http://localhost:8080/', 'http://localhost:8080'],
    ]) {
      const { config, problems } = withWeb(written!);
      expect(errorsOf(problems)).toEqual([]);
      expect(config!.settings.web).toEqual({ publicBaseUrl: kept, host: '127.0.0.1', port: 8080, secureCookies: false, trustProxy: false, auditRetentionDays: 366 });
    }
  });

  it('refuses plain http, a query and an address too long for the QR code, at its line and column, saying what to write', () => {
    const http = withWeb('http://kuota.example.go.id');
    expect(problemAt(http.problems, http.file, LINES + 2, 20).message).toMatch(/^`http:\/\/kuota\.example\.go\.id` is not a public https:\/\/ address: the QR code on every card leads there/);
    expect(http.config).toBeNull();
    const query = withWeb('"https://kuota.example.go.id/?kantor=pontianak"');
    expect(problemAt(query.problems, query.file, LINES + 2, 20).message).toMatch(/has a query, a fragment or a space: write only the address/);
    const long = withWeb(`https://${'k'.repeat(44)}.id`);
    expect(problemAt(long.problems, long.file, LINES + 2, 20).message).toMatch(/too long for the QR code on the cards \(55 characters, at most 51\)/);
  });

  it('checks settings.mediaServer.publicBaseUrl the same way, as before', () => {
    const dir = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  mediaServer:\n    publicBaseUrl: http://media.example.go.id\n`, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), LINES + 2, 20).message).toMatch(/is not a public https:\/\/ address: Instagram only fetches images over HTTPS; put the address of your reverse proxy/);
  });
});

describe('config: check without settings.web.publicBaseUrl', () => {
  it('points at settings.web when it is written, else at settings, else at the top of the file', () => {
    const settings = { renderAheadMinutes: 10, horizonDays: 35, replanCron: '* * * * *' };
    const at = (herald: string) => {
      const dir = writeTempDir({ 'herald.yaml': herald });
      return missingPublicBaseUrl(dir, settings)?.location;
    };
    expect(at(`${MINIMAL_HERALD}settings:\n  horizonDays: 35\n  web:\n    port: 9090\n`)).toMatchObject({ line: LINES + 3, col: 5 });
    expect(at(`${MINIMAL_HERALD}settings:\n  horizonDays: 35\n`)).toMatchObject({ line: LINES + 1, col: 3 });
    expect(at(MINIMAL_HERALD)).toMatchObject({ line: 1, col: 1 });
    expect(missingPublicBaseUrl(writeTempDir({ 'herald.yaml': MINIMAL_HERALD }), { ...settings, web: { publicBaseUrl: 'https://kuota.example.go.id', host: '127.0.0.1', port: 8080, secureCookies: false, trustProxy: false, auditRetentionDays: 366 } })).toBeNull();
  });

  it('`check` of the sample without it warns with file:line:col and what to set, and does not fail; with it, no warning', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-public-address-'));
    try {
      const config = path.join(dir, 'config');
      fs.cpSync(path.join(REPO_ROOT, 'config'), config, { recursive: true });
      const herald = path.join(config, 'herald.yaml');
      const sample = fs.readFileSync(herald, 'utf8');
      const args = ['--config', config, '--data', path.join(dir, 'data'), 'check', '--days', '3'];

      // A fixed day with posts to render: the sample's weekly opening of Friday 18 December.
      const clock = createVirtualClock(new Date('2026-12-17T00:00:00Z'));
      const clean = await runCliInProcess(args, { cwd: dir, clock });
      expect(clean.stderr).not.toContain('publicBaseUrl');
      expect(clean.stdout).toMatch(/checked [1-9]\d* post\(s\) .*: 0 error\(s\), 0 warning\(s\)/);

      const without = sample.replace(/^ {4}publicBaseUrl: .*\n/m, '    port: 8080\n');
      expect(without).not.toBe(sample);
      fs.writeFileSync(herald, without);
      const line = without.split('\n').findIndex((l) => l === '    port: 8080') + 1;
      const warned = await runCliInProcess(args, { cwd: dir, clock });
      expect(warned.code).toBe(0);
      expect(warned.stderr).toContain(
        `config/herald.yaml:${line}:5: warning: settings.web.publicBaseUrl is not set: cards print their verification code ("Kode cek") but no QR code`,
      );
      expect(warned.stderr).toContain('Set it to the public https address of the web server under settings, e.g. `web: { publicBaseUrl: "https://kuota.example.go.id" }`');
      expect(warned.stdout).toMatch(/0 error\(s\), 1 warning\(s\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
