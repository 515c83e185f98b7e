/**
 * Threads long-lived tokens last 60 days and are refreshed with
 * `th_refresh_token` once they are 24 h old (Instagram's token keeper, another
 * grant): stored in the token vault, used after a restart, a new `.env` token
 * wins, failures keep the current token, and staff are warned (verify
 * problems, a `token-expiry` alert) before the token expires.
 */
import fs from 'node:fs';
import { createTokenVault } from '../../../src/app/token-vault';
import { registerInstance } from '../../../src/store/instances';
import { useTestStore } from '../../support/databases';
import { fingerprintToken, readTokenState, tokenFilePath, writeTokenState } from '../../../src/channels/instagram/token-store';
import { SECRET_TOKEN, startThreadsWorld, visibleText, type ThreadsWorld } from '../../fakes/threads/threads-setup';

const SIXTY_DAYS_MS = 5_184_000_000;

describe('channels/threads token lifecycle', () => {
  let world: ThreadsWorld;
  let tokenFile: string;

  beforeEach(async () => {
    world = await startThreadsWorld({ start: '2026-11-01T00:00:00Z' });
    tokenFile = tokenFilePath(world.dir, 'threads');
  });
  afterEach(async () => {
    const visible = visibleText(world, []);
    for (const token of [SECRET_TOKEN, ...world.fake.requests.map((r) => r.token).filter((t): t is string => t !== null)]) expect(visible).not.toContain(token);
    await world.close();
  });

  it('records a new env token when first seen (0600) and does not refresh it before it is 24 h old', async () => {
    const report = await world.channel().verify!(world.clock.now());
    expect(world.fake.refreshes).toEqual([]);
    expect((fs.statSync(tokenFile).mode & 0o777).toString(8)).toBe('600');
    expect(readTokenState(tokenFile)).toEqual({ token: SECRET_TOKEN, obtainedAt: new Date('2026-11-01T00:00:00Z'), expiresAt: null, source: 'env', envFingerprint: fingerprintToken(SECRET_TOKEN) });
    expect(report).toMatchObject({ account: '@kanimpontianak', tokenExpiresAt: null, problems: [] });
  });

  it('refreshes a day-old token with th_refresh_token before publishing, stores it, and uses it — also after a restart', async () => {
    await world.channel().verify!(world.clock.now());
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    const card = await world.card('t/card.jpg');
    await world.channel().publish(world.request('t', 'Halo', [card]));

    expect(world.fake.refreshes).toHaveLength(1);
    const refresh = world.fake.requests.find((r) => r.route === 'GET /refresh_access_token')!;
    expect(refresh.path).toBe('/refresh_access_token');
    expect(refresh.query).toEqual({ grant_type: 'th_refresh_token' });
    // The platform takes the token to refresh in the query only.
    expect(refresh.token).toBe(SECRET_TOKEN);
    const stored = readTokenState(tokenFile)!;
    expect(stored).toMatchObject({ source: 'refreshed', envFingerprint: fingerprintToken(SECRET_TOKEN), expiresAt: new Date(Date.parse('2026-11-02T00:00:01Z') + SIXTY_DAYS_MS) });
    expect(stored.token).not.toBe(SECRET_TOKEN);
    expect(world.fake.requests.filter((r) => r.route === 'POST /{threads-user-id}/threads_publish').map((r) => r.token)).toEqual([stored.token]);
    expect(world.logLines.some((line) => line.includes('threads access token refreshed'))).toBe(true);

    // Restart: a new channel reads the stored token; the env token is revoked and nothing breaks.
    world.fake.revokeToken(SECRET_TOKEN);
    const report = await world.channel().verify!(world.clock.now());
    expect(report.problems).toEqual([]);
    expect(report.tokenExpiresAt).toEqual(stored.expiresAt);
    expect(world.fake.requests.at(-1)!.token).toBe(stored.token);
    expect(world.fake.refreshes).toHaveLength(1);
  });

  it('a NEW token put in .env wins over the stored refreshed one', async () => {
    writeTokenState(tokenFile, { token: 'THAAoldRefreshed', obtainedAt: new Date('2026-10-31T00:00:00Z'), expiresAt: new Date('2026-12-30T00:00:00Z'), source: 'refreshed', envFingerprint: fingerprintToken('THAAolderEnv') });
    world.fake.addToken('THAAoldRefreshed');
    await world.channel().verify!(world.clock.now());
    expect(world.fake.requests.every((r) => r.token === SECRET_TOKEN)).toBe(true);
    expect(readTokenState(tokenFile)).toMatchObject({ token: SECRET_TOKEN, source: 'env' });
  });

  it('a refresh that fails keeps the current token, warns in verify, and publishing goes on', async () => {
    writeTokenState(tokenFile, { token: SECRET_TOKEN, obtainedAt: new Date('2026-10-01T00:00:00Z'), expiresAt: new Date('2026-11-25T00:00:00Z'), source: 'env', envFingerprint: fingerprintToken(SECRET_TOKEN) });
    world.fake.faults.push({ route: 'GET /refresh_access_token', status: 500, body: { error: { message: 'x', code: 2 } } });
    const report = await world.channel().verify!(world.clock.now());
    expect(report.problems).toEqual([{ severity: 'warning', message: 'the Threads token could not be refreshed (HTTP 500, Graph code 2); it stays in use until it expires' }]);
    world.fake.faults.push({ route: 'GET /refresh_access_token', drop: true });
    const card = await world.card('f/card.jpg');
    await world.channel().publish(world.request('f', 'Halo', [card]));
    expect(world.fake.published).toHaveLength(1);
    expect(world.logLines.some((line) => line.includes('threads access token refresh failed'))).toBe(true);
    expect(readTokenState(tokenFile)!.token).toBe(SECRET_TOKEN);
  });

  it('warns 10 days before expiry (verify problem and one token-expiry alert a day), errors once expired', async () => {
    // A token that cannot be refreshed any more (the refresh keeps failing) is the staff's job.
    writeTokenState(tokenFile, { token: SECRET_TOKEN, obtainedAt: new Date('2026-09-10T00:00:00Z'), expiresAt: new Date('2026-11-09T00:00:00Z'), source: 'env', envFingerprint: fingerprintToken(SECRET_TOKEN) });
    world.fake.addToken(SECRET_TOKEN, new Date('2026-11-09T00:00:00Z'));
    world.fake.faults.push({ route: 'GET /refresh_access_token', status: 400, body: { error: { message: 'Session has expired', code: 190 } }, times: 100 });
    const channel = world.channel();

    const soon = await channel.verify!(new Date('2026-11-01T00:00:00Z'));
    expect(soon.tokenExpiresAt).toEqual(new Date('2026-11-09T00:00:00Z'));
    expect(soon.problems).toContainEqual({
      severity: 'warning',
      message: 'the Threads token expires in 8 day(s), on 2026-11-09T00:00:00.000Z, and could not be refreshed in time: generate a new long-lived Threads token (README, "Connect Threads"), put it in .env as THREADS_ACCESS_TOKEN, restart',
    });

    const card = await world.card('w/card.jpg');
    await channel.publish(world.request('w1', 'Halo', [card]));
    world.clock.set(new Date('2026-11-01T02:00:00Z'));
    await channel.publish(world.request('w2', 'Halo', [card]));
    expect(world.alerts.filter((a) => a.kind === 'token-expiry').map((a) => a.message)).toEqual([expect.stringMatching(/^threads channel "threads": the Threads token expires in 8 day\(s\)/)]);
    world.clock.set(new Date('2026-11-02T01:00:00Z'));
    await channel.publish(world.request('w3', 'Halo', [card]));
    expect(world.alerts.filter((a) => a.kind === 'token-expiry')).toHaveLength(2);

    world.clock.set(new Date('2026-11-10T00:00:00Z'));
    const expired = await channel.verify!(world.clock.now());
    expect(expired.problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([expect.stringContaining('put it in .env as THREADS_ACCESS_TOKEN'), expect.stringContaining('expired on 2026-11-09')]);
  });

  it('the fake refuses to refresh a token younger than 24 h, as Threads does', async () => {
    world.fake.addToken('THAAyoung', null, world.clock.now());
    const answer = await fetch(`${world.fake.url}/refresh_access_token?grant_type=th_refresh_token&access_token=THAAyoung`);
    expect(answer.status).toBe(400);
    const exchanged = await fetch(`${world.fake.url}/access_token?grant_type=th_exchange_token&client_secret=app-secret&access_token=THAAyoung`);
    expect(await exchanged.json()).toEqual({ access_token: expect.stringMatching(/^THAA/), token_type: 'bearer', expires_in: 5_184_000 });
  });
});

describe('channels/threads tokens in the database vault (encrypted, shared, refreshed once for the cluster)', () => {
  const db = useTestStore('sqlite');
  let world: ThreadsWorld;

  beforeEach(async () => {
    world = await startThreadsWorld({ start: '2026-11-01T00:00:00Z' });
  });
  afterEach(async () => world.close());

  it('two instances on one database: one th_refresh_token call, both publish with the refreshed token, stored sealed', async () => {
    const instance = async (name: string) => {
      await registerInstance(db.store, { id: name, pid: 1, host: name }, world.clock.now());
      const vault = createTokenVault({ store: db.store, env: {}, dataDir: db.database.dataDir!, owner: name, logger: world.deps().logger });
      return world.channel({ deps: { tokenVault: vault } });
    };
    const a = await instance('a');
    const b = await instance('b');
    await Promise.all([a.verify!(world.clock.now()), b.verify!(world.clock.now())]);
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    const reports = await Promise.all([a.verify!(world.clock.now()), b.verify!(world.clock.now())]);
    expect(world.fake.refreshes).toHaveLength(1);
    expect(reports.flatMap((r) => r.details).filter((d) => d === 'access token refreshed')).toHaveLength(1);

    world.clock.set(new Date('2026-11-02T00:05:00Z'));
    const card = await world.card('v/card.jpg');
    await a.publish(world.request('va', 'Halo a', [card]));
    await b.publish(world.request('vb', 'Halo b', [card]));
    const used = world.fake.requests.filter((r) => r.route === 'POST /{threads-user-id}/threads_publish').map((r) => r.token);
    expect(used[0]).toMatch(/^THAAfake/);
    expect(used).toEqual([used[0], used[0]]);

    const row = await db.store.db.selectFrom('channel_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel_id: 'threads', source: 'refreshed' });
    expect(JSON.stringify(row)).not.toContain(used[0]);
    expect(JSON.stringify(row)).not.toContain(SECRET_TOKEN);
  });
});
