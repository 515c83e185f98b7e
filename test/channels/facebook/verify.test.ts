/**
 * `verify` (check --online) for a Facebook Page: names the Page, proves the
 * read-back works, never posts, reports no expiry for a Page token, and says
 * what to do for a revoked token, a token of the wrong Page or person, and a
 * token that cannot read the Page.
 */
import { SECRET_PAGE_TOKEN, startFacebookWorld, type FacebookWorld } from '../../fakes/facebook/facebook-setup';

describe('channels/facebook: verify', () => {
  let world: FacebookWorld;
  beforeEach(async () => {
    world = await startFacebookWorld();
  });
  afterEach(async () => world.close());

  const verify = () => world.channel().verify!(world.clock.now());
  const problems = async () => (await verify()).problems.map((p) => `${p.severity}: ${p.message}`);

  it('names the Page, checks read-back, posts nothing, and reports no token expiry', async () => {
    const report = await verify();
    expect(report).toMatchObject({ channelId: 'facebook', account: 'Kantor Imigrasi Pontianak', tokenExpiresAt: null, problems: [] });
    expect(report.details).toEqual([
      `API: ${world.fake.url}/v25.0`,
      'published posts readable: unclear outcomes can be reconciled',
      expect.stringContaining('pages_manage_posts cannot be tested without posting'),
      expect.stringContaining('no expiry date when made from a long-lived User token'),
    ]);
    expect(world.fake.requests.map((r) => `${r.method} ${r.route}`)).toEqual(['GET GET /me', 'GET GET /{page-id}/published_posts']);
    expect(world.fake.posts).toEqual([]);
  });

  it('a revoked token is an error saying how to make a new Page token', async () => {
    world.fake.revokeToken();
    const report = await verify();
    expect(report.account).toBeNull();
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringMatching(/rejected the Page access token .*make a new Page access token.*put it in \.env as FB_PAGE_TOKEN/) }]);
    expect(JSON.stringify(report)).not.toContain(SECRET_PAGE_TOKEN);
  });

  it('a User token (or another Page\'s) is an error naming whose token it is', async () => {
    world.fake.addToken(SECRET_PAGE_TOKEN, { kind: 'user', id: '10229990001', name: 'Budi Santoso' });
    expect(await problems()).toEqual([expect.stringMatching(/^error: the token in FB_PAGE_TOKEN belongs to "Budi Santoso" \(id 10229990001\), not to the Page \d+: .*make a Page access token/)]);
  });

  it('a token that cannot read the Page (#10, no pages_read_engagement) is an error naming the permission', async () => {
    world.fake.addToken(SECRET_PAGE_TOKEN, { permissions: ['pages_show_list', 'pages_manage_posts'] });
    expect(await problems()).toEqual([expect.stringMatching(/^error: facebook: the Page token lacks a permission: .*pages_read_engagement/)]);
  });

  it('a silent platform gives up at the request timeout and reports it', async () => {
    world.fake.silent = true;
    const report = await world.channel({ options: { requestTimeoutMs: 500 } }).verify!(world.clock.now());
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringContaining('timeout') }]);
  });
});
