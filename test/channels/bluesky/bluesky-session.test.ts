/**
 * The session lifecycle: createSession is limited (30 per 5 min, 300 per day),
 * so the session lives in the token vault (the database, sealed, shared by
 * instances) and is refreshed, never re-created while it can be renewed.
 */
import { createTokenVault } from '../../../src/app/token-vault';
import { createSilentLogger } from '../../../src/logger';
import { getChannelToken } from '../../../src/store/channel-tokens';
import { useTestStore } from '../../support/databases';
import { SECRET_APP_PASSWORD, startBlueskyWorld, type BlueskyWorld } from './bluesky-world';

describe('channels/bluesky: session', () => {
  const db = useTestStore('sqlite');
  let world: BlueskyWorld;
  beforeEach(async () => {
    world = await startBlueskyWorld();
  });
  afterEach(async () => {
    const logs = world.logLines.join('\n');
    expect(logs).not.toContain(SECRET_APP_PASSWORD);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    await world.close();
  });

  const vault = (owner: string) => createTokenVault({ store: db.store, env: {}, dataDir: db.database.dataDir!, owner, logger: createSilentLogger() });

  it('20 publishes, a restart and a second instance make exactly 1 createSession; the session is sealed in the database', async () => {
    const shared = vault('a');
    const channel = world.channel({ deps: { tokenVault: shared } });
    for (let i = 0; i < 20; i += 1) {
      await channel.publish(world.request(`s${i}`, `Kuota ${i}`, i % 5 === 0 ? [world.card(`s${i}/card.jpg`)] : []));
      await world.clock.sleep(60_000);
    }
    expect(world.fake.posts()).toHaveLength(20);
    expect(world.fake.counts.createSession).toBe(1);

    // A restart, and another instance on the same database: the stored session, no new sign-in.
    await world.channel({ deps: { tokenVault: vault('a') } }).publish(world.request('after-restart', 'Kuota lagi', []));
    await world.channel({ deps: { tokenVault: vault('b') } }).publish(world.request('other-instance', 'Kuota juga', []));
    expect(world.fake.counts.createSession).toBe(1);

    const row = await getChannelToken(db.store, 'bluesky');
    expect(row).toMatchObject({ source: 'refreshed' });
    expect(row!.tokenSealed).not.toContain('eyJ');
    expect(row!.tokenSealed).not.toContain(world.fake.did);
  });

  it('renews an expired access token with refreshSession (once) and repeats the call; the renewed session is stored', async () => {
    const shared = vault('a');
    const channel = world.channel({ deps: { tokenVault: shared } });
    await channel.publish(world.request('e1', 'satu', []));
    world.fake.expireAccessTokens();
    await channel.publish(world.request('e2', 'dua', [world.card('e2/card.jpg')]));
    expect(world.fake.counts).toEqual({ createSession: 1, refreshSession: 1 });
    expect(world.fake.calls.slice(-4)).toEqual(['POST com.atproto.repo.uploadBlob', 'POST com.atproto.server.refreshSession', 'POST com.atproto.repo.uploadBlob', 'POST com.atproto.repo.putRecord']);

    // A new instance reads the renewed session: it works without another refresh or sign-in.
    await world.channel({ deps: { tokenVault: vault('b') } }).publish(world.request('e3', 'tiga', []));
    expect(world.fake.counts).toEqual({ createSession: 1, refreshSession: 1 });
  });

  it('takes the entryway’s 401 ExpiredToken the same way: refresh once, repeat', async () => {
    const channel = world.channel();
    await channel.publish(world.request('x1', 'satu', []));
    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', status: 401, body: { error: 'ExpiredToken', message: 'Token has expired' } });
    await channel.publish(world.request('x2', 'dua', []));
    expect(world.fake.counts).toEqual({ createSession: 1, refreshSession: 1 });
    expect(world.fake.posts()).toHaveLength(2);
  });

  it('refreshes ahead of the access token’s own expiry (2 h later), without a refused call', async () => {
    const channel = world.channel({ deps: { tokenVault: vault('a') } });
    await channel.publish(world.request('t1', 'satu', []));
    await world.clock.sleep(3 * 3_600_000);
    await channel.publish(world.request('t2', 'dua', []));
    expect(world.fake.counts).toEqual({ createSession: 1, refreshSession: 1 });
    expect(world.fake.calls.filter((c) => c.endsWith('putRecord'))).toHaveLength(2);
  });

  it('signs in again only when the refresh token is refused too', async () => {
    const channel = world.channel({ deps: { tokenVault: vault('a') } });
    await channel.publish(world.request('r1', 'satu', []));
    world.fake.expireAccessTokens();
    world.fake.expireRefreshTokens();
    await channel.publish(world.request('r2', 'dua', []));
    expect(world.fake.counts).toEqual({ createSession: 2, refreshSession: 1 });
    expect(world.fake.posts()).toHaveLength(2);
  });

  it('a rate-limited sign-in is rate-limited until RateLimit-Reset, not auth', async () => {
    world.fake.faults.push({ route: 'com.atproto.server.createSession', status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'ratelimit-limit': '30', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Date.parse('2026-11-27T06:05:00Z') / 1000), 'ratelimit-policy': '30;w=300' } });
    const error = await world.channel().publish(world.request('l1', 'satu', [])).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T06:05:00Z') });
  });

  it('a new app password in .env replaces the stored session of the old one', async () => {
    await world.channel({ deps: { tokenVault: vault('a') } }).publish(world.request('n1', 'satu', []));
    // The fake accepts one password; the old session is still fine for it, but the new .env must win.
    const renamed = world.channel({ deps: { tokenVault: vault('a'), env: { BLUESKY_APP_PASSWORD: 'wxyz-abcd-efgh-ijkl' } } });
    const error = await renamed.publish(world.request('n2', 'dua', [])).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth' });
    expect(world.fake.counts.createSession).toBe(2);
  });

  it('verify: the account, no token expiry (app passwords do not expire), where the session is kept; never posts', async () => {
    const channel = world.channel({ deps: { tokenVault: vault('a') } });
    const report = await channel.verify!(world.clock.now());
    expect(report).toMatchObject({ channelId: 'bluesky', account: `@${world.fake.handle}`, tokenExpiresAt: null, problems: [] });
    expect(report.details).toEqual(expect.arrayContaining([`API host: ${world.fake.url}`, expect.stringContaining('does not expire'), 'session kept in the database (encrypted)', expect.stringContaining('new session')]));
    expect(world.fake.posts()).toEqual([]);
    expect(world.fake.calls).toEqual(['POST com.atproto.server.createSession', 'GET app.bsky.actor.getProfile']);

    const again = await world.channel({ deps: { tokenVault: vault('a') } }).verify!(world.clock.now());
    expect(again.details).toEqual(expect.arrayContaining(['stored session reused (no new sign-in)']));
    expect(world.fake.counts.createSession).toBe(1);
  });

  it('verify: a revoked app password is an error saying what to do; a main password a warning', async () => {
    world.fake.revokeAppPassword();
    const report = await world.channel().verify!(world.clock.now());
    expect(report.account).toBeNull();
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringMatching(/Bluesky account check failed: .*AuthenticationRequired.*create a new app password.*BLUESKY_APP_PASSWORD/) }]);
    const mainPassword = await world.channel({ deps: { env: { BLUESKY_APP_PASSWORD: 'my-main-password' } } }).verify!(world.clock.now());
    expect(mainPassword.problems).toEqual(expect.arrayContaining([{ severity: 'warning', message: expect.stringContaining('not in the form of a Bluesky app password') }]));
  });

  it('verify: an unreachable server is thrown (logged, no "auth" alert), not reported as a credentials problem', async () => {
    world.fake.faults.push({ route: 'app.bsky.actor.getProfile', status: 503, body: { error: 'InternalServerError', message: 'Internal Server Error' } });
    await expect(world.channel({ deps: { tokenVault: vault('a') } }).verify!(world.clock.now())).rejects.toMatchObject({ kind: 'transient' });
  });

  it('refuses a missing handle or env variable with what to do', () => {
    expect(() => world.channel({ config: { handle: undefined } })).toThrow('herald.yaml:12:5: channel "bluesky" needs handle');
    expect(() => world.channel({ deps: { env: {} } })).toThrow(/BLUESKY_APP_PASSWORD is not set: create an app password/);
    expect(() => world.channel({ config: { credentials: {} } })).toThrow(/needs credentials.appPassword/);
  });
});
