/**
 * The post pages over HTTP (fastify.inject) on SQLite, with the sample office
 * planned on Monday 30 November 2026 and three of its posts gone wrong as the
 * bot records it (claimed at their due time, then failed): the list by state,
 * one post's history, each staff action and its refusals in plain words,
 * viewers and other offices refused, forged forms refused, hostile text inert.
 */
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../../src/store/audit-log';
import { getPostHistory } from '../../../src/store/ledger';
import type { LedgerPost } from '../../../src/store/types';
import { fail } from '../../console/offices';
import { addUser, Browser } from '../../support/web';
import { buildConsole, HOSTILE, OFFICE, postOf, useSeededOffice, WEEKLY } from './approval-office';

const BASE = `/admin/o/${OFFICE}/posts`;
const DEAD_ERROR = 'X refused the post (403 duplicate content) <b>bold</b>';

describe('web/console/posts (sqlite)', () => {
  const ctx = useSeededOffice({
    render: false,
    async prepare(store) {
      await fail(store, await postOf(store, 'h-1', WEEKLY, 'x'), 'dead', DEAD_ERROR);
      await fail(store, await postOf(store, 'h-60m', WEEKLY, 'x'), 'unknown', 'x: no answer within 30 s');
      await fail(store, await postOf(store, 'h-60m', WEEKLY, 'instagram'), 'unknown', 'instagram: no answer to media_publish within 30 s');
      await fail(store, await postOf(store, 'h-60m', HOSTILE, 'x'), 'unknown', 'x: connection reset after the request was sent');
    },
  });
  let app: FastifyInstance;

  beforeEach(async () => {
    app = await buildConsole(ctx.store, ctx.office);
    await addUser(ctx.store, 'ani', { [OFFICE]: 'editor' });
    await addUser(ctx.store, 'vivi', { [OFFICE]: 'viewer' });
    await addUser(ctx.store, 'rina', { [OFFICE]: 'approver' });
    await addUser(ctx.store, 'budi', { 'kanim-medan': 'admin' });
  });
  afterEach(async () => {
    await app.close();
  });

  async function signedIn(name: string): Promise<Browser> {
    const browser = new Browser(app);
    expect((await browser.login(name)).statusCode).toBe(303);
    return browser;
  }

  const dead = (): Promise<LedgerPost> => postOf(ctx.store, 'h-1', WEEKLY, 'x');
  const unclearX = (): Promise<LedgerPost> => postOf(ctx.store, 'h-60m', WEEKLY, 'x');
  const unclearIg = (): Promise<LedgerPost> => postOf(ctx.store, 'h-60m', WEEKLY, 'instagram');
  const planned = (): Promise<LedgerPost> => postOf(ctx.store, 'h-1', WEEKLY, 'instagram');

  /** Posts the action form as shown on the post page (its revision and token), then reads the page it redirects to. */
  async function act(browser: Browser, post: LedgerPost, action: string, fields: Record<string, string> = {}): Promise<{ location: string; body: string }> {
    await browser.get(`${BASE}/${post.id}`);
    const response = await browser.post(`${BASE}/${post.id}/${action}`, { revision: String(post.revision), ...fields });
    expect(response.statusCode).toBe(303);
    const location = response.headers.location as string;
    return { location, body: (await browser.get(location)).body };
  }

  it('lists posts by state, linking each to its page; by default what needs staff', async () => {
    const vivi = await signedIn('vivi');
    const needs = await vivi.get(BASE);
    expect(needs.statusCode).toBe(200);
    expect(needs.body).toContain(`href="${BASE}?state&#x3D;dead" aria-current="page">Gagal (1)</a>`);
    expect(needs.body).toContain('Belum pasti terkirim (3)');
    for (const post of [await dead(), await unclearX(), await unclearIg()]) expect(needs.body).toContain(`href="${BASE}/${post.id}"`);
    const onlyDead = (await vivi.get(`${BASE}?state=dead`)).body;
    expect(onlyDead).toContain(`href="${BASE}/${(await dead()).id}"`);
    expect(onlyDead).not.toContain(`href="${BASE}/${(await unclearX()).id}"`);
    expect(onlyDead).toContain('X refused the post (403 duplicate content) &lt;b&gt;bold&lt;/b&gt;');
    expect((await vivi.get(`${BASE}?state=published`)).body).toContain('Tidak ada unggahan dengan status ini.');
    // Unknown names fall back to the default, never into the query.
    expect((await vivi.get(`${BASE}?state=%27%3Bdrop`)).body).toContain(`href="${BASE}/${(await unclearIg()).id}"`);
  });

  it('a failed post shows its state, attempts and error; a viewer sees no action; an editor retries it, audited and in its history', async () => {
    const post = await dead();
    const vivi = await signedIn('vivi');
    const seen = (await vivi.get(`${BASE}/${post.id}`)).body;
    expect(seen).toContain('<dd><strong>Gagal</strong></dd>');
    expect(seen).toContain('<td>gagal</td><td class="pp-error">X refused the post (403 duplicate content) &lt;b&gt;bold&lt;/b&gt;</td><td>test-worker</td>');
    expect(seen).toContain('Hanya penyunting (atau admin kantor) yang dapat mengubah unggahan.');
    expect(seen).not.toContain('<form method="post" action="/admin/o/');
    expect((await vivi.post(`${BASE}/${post.id}/retry`, { revision: '1' })).statusCode).toBe(403);
    const rina = await signedIn('rina');
    await rina.get(`${BASE}/${post.id}`);
    expect((await rina.post(`${BASE}/${post.id}/retry`, { revision: '1' })).statusCode).toBe(403);

    const ani = await signedIn('ani');
    const page = (await ani.get(`${BASE}/${post.id}`)).body;
    expect(page).toContain(`action="${BASE}/${post.id}/retry"`);
    expect(page).not.toContain(`action="${BASE}/${post.id}/skip"`);
    const { location, body } = await act(ani, post, 'retry');
    expect(location).toBe(`${BASE}/${post.id}?done=retry`);
    expect(body).toContain('Unggahan akan dikirim lagi sekarang.');
    expect(body).toContain('<dd><strong>Akan dicoba lagi</strong></dd>');
    expect(body).toContain('<tr><th scope="row">Dicoba lagi</th><td>ani</td><td><time datetime="2026-11-30T02:00:00.000Z">Sen 30 Nov 09.00 WIB</time></td><td>dari Gagal menjadi Akan dicoba lagi</td>');
    expect((await getPostHistory(ctx.store, post.id)).map((each) => each.state)).toEqual(['retrying']);
    const [audit] = await listAudit(ctx.store, { officeIds: [OFFICE] });
    expect(audit).toMatchObject({ userName: 'ani', action: 'posts.retry', detail: { postId: post.id, revision: 1, outcome: 'done', fromState: 'dead', toState: 'retrying' } });
  });

  it('says in plain words why an action cannot be done: past the deadline, the wrong state, a changed revision', async () => {
    const ani = await signedIn('ani');
    const failed = await dead();
    expect((await act(ani, failed, 'skip')).body).toContain('Tindakan &quot;Lewati unggahan ini&quot; tidak dapat dilakukan: statusnya sekarang &quot;Gagal&quot;.');
    expect((await act(ani, failed, 'not-posted')).body).toContain('Tindakan &quot;Tidak terposting&quot; tidak dapat dilakukan: statusnya sekarang &quot;Gagal&quot;.');
    const unclear = await act(ani, await unclearX(), 'retry');
    expect(unclear.location).toBe(`${BASE}/${(await unclearX()).id}?refused=retry.wrong-state`);
    expect(unclear.body).toContain('statusnya sekarang &quot;Belum pasti terkirim&quot;. Belum pasti terkirim: tandai dulu &quot;sudah diposting manual&quot; atau &quot;tidak terposting&quot;.');
    const stale = await planned();
    await ani.get(`${BASE}/${stale.id}`);
    const changed = await ani.post(`${BASE}/${stale.id}/skip`, { revision: '7' });
    expect((await ani.get(changed.headers.location as string)).body).toContain('unggahan ini berubah sejak halaman ditampilkan (revisi 1 sekarang berlaku).');

    // Friday after the opening: past the deadline (a new day, a new sign-in).
    ctx.office.clock.set(new Date('2026-12-04T08:00:00Z'));
    const late = await act(await signedIn('ani'), failed, 'retry');
    expect(late.body).toMatch(/tidak dapat dilakukan: batas waktunya \(\w{3} \d Des \d\d\.\d\d WIB\) sudah lewat, jadi bot tidak mengirimnya lagi\./);
    expect((await getPostHistory(ctx.store, failed.id)).map((each) => each.state)).toEqual(['dead']);
    expect((await getPostHistory(ctx.store, stale.id)).map((each) => each.state)).toEqual(['planned']);
    expect((await listAudit(ctx.store, { officeIds: [OFFICE] })).map((entry) => [entry.action, entry.detail.refusal])).toEqual([
      ['posts.retry', 'deadline-passed'],
      ['posts.skip', 'changed-revision'],
      ['posts.retry', 'wrong-state'],
      ['posts.not-posted', 'wrong-state'],
      ['posts.skip', 'wrong-state'],
    ]);
  });

  it('settles unclear posts: "posted by hand" refuses a link that is not a web address and records one that is; "not posted" sends it again, or past the deadline expires it', async () => {
    const ani = await signedIn('ani');
    const x = await unclearX();
    const bad = await act(ani, x, 'posted-by-hand', { url: 'javascript:alert(1)' });
    expect(bad.body).toContain('tidak dapat dilakukan: tautannya bukan alamat web.');
    const link = 'https://x.com/imigrasiptk/status/1862000000000000001';
    const done = await act(ani, x, 'posted-by-hand', { url: link });
    expect(done.body).toContain('Ditandai sudah diposting manual.');
    expect(done.body).toContain('<dd><strong>Terkirim</strong></dd>');
    expect(done.body).toContain(`<dd><a href="${link.replace(/=/g, '&#x3D;')}" rel="noopener noreferrer">`);
    expect(done.body).toContain('<td>dari Belum pasti terkirim menjadi Terkirim</td>');
    const notPosted = await act(ani, await postOf(ctx.store, 'h-60m', HOSTILE, 'x'), 'not-posted');
    expect(notPosted.body).toContain('Ditandai tidak terposting: bot mengirimnya lagi sekarang.');
    expect(notPosted.body).toContain('<dd><strong>Akan dicoba lagi</strong></dd>');
    // Published now: not posted is refused, with what to do instead.
    expect((await act(ani, x, 'not-posted')).body).toContain('statusnya sekarang &quot;Terkirim&quot;. Unggahan sudah terkirim; untuk menariknya, batalkan pembukaan kuotanya di kalender');

    ctx.office.clock.set(new Date('2026-12-04T08:00:00Z'));
    const expired = await act(await signedIn('ani'), await unclearIg(), 'not-posted');
    expect(expired.body).toContain('Ditandai tidak terposting. Batas waktunya sudah lewat, jadi unggahan ini tidak dikirim lagi (kedaluwarsa).');
    expect(expired.body).toContain('<dd><strong>Kedaluwarsa</strong></dd>');
  });

  it('skips a post with a reason, hostile markup in it shown as text', async () => {
    const ani = await signedIn('ani');
    const post = await planned();
    const reason = '<script>alert("x")</script> jadwal dipindah';
    const { body } = await act(ani, post, 'skip', { reason });
    expect(body).toContain('Unggahan dilewati: tidak akan dikirim.');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('<td class="pp-note">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; jadwal dipindah</td>');
    expect((await ani.get(`${BASE}?state=skipped`)).body).toContain(`href="${BASE}/${post.id}"`);
  });

  it('another office\'s user: 403 through this office\'s URLs, 404 for its posts through their own (page, card, every action); nothing changes', async () => {
    const budi = await signedIn('budi');
    const post = await dead();
    await budi.get('/admin/o/kanim-medan/');
    expect((await budi.get(`${BASE}/${post.id}`)).statusCode).toBe(403);
    expect((await budi.post(`${BASE}/${post.id}/retry`, { revision: '1' })).statusCode).toBe(403);
    const theirs = `/admin/o/kanim-medan/posts/${post.id}`;
    expect((await budi.get(theirs)).statusCode).toBe(404);
    expect((await budi.get(`${theirs}/card/1`)).statusCode).toBe(404);
    await budi.get('/admin/o/kanim-medan/posts');
    for (const action of ['skip', 'retry', 'posted-by-hand', 'not-posted']) {
      expect([action, (await budi.post(`${theirs}/${action}`, { revision: '1' })).statusCode]).toEqual([action, 404]);
    }
    expect((await budi.get('/admin/o/kanim-medan/posts')).body).not.toContain(post.id);
    expect((await getPostHistory(ctx.store, post.id)).map((each) => each.state)).toEqual(['dead']);
    expect(await listAudit(ctx.store, { officeIds: ['kanim-medan', OFFICE] })).toEqual([]);
  });

  it('refuses an action without the CSRF token or with a forged one (403); nothing changes', async () => {
    const ani = await signedIn('ani');
    const post = await dead();
    await ani.get(`${BASE}/${post.id}`);
    for (const token of [undefined, 'forged']) {
      const response = await ani.request('POST', `${BASE}/${post.id}/retry`, { revision: '1', ...(token === undefined ? {} : { _csrf: token }) });
      expect(response.statusCode).toBe(403);
    }
    expect((await getPostHistory(ctx.store, post.id)).map((each) => each.state)).toEqual(['dead']);
  });
});
