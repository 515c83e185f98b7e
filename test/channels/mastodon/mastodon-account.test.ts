import path from 'node:path';
import { createMastodonChannel } from '../../../src/channels/mastodon/mastodon-channel';
import { statusHtmlToText } from '../../../src/channels/mastodon/status-html';
import { createChannels } from '../../../src/channels/registry';
import { createVirtualClock } from '../../../src/clock';
import { loadConfig } from '../../../src/config/load';
import { createSilentLogger } from '../../../src/logger';
import { toHtml } from '../../fakes/fake-mastodon-server';
import { MINIMAL_HERALD, MINIMAL_TEMPLATES, writeTempDir } from '../../config/helpers';
import { expectNoSecret, mastodonConfig, publishError, publishRequest, SECRET_TOKEN, startMastodonRig, type MastodonRig } from './mastodon-rig';

describe('channels/mastodon: read-back', () => {
  let rig: MastodonRig;
  beforeEach(async () => {
    rig = await startMastodonRig();
  });
  afterEach(async () => rig.close());

  it('reads the account back newest first from `since`, as plain text, walking older pages with max_id', async () => {
    const channel = rig.channel({ readBackPageSize: 2 });
    for (const n of [1, 2, 3, 4, 5]) {
      await channel.publish(publishRequest(rig.dir, `p${n}`, `Kuota ke-${n} & <info>`));
      await rig.clock.sleep(60_000);
    }
    const back = await channel.readBack(new Date('2026-11-27T06:01:00Z'));
    expect(back.map((p) => p.text)).toEqual(['Kuota ke-5 & <info>', 'Kuota ke-4 & <info>', 'Kuota ke-3 & <info>', 'Kuota ke-2 & <info>']);
    expect(back.map((p) => p.publishedAt.toISOString())).toEqual(['2026-11-27T06:04:00.000Z', '2026-11-27T06:03:00.000Z', '2026-11-27T06:02:00.000Z', '2026-11-27T06:01:00.000Z']);
    const reads = rig.fake.requests.filter((r) => r.route === 'GET /api/v1/accounts/:id/statuses').map((r) => new URL(r.path, rig.fake.url).searchParams);
    expect(reads.map((q) => [q.get('exclude_replies'), q.get('exclude_reblogs'), q.get('limit'), q.get('max_id') !== null])).toEqual([
      ['true', 'true', '2', false],
      ['true', 'true', '2', true],
      ['true', 'true', '2', true],
    ]);
    // verify_credentials once for the account id, then pages only.
    expect(rig.fake.requests.filter((r) => r.route === 'GET /api/v1/accounts/verify_credentials')).toHaveLength(1);
  });

  it('throws instead of answering "not found" when it cannot see everything since `since`', async () => {
    const channel = rig.channel({ readBackPageSize: 1, readBackMaxPages: 2 });
    for (const n of [1, 2, 3]) await channel.publish(publishRequest(rig.dir, `p${n}`, `Kuota ${n}`));
    const error = await publishError(channel.readBack(new Date('2026-11-27T05:00:00Z')));
    expect(error).toMatchObject({ kind: 'transient', code: 'read-back-incomplete' });
  });

  it('a read-back that fails is a PublishError (auth for a revoked token, transient for 5xx), never []', async () => {
    const channel = rig.channel();
    rig.fake.faults.push({ route: 'GET /api/v1/accounts/:id/statuses', status: 500 });
    expect((await publishError(channel.readBack(new Date(0)))).kind).toBe('transient');
    rig.fake.revokeToken();
    expect((await publishError(rig.channel().readBack(new Date(0)))).kind).toBe('auth');
  });

  it('turns status HTML back into the text we sent: paragraphs, line breaks, split links, hashtags, entities', () => {
    const text = 'Kuota paspor "Kanim" dibuka 08.00 WIB.\nDaftar: https://antrian.imigrasi.go.id/a/very/long/path/to/the/booking-page?x=1&y=2\n\n#imigrasi #KuotaPaspor\n\nGRATIS, waspada calo! 🇮🇩';
    expect(statusHtmlToText(toHtml(text, 'https://mastodon.example'))).toBe(text);
    expect(statusHtmlToText('<p>a&#x27;b&#8212;c&nbsp;d&unknown;</p>')).toBe('a\'b—c\u00a0d&unknown;');
  });
});

