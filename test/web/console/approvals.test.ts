/**
 * The approval page over HTTP (fastify.inject) on SQLite, with the sample
 * office needing approval of its opening posts, planned and rendered with the
 * real renderer: the week's set approved at once and then claimed by the bot;
 * a post rendered again or re-planned after the page was shown refused in plain
 * words; viewers, other offices and forged forms refused; revoking and history;
 * hostile text shown as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { replanInto } from '../../../src/app/replan';
import { loadAll } from '../../../src/app/load-all';
import { listAwaitingApproval, isApproved } from '../../../src/store/approvals';
import { listAudit } from '../../../src/store/audit-log';
import { claimDue } from '../../../src/store/claims';
import { markRendered, resetRendered } from '../../../src/store/ledger';
import { addUser, Browser } from '../../support/web';
import { buildConsole, formValues, HOSTILE, HOSTILE_NOTE, NOW, OFFICE, postOf, postPairs, renderForReview, useSeededOffice, WEEKLY } from './approval-office';

const PAGE = `/admin/o/${OFFICE}/approvals`;
const APPROVE = `${PAGE}/approve`;
const REVOKE = `${PAGE}/revoke`;
/** Friday 4 December 2026, 14.00 WIB: the weekly opening. */
const OPENING = new Date('2026-12-04T07:00:00Z');
/** Wednesday 2 December 2026, 10.00 WIB: the one-off opening. */
const HOSTILE_OPENING = new Date('2026-12-02T03:00:00Z');
const THIS_WEEK = { officeId: OFFICE, from: NOW, to: new Date('2026-12-07T00:00:00Z') };

