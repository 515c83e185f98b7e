import path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { resolveWebSettings } from '../../src/web/web-settings';
import { errorsOf, MINIMAL_HERALD, MINIMAL_TEMPLATES, problemAt, writeTempDir } from './helpers';

describe('config: settings.web', () => {
  it('defaults to 127.0.0.1:8080, plain cookies and no trusted proxy', () => {
    const dir = writeTempDir({ 'herald.yaml': MINIMAL_HERALD, ...MINIMAL_TEMPLATES });
    const { config, problems } = loadConfig(dir);
    expect(errorsOf(problems)).toEqual([]);
    expect(config?.settings.web).toBeUndefined();
    expect(resolveWebSettings(config!.settings)).toEqual({ host: '127.0.0.1', port: 8080, secureCookies: false, trustProxy: false, auditRetentionDays: 366 });
  });

  it('reads host, port, secureCookies and the trusted proxies; fills in what is left out', () => {
    const dir = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  web: { port: 9090, secureCookies: true, trustProxy: [127.0.0.1, 10.0.0.0/8] }\n`, ...MINIMAL_TEMPLATES });
    const { config, problems } = loadConfig(dir);
    expect(errorsOf(problems)).toEqual([]);
    expect(resolveWebSettings(config!.settings)).toEqual({ host: '127.0.0.1', port: 9090, secureCookies: true, trustProxy: ['127.0.0.1', '10.0.0.0/8'], auditRetentionDays: 366 });
  });

  it('keeps the audit log auditRetentionDays (a year by default), at least 30 days', () => {
    const kept = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  web: { auditRetentionDays: 1825 }\n`, ...MINIMAL_TEMPLATES });
    const { config, problems } = loadConfig(kept);
    expect(errorsOf(problems)).toEqual([]);
    expect(resolveWebSettings(config!.settings).auditRetentionDays).toBe(1825);
    const short = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  web:\n    auditRetentionDays: 7\n`, ...MINIMAL_TEMPLATES });
    const lines = MINIMAL_HERALD.split('\n').length;
    expect(problemAt(loadConfig(short).problems, path.join(short, 'herald.yaml'), lines + 2, 25).message).toMatch(/at least 30 days/);
  });

  it('names the environment variable of the /metrics token (never the token), in capitals', () => {
    const named = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  web: { metricsToken: METRICS_TOKEN }\n`, ...MINIMAL_TEMPLATES });
    const { config, problems } = loadConfig(named);
    expect(errorsOf(problems)).toEqual([]);
    expect(resolveWebSettings(config!.settings).metricsToken).toBe('METRICS_TOKEN');
    const pasted = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  web:\n    metricsToken: 3f9a1c2e-secret\n`, ...MINIMAL_TEMPLATES });
    const lines = MINIMAL_HERALD.split('\n').length;
    expect(problemAt(loadConfig(pasted).problems, path.join(pasted, 'herald.yaml'), lines + 2, 19).message).toMatch(/name an environment variable/);
  });

  it('reports a bad port and an unknown key at their line and column', () => {
    const dir = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n  web:\n    port: 70000\n    secure: true\n`, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    const lines = MINIMAL_HERALD.split('\n').length;
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), lines + 2, 11).message).toMatch(/65535|too big|<=/i);
    expect(errorsOf(problems).some((p) => /secure/.test(p.message))).toBe(true);
  });
});