describe('channels/mastodon: check --online (verify)', () => {
  let rig: MastodonRig;
  beforeEach(async () => {
    rig = await startMastodonRig();
  });
  afterEach(async () => rig.close());

  it('reports the account, the instance limits and a token that does not expire, without posting', async () => {
    const report = await rig.channel().verify!(rig.clock.now());
    const host = new URL(rig.fake.url).host;
    expect(report).toMatchObject({ channelId: 'mastodon', account: `@kanimpontianak@${host}`, tokenExpiresAt: null, problems: [] });
    expect(report.details).toEqual(
      expect.arrayContaining([
        `instance: ${rig.fake.url}`,
        `instance ${host}, Mastodon 4.5.2`,
        'instance limits: max_characters 500, max_media_attachments 4, characters_reserved_per_url 23, description_limit 1500',
        expect.stringMatching(/^rate limit: \d+\/300 API calls left until 2026-11-27T06:05:00\.000Z$/),
        expect.stringContaining('does not expire'),
      ]),
    );
    expect(rig.fake.requests.map((r) => r.route)).toEqual(['GET /api/v1/accounts/verify_credentials', 'GET /api/v2/instance']);
    expect(rig.fake.statuses).toEqual([]);
  });

  it('an instance allowing less than the defaults is an error; more is only reported', async () => {
    rig.fake.settings.instance = { maxCharacters: 400, maxMediaAttachments: 2, charactersReservedPerUrl: 23, descriptionLimit: 1000 };
    const small = await rig.channel().verify!(rig.clock.now());
    expect(small.problems).toEqual([
      { severity: 'error', message: expect.stringContaining('this instance allows 400 characters per post, fewer than the 500') },
      { severity: 'error', message: expect.stringContaining('this instance allows 2 images per post') },
      { severity: 'warning', message: expect.stringContaining('1000 characters of alt text') },
    ]);
    rig.fake.settings.instance = { maxCharacters: 5000, maxMediaAttachments: 4, charactersReservedPerUrl: 23, descriptionLimit: 1500 };
    const large = await rig.channel().verify!(rig.clock.now());
    expect(large.problems).toEqual([]);
    expect(large.details).toContain('the instance allows 5000 characters; captions stay fitted to 500, which every standard instance accepts');
  });

  it('a revoked token is an error saying what to do, never the token', async () => {
    rig.fake.revokeToken();
    const report = await rig.channel().verify!(rig.clock.now());
    expect(report.account).toBeNull();
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringContaining('refused the access token (401)') }]);
    expect(report.problems[0]!.message).toContain('MASTODON_TOKEN');
    expectNoSecret(report);
  });

  it('an instance too old for /api/v2/instance is reported, the account still checked', async () => {
    rig.fake.faults.push({ route: 'GET /api/v2/instance', status: 404, body: { error: 'Record not found' } });
    const report = await rig.channel().verify!(rig.clock.now());
    expect(report.account).toMatch(/^@kanimpontianak@/);
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringContaining('instance check (GET /api/v2/instance, Mastodon 4.0 and later) failed') }]);
  });

  it('gives up on a silent instance after the request timeout', async () => {
    rig.fake.silent = true;
    const report = await rig.channel({}, { requestTimeoutMs: 200 }).verify!(rig.clock.now());
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringContaining('no answer within 0.2 s'), expect.stringContaining('no answer within 0.2 s')]);
  });
});

describe('channels/mastodon: configuration', () => {
  const deps = { clock: createVirtualClock(new Date()), logger: createSilentLogger(), outboxDir: '/tmp', env: { MASTODON_TOKEN: SECRET_TOKEN }, fetch };

  it('needs baseUrl (the instance) and the token variable, with file:line:col', () => {
    expect(() => createMastodonChannel(mastodonConfig(), deps)).toThrow('herald.yaml:40:5: channel "mastodon" needs baseUrl: the address of the office\'s Mastodon instance, e.g. https://mastodon.social');
    expect(() => createMastodonChannel(mastodonConfig({ baseUrl: 'mastodon.social' }), deps)).toThrow('herald.yaml:40:5: channel "mastodon": baseUrl "mastodon.social" is not an address');
    expect(() => createMastodonChannel(mastodonConfig({ baseUrl: 'https://mastodon.social', credentials: {} }), deps)).toThrow('herald.yaml:40:5: channel "mastodon" needs credentials.accessToken');
    expect(() => createMastodonChannel(mastodonConfig({ baseUrl: 'https://mastodon.social' }), { ...deps, env: {} })).toThrow('the environment variable MASTODON_TOKEN is not set: put the Mastodon access token in .env as MASTODON_TOKEN=…');
  });

  it('is in the registry', () => {
    const channels = createChannels([mastodonConfig({ baseUrl: 'https://mastodon.social' })], deps);
    expect(channels.get('mastodon')).toMatchObject({ driver: 'mastodon', limits: { maxTextLength: 500, maxImages: 4, maxAltTextLength: 1500 } });
  });

  it('loading herald.yaml reports a missing baseUrl and token variable at the channel', () => {
    const herald = MINIMAL_HERALD.replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: masto, driver: mastodon }');
    const dir = writeTempDir({ 'herald.yaml': herald, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    const messages = problems.filter((p) => p.location?.file === path.join(dir, 'herald.yaml') && p.location.line === 10 && p.location.col === 5).map((p) => p.message);
    expect(messages).toEqual([expect.stringContaining('a mastodon channel needs baseUrl'), expect.stringContaining('a mastodon channel needs credentials.accessToken')]);
    const fixed = writeTempDir({ 'herald.yaml': herald.replace('driver: mastodon }', 'driver: mastodon, baseUrl: "https://mastodon.social", credentials: { accessToken: MASTODON_TOKEN } }'), ...MINIMAL_TEMPLATES });
    expect(loadConfig(fixed).problems.filter((p) => /mastodon/.test(p.message))).toEqual([]);
  });
});