describe('web/console/approvals (sqlite)', () => {
  const ctx = useSeededOffice();
  let app: FastifyInstance;

  beforeEach(async () => {
    app = await buildConsole(ctx.store, ctx.office);
    await addUser(ctx.store, 'rina', { [OFFICE]: 'approver' });
    await addUser(ctx.store, 'vivi', { [OFFICE]: 'viewer' });
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

  it('shows this week first, each post with its cut-off, caption and cards; next week not rendered yet; a viewer sees no buttons', async () => {
    const vivi = await signedIn('vivi');
    const page = await vivi.get(PAGE);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    const thisWeek = body.indexOf('Minggu ini, 30 Nov – 6 Des 2026');
    const nextWeek = body.indexOf('Minggu 7–13 Des 2026');
    expect(thisWeek).toBeGreaterThan(-1);
    expect(nextWeek).toBeGreaterThan(thisWeek);
    expect(body).toContain('4 menunggu persetujuan, 0 sudah disetujui');
    // The one-off opening on Wednesday 10.00 and the weekly one on Friday 14.00, 24 h ahead, in office time.
    expect(body).toContain('Setujui sebelum Sel 1 Des 10.00 WIB');
    expect(body).toContain('Setujui sebelum Kam 3 Des 14.00 WIB');
    expect(body).toContain('KUOTA ANTREAN PASPOR SUDAH DIBUKA');
    expect(body.slice(nextWeek)).toContain('Belum dirender: teks dan gambarnya siap ditinjau sekitar');
    // Handlebars escapes `=` in attributes; the browser reads it back as `=`.
    expect(body).toContain(`href="/admin/o/${OFFICE}/preview?from&#x3D;2026-12-04&amp;to&#x3D;2026-12-04"`);
    // A viewer reads; only approvers act.
    expect(body).toContain('hanya penyetuju (atau admin kantor) yang dapat menyetujui');
    expect(body).not.toContain('Setujui semua unggahan');
    expect(body).not.toContain(`action="${APPROVE}"`);

    // The thumbnails are the stored cards of exactly the rendering shown.
    const x = await postOf(ctx.store, 'opening', WEEKLY, 'x');
    const src = `/admin/o/${OFFICE}/posts/${x.id}/card/1?v=${x.contentHash}`;
    expect(body).toContain(`src="${src.replace('v=', 'v&#x3D;')}"`);
    const card = await vivi.get(src);
    expect([card.statusCode, card.headers['content-type']]).toEqual([200, 'image/png']);
    expect(card.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect((await vivi.get(src.replace(/v=\w+/, `v=${'0'.repeat(64)}`))).statusCode).toBe(404);
    expect((await vivi.get(src.replace('card/1', 'card/9'))).statusCode).toBe(404);
  });

  it('shows hostile text of a release note in the caption as text, never as markup', async () => {
    const body = (await (await signedIn('vivi')).get(PAGE)).body;
    expect(body).not.toContain(HOSTILE_NOTE);
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
  });

  it('an approver approves the week\'s set at once, exactly as shown; the bot then claims them at their due time (audited)', async () => {
    const rina = await signedIn('rina');
    const values = formValues((await rina.get(PAGE)).body, APPROVE);
    expect(values).toHaveLength(4);
    const response = await postPairs(rina, APPROVE, values.map((value) => ['post', value]));
    expect([response.statusCode, response.headers.location]).toEqual([303, `${PAGE}?approved=4`]);
    const after = await rina.get(response.headers.location as string);
    expect(after.body).toContain('4 unggahan disetujui.');
    expect(after.body).toContain('0 menunggu persetujuan, 4 sudah disetujui');
    expect(after.body.match(/Disetujui oleh rina, Sen 30 Nov 09\.00 WIB\./g)).toHaveLength(4);
    expect(await listAwaitingApproval(ctx.store, THIS_WEEK)).toEqual([]);
    // Approving the same again changes nothing and says so.
    const again = await postPairs(rina, APPROVE, values.slice(0, 1).map((value) => ['post', value]));
    expect(again.headers.location).toBe(`${PAGE}?approved=0&already=1`);

    // The bot sends them: at each opening its posts are due and claimable.
    const claim = async (now: Date): Promise<string[]> =>
      (await claimDue(ctx.store, { now, owner: 'bot-1', leaseMs: 120_000, limit: 20 })).filter((post) => post.ruleId === 'opening').map((post) => `${post.subject} ${post.channelId}`).sort();
    expect(await claim(HOSTILE_OPENING)).toEqual([`${HOSTILE} instagram`, `${HOSTILE} x`]);
    expect(await claim(OPENING)).toEqual([`${WEEKLY} instagram`, `${WEEKLY} x`]);
    const audit = await listAudit(ctx.store, { officeIds: [OFFICE] });
    expect(audit.map((entry) => [entry.userName, entry.action, (entry.detail.posts as { outcome: string }[]).map((each) => each.outcome)])).toEqual([
      ['rina', 'approvals.approve', ['already-approved']],
      ['rina', 'approvals.approve', ['approved', 'approved', 'approved', 'approved']],
    ]);
    // The record names what was approved: the content hash shown.
    expect((audit[1]!.detail.posts as { contentHash: string }[]).map((each) => each.contentHash)).toEqual(values.map((value) => value.split('.')[2]));
  });

  it('refuses, per post and in plain words, a post rendered again with other content or re-planned after the page was shown; approves the rest', async () => {
    const rina = await signedIn('rina');
    const values = formValues((await rina.get(PAGE)).body, APPROVE);
    const hostileX = await postOf(ctx.store, 'opening', HOSTILE, 'x');

    // After the page was shown: the one-off opening's X post is rendered again into other text…
    await resetRendered(ctx.store, NOW, [OFFICE]);
    await markRendered(ctx.store, { id: hostileX.id, revision: hostileX.revision }, JSON.stringify({ text: 'Teks lain yang belum dilihat penyetuju', media: [] }), NOW);
    await renderForReview(ctx.store, ctx.office);
    // …and the weekly opening's quota changes: a new revision of both its posts.
    const calendar = path.join(ctx.office.configDir, 'calendar.yaml');
    const original = fs.readFileSync(calendar, 'utf8');
    try {
      fs.writeFileSync(calendar, original.replace('quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }'));
      const changed = loadAll(ctx.office.configDir, { now: NOW });
      await replanInto(ctx.store, changed.loaded!.config, NOW);
    } finally {
      fs.writeFileSync(calendar, original);
    }

    const response = await postPairs(rina, APPROVE, values.map((value) => ['post', value]));
    expect(response.headers.location).toMatch(/^\/admin\/o\/kanim-pontianak\/approvals\?approved=1&refused=/);
    const body = (await rina.get(response.headers.location as string)).body;
    expect(body).toContain('1 unggahan disetujui.');
    expect(body).toContain('3 unggahan tidak dapat disetujui:');
    expect(body).toContain('opening ke x (jadwal Rab 2 Des 10.00 WIB): teks atau gambarnya berubah sejak halaman ini ditampilkan. Tinjau lagi lalu setujui.');
    expect(body).toContain('opening ke instagram (jadwal Jum 4 Des 14.00 WIB): isinya berubah sejak halaman ini ditampilkan (data pembukaan kuota diperbarui).');
    expect(body).toContain('opening ke x (jadwal Jum 4 Des 14.00 WIB): isinya berubah sejak halaman ini ditampilkan');
    expect(await isApproved(ctx.store, await postOf(ctx.store, 'opening', HOSTILE, 'x'))).toBe(false);
    expect(await isApproved(ctx.store, await postOf(ctx.store, 'opening', HOSTILE, 'instagram'))).toBe(true);
  });

  it('revokes an approval: the post awaits again, "revoked by" shown, the history says who and when; revoking again is refused in plain words', async () => {
    const rina = await signedIn('rina');
    const x = await postOf(ctx.store, 'opening', WEEKLY, 'x');
    const one = formValues((await rina.get(PAGE)).body, APPROVE).find((value) => value.startsWith(`${x.id}.`))!;
    expect((await postPairs(rina, APPROVE, [['post', one]])).headers.location).toBe(`${PAGE}?approved=1`);
    ctx.office.clock.set(new Date(NOW.getTime() + 30 * 60_000));
    const revoked = await rina.post(REVOKE, { post: x.id, revision: String(x.revision) });
    expect(revoked.headers.location).toBe(`${PAGE}?revoked=${x.id}`);
    const body = (await rina.get(revoked.headers.location as string)).body;
    expect(body).toContain('Persetujuan dicabut: unggahan ini ditahan sampai disetujui lagi.');
    expect(body).toContain('Persetujuan oleh rina dicabut oleh rina (Sen 30 Nov 09.30 WIB): perlu disetujui lagi.');
    expect(body).toContain('Riwayat persetujuan (1)');
    expect(body).toMatch(/<th scope="row">rina<\/th><td><time datetime="2026-11-30T02:00:00.000Z">Sen 30 Nov 09.00 WIB<\/time><\/td><td>1<\/td><td>rina, Sen 30 Nov 09.30 WIB<\/td>/);
    expect(await isApproved(ctx.store, x)).toBe(false);

    const again = await rina.post(REVOKE, { post: x.id, revision: String(x.revision) });
    const refused = (await rina.get(again.headers.location as string)).body;
    expect(refused).toContain('Persetujuan tidak dapat dicabut: opening ke x (jadwal Jum 4 Des 14.00 WIB): tidak ada persetujuan yang berlaku');
    expect((await listAudit(ctx.store, { officeIds: [OFFICE] })).map((entry) => [entry.action, entry.detail.outcome])).toEqual([
      ['approvals.revoke', 'refused'],
      ['approvals.revoke', 'revoked'],
      ['approvals.approve', undefined],
    ]);
  });

  it('a viewer cannot approve or revoke (403); another office\'s user gets 403 here, and "not found" for these posts through their own office (IDOR); nothing is approved', async () => {
    const rina = await signedIn('rina');
    const values = formValues((await rina.get(PAGE)).body, APPROVE);
    const vivi = await signedIn('vivi');
    await vivi.get(PAGE);
    expect((await postPairs(vivi, APPROVE, values.map((value) => ['post', value]))).statusCode).toBe(403);
    expect((await vivi.post(REVOKE, { post: values[0]!.split('.')[0]!, revision: '1' })).statusCode).toBe(403);

    const budi = await signedIn('budi');
    await budi.get('/admin/o/kanim-medan/');
    expect((await budi.get(PAGE)).statusCode).toBe(403);
    expect((await postPairs(budi, APPROVE, values.map((value) => ['post', value]))).statusCode).toBe(403);
    const foreign = await postPairs(budi, '/admin/o/kanim-medan/approvals/approve', values.map((value) => ['post', value]));
    expect(foreign.headers.location).toMatch(/^\/admin\/o\/kanim-medan\/approvals\?approved=0&refused=[^&]*\.not-found/);
    const words = (await budi.get(foreign.headers.location as string)).body;
    expect(words).toContain('4 unggahan tidak dapat disetujui:');
    expect(words).toContain('unggahan ini tidak ditemukan di kantor ini.');
    // Nothing of the other office's posts leaks into the words.
    expect(words).not.toContain('KUOTA ANTREAN');
    expect(words).not.toMatch(/opening ke/);
    const revoke = await budi.post('/admin/o/kanim-medan/approvals/revoke', { post: values[0]!.split('.')[0]!, revision: '1' });
    expect(revoke.headers.location).toMatch(/revokeRefused=\w+\.not-found$/);
    expect(await listAwaitingApproval(ctx.store, THIS_WEEK)).toHaveLength(4);
  });

  it('refuses a form post without the CSRF token or with a forged one (403), and a malformed post value (400); nothing is approved', async () => {
    const rina = await signedIn('rina');
    const values = formValues((await rina.get(PAGE)).body, APPROVE);
    for (const token of ['', 'forged-token']) {
      rina.csrf = token;
      const response = await postPairs(rina, APPROVE, values.map((value) => ['post', value]));
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('Formulir kedaluwarsa');
    }
    await rina.get(PAGE);
    expect((await postPairs(rina, APPROVE, [['post', `${values[0]!.split('.')[0]}.1`]])).statusCode).toBe(400);
    expect((await postPairs(rina, APPROVE, [['post', '"><script>.1.x']])).statusCode).toBe(400);
    expect(await listAwaitingApproval(ctx.store, THIS_WEEK)).toHaveLength(4);
  });

  it('after the cut-off a post is held and says so, still approvable until its deadline', async () => {
    ctx.office.clock.set(new Date('2026-12-01T05:00:00Z')); // Tuesday 12.00 WIB, two hours after the one-off opening's cut-off
    const body = (await (await signedIn('rina')).get(PAGE)).body;
    expect(body).toContain('Batas persetujuan Sel 1 Des 10.00 WIB sudah lewat: unggahan ini ditahan.');
    expect(body).toMatch(/Masih dapat disetujui sampai Rab 2 Des \d\d\.\d\d WIB\./);
  });
});

describe('web/console/approvals without settings.approval (sqlite)', () => {
  const ctx = useSeededOffice({ approval: false, render: false });

  it('explains how to turn approval on', async () => {
    const app = await buildConsole(ctx.store, ctx.office);
    try {
      await addUser(ctx.store, 'vivi', { [OFFICE]: 'viewer' });
      const browser = new Browser(app);
      await browser.login('vivi');
      const body = (await browser.get(PAGE)).body;
      expect(body).toContain('Persetujuan belum dinyalakan');
      expect(body).toContain('approval: { required: true, hoursBefore: 24 }');
      expect(body).not.toContain('Tidak ada unggahan yang perlu disetujui');
      expect((await browser.get(`${PAGE}?lang=en`)).body).toContain('Approval is not turned on');
    } finally {
      await app.close();
    }
  });
});
