import { createXChannel } from '../../../src/channels/x/x-channel';
import { AppError } from '../../../src/errors';
import { createVirtualClock } from '../../../src/clock';
import { createSilentLogger } from '../../../src/logger';
import { ENV, SECRETS, START, expectNoSecrets, publishRequest, startXRig, writePngCard, xConfig, type XRig } from './x-harness';

describe('channels/x read-back', () => {
  let rig: XRig;
  afterEach(async () => rig.close());

  it('returns the account posts since a time, newest first, with their public URLs', async () => {
    rig = await startXRig();
    const card = await writePngCard(rig.dir, 'c.png', 'alt');
    for (const [i, text] of ['pertama', 'kedua', 'ketiga'].entries()) {
      if (i > 0) await rig.clock.sleep(60_000);
      await rig.channel.publish(publishRequest(rig.dir, `p${i}`, text, [card.media]));
    }
    const back = await rig.channel.readBack(new Date('2026-11-27T06:00:30Z'));
    expect(back.map((p) => p.text)).toEqual(['ketiga', 'kedua']);
    const [newest] = rig.server.tweets.slice(-1);
    expect(back[0]).toEqual({ remoteId: newest!.id, text: 'ketiga', publishedAt: new Date('2026-11-27T06:02:00Z'), url: `https://x.com/kanimpontianak/status/${newest!.id}` });
    const timeline = rig.server.requests.find((r) => r.route === 'GET /2/users/:id/tweets')!;
    expect(timeline.path).toBe('/2/users/1700000000000000001/tweets');
  });

  it('follows pages, asks users/me once, and names the account in later publish URLs', async () => {
    rig = await startXRig({}, { readBackPageSize: 5 });
    for (let i = 0; i < 7; i++) {
      await rig.channel.publish(publishRequest(rig.dir, `p${i}`, `pos ${i}`));
      await rig.clock.sleep(1000);
    }
    expect((await rig.channel.readBack(new Date(0))).map((p) => p.text)).toEqual(['pos 6', 'pos 5', 'pos 4', 'pos 3', 'pos 2', 'pos 1', 'pos 0']);
    await rig.channel.readBack(new Date(0));
    expect(rig.server.requests.filter((r) => r.route === 'GET /2/users/me')).toHaveLength(1);
    expect(rig.server.requests.filter((r) => r.route === 'GET /2/users/:id/tweets')).toHaveLength(4);
    const result = await rig.channel.publish(publishRequest(rig.dir, 'p8', 'sesudah'));
    expect(result.url).toBe(`https://x.com/kanimpontianak/status/${result.remoteId}`);
  });

  it('fails as auth when the token is revoked', async () => {
    rig = await startXRig();
    rig.server.revokeToken();
    await expect(rig.channel.readBack(START)).rejects.toEqual(expect.objectContaining({ kind: 'auth' }));
  });
});

describe('channels/x verify', () => {
  let rig: XRig;
  afterEach(async () => rig.close());

  it('names the account, shows the rate-limit headroom seen, and never posts', async () => {
    rig = await startXRig({ dailyCap: 17 });
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'satu'));
    const before = rig.server.requests.length;
    const report = await rig.channel.verify!(START);
    expect(report).toEqual(expect.objectContaining({ channelId: 'x', account: '@kanimpontianak', tokenExpiresAt: null, problems: [] }));
    expect(report.details).toEqual(
      expect.arrayContaining([
        `API host: ${rig.server.url}`,
        expect.stringMatching(/^rate limit POST \/2\/tweets: 99\/100 left per 15 min .*16\/17 left for the account per 24 h/),
        expect.stringMatching(/^rate limit GET \/2\/users\/me: 74\/75 left per 15 min/),
      ]),
    );
    expect(rig.server.requests.slice(before).map((r) => r.route)).toEqual(['GET /2/users/me']);
  });

  it('turns a refused token into an error problem that says what to do', async () => {
    rig = await startXRig();
    rig.server.revokeToken();
    const report = await rig.channel.verify!(START);
    expect(report.account).toBeNull();
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringMatching(/401.*regenerate the access token.*\.env.*restart/) }]);
    expectNoSecrets(report);
  });

  it('warns when the daily allowance is used up', async () => {
    rig = await startXRig({ dailyCap: 1 });
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'satu'));
    const report = await rig.channel.verify!(START);
    expect(report.problems).toEqual([{ severity: 'warning', message: expect.stringContaining('1 posts per 24 h are used up until 2026-11-28T06:00:00.000Z') }]);
  });
});

describe('channels/x credentials and limits', () => {
  const deps = (env: Record<string, string>) => ({ clock: createVirtualClock(START), logger: createSilentLogger(), outboxDir: '/tmp', env, fetch });

  it('a missing variable is config-invalid, names the variable and its credential, and shows no value', () => {
    const env: Record<string, string> = { ...ENV };
    delete env.X_APP_KEY;
    delete env.X_ACCESS_SECRET;
    let error: unknown;
    try {
      createXChannel(xConfig(), deps(env));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toEqual(expect.objectContaining({ code: 'config-invalid' }));
    const message = (error as Error).message;
    expect(message).toContain('channel "x": environment variables X_APP_KEY (credential appKey), X_ACCESS_SECRET (credential accessSecret) are not set: put them in .env');
    expect(message).toMatch(/^herald\.yaml:30:5: /);
    expectNoSecrets(error);
  });

  it('reads the variables the config names, defaulting to the .env.example names', () => {
    const env = { OFFICE_X_KEY: 'k', X_APP_SECRET: 's', X_ACCESS_TOKEN: 't', X_ACCESS_SECRET: 'a' };
    expect(() => createXChannel(xConfig({ credentials: { appKey: 'OFFICE_X_KEY' } }), deps(env))).not.toThrow();
    expect(() => createXChannel(xConfig({ credentials: { appKey: 'OFFICE_X_KEY' } }), deps({ ...env, OFFICE_X_KEY: '  ' }))).toThrow(/OFFICE_X_KEY \(credential appKey\) is not set/);
  });

  it('checks posts the way X counts them, with its daily cap', () => {
    const channel = createXChannel(xConfig({ dailyCap: 17 }), deps(ENV));
    expect(channel.limits.dailyCap).toBe(17);
    expect(channel.check({ text: 'ok', media: [] })).toEqual([]);
    // 141 emoji weigh 282 on X, over 280, though they are only 141 characters.
    const problems = channel.check({ text: '🛂'.repeat(141), media: [] });
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('weighted as X counts them') })]);
    expect(JSON.stringify(channel)).not.toContain(SECRETS.accessSecret);
  });
});
