/**
 * An opening added through the web form without a code (the bug fixed in
 * console/edit `addOpening`: the loader's default id was written, and refused),
 * end to end over HTTP on SQLite: the review, the saved revision with the code
 * made from the opening time, the calendar, the bot's next plan and the
 * preview page rendering its captions and cards.
 */
import type { FastifyInstance } from 'fastify';
import { getCurrentRevision } from '../../src/store/config-revisions';
import { listPosts } from '../../src/store/ledger';
import { addUser, Browser } from '../support/web';
import { buildCalendarServer, NOW, replanCurrent, SAMPLE_OFFICE, startCalendarOffices } from './calendar-fixture';
import { hidden, save, section } from './edit-steps';
import { useFileStore } from './file-store';

const BASE = `/admin/o/${SAMPLE_OFFICE}`;
const URL = `${BASE}/edit/opening/new`;
const CODE = 'pembukaan-2026-12-12-1000';

describe('web/console adding an opening without a code (sqlite)', () => {
  const db = useFileStore();
  let app: FastifyInstance;
  let eka: Browser;

  beforeAll(async () => {
    await startCalendarOffices(db.store);
    app = await buildCalendarServer(db.store);
    await addUser(db.store, 'eka', { [SAMPLE_OFFICE]: 'editor' });
    eka = new Browser(app);
    expect((await eka.login('eka')).statusCode).toBe(303);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reviews, saves, shows on the calendar, plans and renders an opening whose code field was left empty', async () => {
    const form = await eka.get(URL);
    expect(form.body).toContain('Kosongkan untuk dibuat dari tanggal dan jam, mis. pembukaan-2027-01-15-0900.');
    // A Sunday: the weekly rule covers Monday to Friday.
    const fields = { baseRevisionId: hidden(form.body, 'baseRevisionId'), id: '', opensDate: '2026-12-12', opensTime: '10:00', closesTime: '', day1: '2026-12-13', 'count.regular': '35', 'count.express': '', note: 'Kuota tambahan tanpa kode' };
    const review = await eka.post(URL, fields);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain(`Konsol: tambah pembukaan ${CODE} (2026-12-12 10:00)`);
    expect(section(review.body, 'review-added')).toContain(`<code>${CODE}</code>`);

    const saved = await save(eka, URL, review);
    expect(saved.statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;
    expect(current).toMatchObject({ author: 'eka', message: `Konsol: tambah pembukaan ${CODE} (2026-12-12 10:00)` });
    expect(current.files['calendar.yaml']).toContain(`  - id: ${CODE}\n    opensAt: "2026-12-12 10:00"\n    days:\n      - { date: 2026-12-13, quota: { regular: 35 } }\n    note: Kuota tambahan tanpa kode\n`);

    const calendar = await eka.get(saved.headers.location as string);
    expect(/<article[^>]*id="o-pembukaan-2026-12-12-1000"[\s\S]*?<\/article>/.exec(calendar.body)?.[0]).toContain('Kuota tambahan tanpa kode');

    await replanCurrent(db.store, current.files, NOW);
    const posts = await listPosts(db.store, { releaseIds: [CODE] });
    expect(posts.map((post) => `${post.ruleId}/${post.channelId}/${post.state}`).sort()).toEqual(['h-1/instagram/planned', 'h-1/x/planned', 'h-60m/instagram/planned', 'h-60m/x/planned', 'opening/instagram/planned', 'opening/x/planned']);

    // The preview renders its captions and cards from the saved revision.
    const preview = await eka.get(`${BASE}/preview?from=2026-12-11&to=2026-12-12`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Kuota tambahan tanpa kode');
    const post = [...preview.body.matchAll(/<article class="post"[\s\S]*?<\/article>/g)].map((match) => match[0]).find((article) => article.includes('Kuota tambahan tanpa kode') && article.includes('<img src='));
    const card = /<img src="([^"]+)"/.exec(post ?? '')?.[1];
    expect(card).toMatch(/\/preview\/card\//);
    const image = await eka.get(card!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toMatch(/^image\/(png|jpeg)/);
  }, 60_000);
});
