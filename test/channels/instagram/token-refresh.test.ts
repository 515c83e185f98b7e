import fs from 'node:fs';
import path from 'node:path';
import { fingerprintToken, readTokenState, shouldRefresh, tokenFilePath, writeTokenState } from '../../../src/channels/instagram/token-store';
import { SECRET_TOKEN, startInstagramWorld, visibleText, type InstagramWorld } from '../../fakes/instagram/instagram-setup';

const DAY = 86_400_000;

describe('channels/instagram/token-refresh', () => {
  let world: InstagramWorld;
  let tokenFile: string;

  beforeEach(async () => {
    world = await startInstagramWorld({ start: '2026-11-01T00:00:00Z' });
    tokenFile = tokenFilePath(world.dir, 'instagram');
  });
  afterEach(async () => {
    const everythingButTheTokenFile = visibleText(world, []);
    expect(everythingButTheTokenFile).not.toContain(SECRET_TOKEN);
    for (const token of world.fake.requests.map((r) => r.token).filter((t): t is string => t !== null)) {
      expect(everythingButTheTokenFile).not.toContain(token);
    }
    await world.close();
  });

  it('records a new env token when first seen (0600), and does not refresh it before it is 24 h old', async () => {
    const channel = world.channel();
    const report = await channel.verify!(world.clock.now());
    expect(world.fake.refreshes).toEqual([]);
    expect((fs.statSync(tokenFile).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(path.dirname(tokenFile)).mode & 0o777).toString(8)).toBe('700');
    expect(readTokenState(tokenFile)).toEqual({ token: SECRET_TOKEN, obtainedAt: new Date('2026-11-01T00:00:00Z'), expiresAt: null, source: 'env', envFingerprint: fingerprintToken(SECRET_TOKEN) });
    expect(report).toMatchObject({ channelId: 'instagram', account: '@kanimpontianak', tokenExpiresAt: null, problems: [] });
    expect(report.details).toEqual(expect.arrayContaining(['publishing limit: 0 of 50 posts used in the last 24 h', expect.stringContaining('token expiry not known yet')]));
  });

  it('refreshes a day-old token before publishing, stores it 0600, and uses it — also after a restart', async () => {
    await world.channel().verify!(world.clock.now());
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    const card = await world.card('t/card.jpg');
    await world.channel().publish(world.request('t', 'Halo', [card]));

    expect(world.fake.refreshes).toHaveLength(1);
    const stored = readTokenState(tokenFile)!;
    expect(stored).toMatchObject({ source: 'refreshed', envFingerprint: fingerprintToken(SECRET_TOKEN), obtainedAt: new Date('2026-11-02T00:00:01Z'), expiresAt: new Date(new Date('2026-11-02T00:00:01Z').getTime() + 5_184_000_000) });
    expect(stored.token).not.toBe(SECRET_TOKEN);
    expect((fs.statSync(tokenFile).mode & 0o777).toString(8)).toBe('600');
    const publishCalls = world.fake.requests.filter((r) => r.route === 'POST /{ig-user-id}/media_publish');
    expect(publishCalls.map((r) => r.token)).toEqual([stored.token]);
    // The refresh request carries the token where the platform wants it: the query.
    expect(world.fake.requests.find((r) => r.route === 'GET /refresh_access_token')!.token).toBe(SECRET_TOKEN);

    // Restart: a new channel reads the stored token; the env token is revoked and nothing breaks.
    world.fake.revokeToken(SECRET_TOKEN);
    const report = await world.channel().verify!(world.clock.now());
    expect(report.problems).toEqual([]);
    expect(report.tokenExpiresAt).toEqual(stored.expiresAt);
    expect(world.fake.requests.at(-1)!.token).toBe(stored.token);
    expect(world.fake.refreshes).toHaveLength(1);
  });

  it('a NEW token put in .env wins over the stored refreshed one', async () => {
    writeTokenState(tokenFile, { token: 'IGAAoldRefreshed', obtainedAt: new Date('2026-10-31T00:00:00Z'), expiresAt: new Date('2026-12-30T00:00:00Z'), source: 'refreshed', envFingerprint: fingerprintToken('IGAAolderEnvToken') });
    world.fake.addToken('IGAAoldRefreshed');
    const report = await world.channel().verify!(world.clock.now());
    expect(world.fake.requests.every((r) => r.token === SECRET_TOKEN)).toBe(true);
    expect(report.tokenExpiresAt).toBeNull();
    expect(readTokenState(tokenFile)).toMatchObject({ token: SECRET_TOKEN, source: 'env', envFingerprint: fingerprintToken(SECRET_TOKEN) });
  });

  it('warns from 10 days before expiry saying exactly what to do, errors once expired', async () => {
    // A stored refreshed token that cannot be refreshed any more is the staff's job.
    writeTokenState(tokenFile, { token: 'IGAAstored', obtainedAt: new Date('2026-09-10T00:00:00Z'), expiresAt: new Date('2026-11-09T00:00:00Z'), source: 'refreshed', envFingerprint: fingerprintToken(SECRET_TOKEN) });
    world.fake.addToken('IGAAstored', new Date('2026-11-09T00:00:00Z'));
    const channel = world.channel({ config: { login: 'facebook' } });

    const early = await channel.verify!(new Date('2026-10-29T00:00:00Z'));
    expect(early.problems).toEqual([]);
    const soon = await channel.verify!(new Date('2026-11-01T00:00:00Z'));
    expect(soon.tokenExpiresAt).toEqual(new Date('2026-11-09T00:00:00Z'));
    expect(soon.problems).toEqual([
      {
        severity: 'warning',
        message: 'the Instagram token expires in 8 day(s), on 2026-11-09T00:00:00.000Z: generate a new long-lived token in the Meta developer dashboard, put it in .env as IG_ACCESS_TOKEN, restart',
      },
    ]);
    expect(soon.details).toContain('Facebook-Login tokens are not refreshed automatically: replace the token in .env before it expires');
    expect(world.fake.refreshes).toEqual([]);
    world.clock.set(new Date('2026-11-10T00:00:00Z'));
    const expired = await channel.verify!(world.clock.now());
    expect(expired.problems.map((p) => p.severity)).toEqual(['error', 'error']);
    expect(expired.problems[0]!.message).toContain('put it in .env as IG_ACCESS_TOKEN');
    expect(expired.problems[1]!.message).toContain('expired on 2026-11-09');
  });

  it('a failed refresh keeps the current token, warns without the token, and publishing goes on', async () => {
    writeTokenState(tokenFile, { token: SECRET_TOKEN, obtainedAt: new Date('2026-10-01T00:00:00Z'), expiresAt: new Date('2026-11-20T00:00:00Z'), source: 'env', envFingerprint: fingerprintToken(SECRET_TOKEN) });
    world.fake.faults.push({ route: 'GET /refresh_access_token', drop: true });
    const card = await world.card('f/card.jpg');
    await world.channel().publish(world.request('f', 'Halo', [card]));
    expect(world.fake.published).toHaveLength(1);
    expect(world.logLines.some((line) => line.includes('refresh failed'))).toBe(true);
    expect(readTokenState(tokenFile)!.token).toBe(SECRET_TOKEN);
  });

  it('shouldRefresh: ≥ 24 h old and expiring within 30 days, or expiry unknown; never once expired', () => {
    const at = new Date('2026-11-01T00:00:00Z');
    const state = (ageDays: number, leftDays: number | null) => ({ token: 't', obtainedAt: new Date(at.getTime() - ageDays * DAY), expiresAt: leftDays === null ? null : new Date(at.getTime() + leftDays * DAY), source: 'env' as const, envFingerprint: 'f' });
    expect(shouldRefresh(state(0.5, 20), at)).toBe(false);
    expect(shouldRefresh(state(2, 40), at)).toBe(false);
    expect(shouldRefresh(state(2, 20), at)).toBe(true);
    expect(shouldRefresh(state(2, null), at)).toBe(true);
    expect(shouldRefresh(state(70, -1), at)).toBe(false);
  });
});
