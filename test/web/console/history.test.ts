/**
 * The config history page over HTTP (src/web/console/history/) on SQLite with
 * real revisions: who, when, message, state and the diff with visible +/−
 * markers; revert makes a new revision by the signed-in user (audited) and
 * says how it went; viewers cannot revert; another office's revision cannot
 * be reverted from this office's URL; hostile messages are inert.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../../src/store/audit-log';
import { getCurrentRevision } from '../../../src/store/config-revisions';
import { useTestStore } from '../../support/databases';
import { addUser, Browser } from '../../support/web';
import { BOVEN, buildServer, MERAUKE, NOW, officeFiles, recordRevision, tempDir, writeTwoOffices } from './two-offices';

const HISTORY = `/admin/o/${MERAUKE}/history`;
const CALENDAR = `offices/${MERAUKE}/calendar.yaml`;
const HOSTILE = '<script>alert("x")</script> kuota reguler <img src=x onerror=alert(1)>';
const later = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

describe('web/console/history (sqlite)', () => {
  let dir: string;
  // The revisions and users, written once: each test gets a copy of that database.
  const db = useTestStore('sqlite', {
    seed: async (store) => {
      const files = officeFiles(dir, MERAUKE);
      const revisions = {
        first: await recordRevision(store, dir, MERAUKE, files, { author: 'files', message: 'start' }),
        bovenFirst: await recordRevision(store, dir, BOVEN, officeFiles(dir, BOVEN), { author: 'files', message: 'start' }),
        second: 0,
      };
      const raised = { ...files, [CALENDAR]: files[CALENDAR]!.replace('reguler: 60', 'reguler: 80') };
      expect(raised[CALENDAR]).not.toBe(files[CALENDAR]);
      revisions.second = await recordRevision(store, dir, MERAUKE, raised, { author: 'budi', message: HOSTILE }, later(5));
      await addUser(store, 'ani', { [MERAUKE]: 'editor', [BOVEN]: 'viewer' });
      await addUser(store, 'vera', { [MERAUKE]: 'viewer' });
      return revisions;
    },
  });
  let scratch: string;
  let app: FastifyInstance;
  let first: number;
  let second: number;
  let bovenFirst: number;

  beforeAll(() => {
    dir = writeTwoOffices();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    scratch = tempDir('herald-web-history-');
    ({ first, bovenFirst, second } = db.seeded);
    app = await buildServer(db.store, dir, scratch);
  });
  afterEach(async () => {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function signedIn(name: string): Promise<Browser> {
    const browser = new Browser(app);
    expect((await browser.login(name)).statusCode).toBe(303);
    return browser;
  }

  it('lists every revision with who, when, message, state and a diff with visible markers; the message is inert; a viewer cannot revert', async () => {
    const vera = await signedIn('vera');
    const page = await vera.get(HISTORY);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body.indexOf(`Revisi ${second}<`)).toBeLessThan(body.indexOf(`Revisi ${first}<`));
    expect(body).toContain('oleh budi');
    expect(body).toContain('Sen 14 Des 09.05 WIT');
    expect(body).toContain('✔ Berlaku sekarang');
    expect(body).toContain('Lolos pemeriksaan, tidak berlaku');
    expect(body).toContain(`dibuat dari revisi ${first}`);
    // The message is text, not markup.
    expect(body).not.toMatch(/<script>alert|<img src=x/);
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; kuota reguler &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    // The changed line, removed and added, each with its marker and its words for screen readers.
    expect(body).toMatch(/<span class="marker" aria-hidden="true">−<\/span><del><span class="visually-hidden">dihapus \d+: <\/span> {4}quota: \{ reguler: 60,/);
    expect(body).toMatch(/<span class="marker" aria-hidden="true">\+<\/span><ins><span class="visually-hidden">ditambah \d+: <\/span> {4}quota: \{ reguler: 80,/);
    expect(body).toContain(`<code>${CALENDAR}</code>`);
    // Viewers see no revert button, and the route refuses them.
    expect(body).not.toContain('/revert');
    const refused = await vera.post(`${HISTORY}/${first}/revert`);
    expect(refused.statusCode).toBe(403);
    expect((await getCurrentRevision(db.store, MERAUKE))!.id).toBe(second);
  }, 60_000);

  it('revert makes a new current revision by the user, audited, and the page says so; CSRF and another office’s revision are refused', async () => {
    const ani = await signedIn('ani');
    const page = await ani.get(HISTORY);
    expect(page.body).toContain(`action="${HISTORY}/${first}/revert"`);
    expect(page.body).not.toContain(`action="${HISTORY}/${second}/revert"`);

    expect((await ani.request('POST', `${HISTORY}/${first}/revert`, {})).statusCode).toBe(403);
    // Boven's revision through Merauke's URL: not this office's (and ani only views Boven).
    expect((await ani.post(`${HISTORY}/${bovenFirst}/revert`)).statusCode).toBe(404);
    expect((await ani.post(`/admin/o/${BOVEN}/history/${bovenFirst}/revert`)).statusCode).toBe(403);
    expect((await ani.post(`${HISTORY}/999999/revert`)).statusCode).toBe(404);
    expect((await getCurrentRevision(db.store, MERAUKE))!.id).toBe(second);

    const reverted = await ani.post(`${HISTORY}/${first}/revert`);
    expect(reverted.statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, MERAUKE))!;
    expect(current).toMatchObject({ parentId: second, author: 'ani', message: `Dikembalikan ke revisi ${first} dari konsol`, valid: true });
    expect(current.id).toBeGreaterThan(second);
    expect(current.files[CALENDAR]).toContain('reguler: 60');
    expect(reverted.headers.location).toBe(`${HISTORY}?revert=${first}&status=current&revision=${current.id}`);
    const after = await ani.get(reverted.headers.location as string);
    expect(after.body).toContain(`Revisi ${current.id} dibuat dengan isi revisi ${first} dan berlaku sekarang.`);
    expect(after.body).toMatch(new RegExp(`id="rev-${current.id}" class="revision state-current"`));
    expect((await listAudit(db.store, { officeIds: [MERAUKE] })).map((entry) => [entry.action, entry.userName, entry.detail])).toEqual([
      ['config.revert', 'ani', { revisionId: first, status: 'current', newRevisionId: current.id }],
    ]);

    // The same revert again: its files are the current ones; nothing is recorded.
    const again = await ani.post(`${HISTORY}/${first}/revert`);
    expect(again.headers.location).toBe(`${HISTORY}?revert=${first}&status=unchanged&revision=${current.id}`);
    expect((await ani.get(again.headers.location as string)).body).toContain(`Isi revisi ${first} sudah sama dengan revisi yang berlaku (${current.id}); tidak ada yang dicatat.`);
    expect((await getCurrentRevision(db.store, MERAUKE))!.id).toBe(current.id);
  }, 60_000);

  it('a rejected revision shows its problems in plain words, and reverting to it is recorded as rejected while the current one stays', async () => {
    const files = (await getCurrentRevision(db.store, MERAUKE))!.files;
    const broken = await recordRevision(db.store, dir, MERAUKE, { ...files, [CALENDAR]: files[CALENDAR]!.replace('reguler: 80', 'reguler: -5') }, { author: 'citra', message: 'salah ketik' }, later(9));
    const ani = await signedIn('ani');
    const page = await ani.get(HISTORY);
    expect(page.body).toMatch(new RegExp(`id="rev-${broken}" class="revision state-rejected"`));
    expect(page.body).toContain('✖ Ditolak');
    expect(page.body).toContain('Jumlah kuota tidak boleh negatif');
    expect(page.body).toContain(`${CALENDAR}:`);

    const reverted = await ani.post(`${HISTORY}/${broken}/revert`);
    const location = reverted.headers.location as string;
    const made = Number(/revision=(\d+)/.exec(location)![1]);
    expect(location).toBe(`${HISTORY}?revert=${broken}&status=rejected&revision=${made}`);
    const after = await ani.get(location);
    expect(after.body).toContain(`Revisi ${made} (isi revisi ${broken}) dicatat tetapi ditolak`);
    expect(after.body).toMatch(/class="error" role="alert"/);
    expect((await getCurrentRevision(db.store, MERAUKE))!.id).toBe(second);

    // A made-up outcome link about another office's revision says nothing.
    const forged = await ani.get(`${HISTORY}?revert=${bovenFirst}&status=current&revision=${bovenFirst}`);
    expect(forged.body).not.toContain('berlaku sekarang.');
  }, 60_000);
});
