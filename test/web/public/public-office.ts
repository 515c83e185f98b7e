/**
 * The sample office (kanim-pontianak, WIB) as the public pages see it on
 * Friday 4 December 2026 at 12.58 WIB, two minutes before the weekly opening's
 * "one hour before" post: its files the current config revision, and a week
 * of posts published as the bot publishes them (rendered with the real
 * renderer at their due time, cards stored, claimed, published):
 *
 * - a one-off opening on Wednesday 2 December whose note is hostile markup
 *   (it reaches the captions): its h-1, h-60m (sent to the outbox: a dry run)
 *   and opening posts;
 * - the weekly opening's h-1 on Thursday 3 December at 19.00, then staff cut
 *   its regular quota from 120 to 100: a correction on both channels;
 * - the weekly opening's h-60m rendered at 12.50 but not published yet (its
 *   code must find nothing).
 *
 * The revision names real drivers (Instagram, X), so the office is not a demo;
 * the posts are planned and rendered from the same files with the outbox in
 * their place (the renderer needs no credentials).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadAll, type Loaded } from '../../../src/app/load-all';
import { replanInto } from '../../../src/app/replan';
import { readOfficeFiles, checkRevisionFiles } from '../../../src/app/revision-files';
import { buildRuntime } from '../../../src/app/runtime';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import { createSilentLogger } from '../../../src/logger';
import { verifyCode } from '../../../src/render/verify-code';
import { createRenderAhead } from '../../../src/schedule/render-ahead';
import { claimDue, markPublished } from '../../../src/store/claims';
import { createRevision, getCurrentRevision } from '../../../src/store/config-revisions';
import { listPosts } from '../../../src/store/ledger';
import type { Store } from '../../../src/store/open';
import type { LedgerPost } from '../../../src/store/types';
import { buildWebServer } from '../../../src/web/server';
import type { OfficeSummary } from '../../../src/web/offices';
import { REPO_ROOT } from '../../support/cli';

export const OFFICE = 'kanim-pontianak';
export const OFFICE_NAME = 'Kantor Imigrasi Kelas I TPI Pontianak';
export const SEEDED = new Date('2026-11-30T02:00:00Z');
/** Friday 4 December 2026, 12.58 WIB. */
export const WEB_NOW = new Date('2026-12-04T05:58:00Z');
export const WEEKLY = 'mingguan@2026-12-04';
export const HOSTILE = 'tamu-khusus';
export const HOSTILE_NOTE = '<script>alert("catatan")</script><img src=x onerror=alert(2)>';
export const ADDRESS = 'Jl. Letjend. Sutoyo, Pontianak <b>Kalbar</b>';

export const SERVED: readonly OfficeSummary[] = [{ id: OFFICE, name: OFFICE_NAME, timezone: 'Asia/Pontianak', locale: 'id-ID' }];

const HOSTILE_RELEASE = `  - id: ${HOSTILE}
    opensAt: "2026-12-02 10:00"
    days:
      - { date: 2026-12-05, quota: { regular: 40 } }
    note: '${HOSTILE_NOTE}'
`;

const REAL_CHANNELS = `channels:
  - { id: instagram, driver: instagram, platform: instagram, accountId: "17841400000000000", credentials: { accessToken: IG_ACCESS_TOKEN } }
  - { id: x, driver: x, platform: x, credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }
`;

export interface PublicOffice {
  dir: string;
  /** The files as published: real drivers (the revision). */
  realDir: string;
  /** The same with outbox channels: what the fixture plans and renders with. */
  demoDir: string;
  cleanup(): void;
}

/** Codes of what the seed made (the same in every copy of its database). */
export interface PublicSeed {
  hostileH1: string;
  dryRunH60m: string;
  weeklyH1: string;
  correction: string;
  /** Rendered, not published. */
  readyH60m: string;
}

function edit(file: string, change: (text: string) => string): void {
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the sample ${path.basename(file)} changed: update test/web/public/public-office.ts`);
  fs.writeFileSync(file, after);
}

export function writePublicOffice(): PublicOffice {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-public-'));
  const demoDir = path.join(dir, 'demo');
  const realDir = path.join(dir, 'real');
  for (const target of [demoDir, realDir]) {
    fs.cpSync(path.join(REPO_ROOT, 'config'), target, { recursive: true });
    edit(path.join(target, 'herald.yaml'), (text) => text.replace('    website: pontianak.imigrasi.go.id\n', `    website: pontianak.imigrasi.go.id\n    address: '${ADDRESS}'\n    phone: (0561) 734081\n`));
    edit(path.join(target, 'calendar.yaml'), (text) => text.replace(/^releases:\n/m, `releases:\n${HOSTILE_RELEASE}`));
  }
  edit(path.join(realDir, 'herald.yaml'), (text) =>
    text.replace(/^channels:\n( {2}- .*\n)+/m, REAL_CHANNELS).replace(/^settings:\n/m, 'settings:\n  mediaServer: { publicBaseUrl: "https://media.example.go.id/herald", host: 127.0.0.1, port: 8787 }\n'),
  );
  return { dir, realDir, demoDir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function load(dir: string, now: Date): Loaded {
  const outcome = loadAll(dir, { now });
  if (!outcome.loaded) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
  return outcome.loaded;
}

/** Records `dir`'s files as the office's current revision (what the pages read). */
export async function recordRevision(store: Store, dir: string, now: Date): Promise<void> {
  const [files] = readOfficeFiles(dir, { now });
  const checked = checkRevisionFiles(files!.files, { sourceDir: dir, now, officeId: OFFICE });
  if (!checked.loaded) throw new Error(checked.problems.map((p) => p.message).join('\n'));
  const parent = await getCurrentRevision(store, OFFICE);
  await createRevision(store, { officeId: OFFICE, parentId: parent?.id ?? null, author: 'files', message: 'public fixture', files: files!.files, problems: checked.problems }, now);
}

/** Posts published so far by this process (their live links differ). */
let published = 0;

/** The post's live link on its platform, as the drivers record it. */
function liveUrl(post: LedgerPost, n: number): string {
  return post.channelId === 'x' ? `https://x.com/imigrasiptk/status/18620000000000000${n}` : `https://www.instagram.com/p/DKq${n}Xyz/`;
}

/**
 * Publishes, in due order, every post due before `until`, each at its due
 * time (rendered just before, as render-ahead does). `dryRun` picks the posts
 * that went to the outbox instead.
 */
async function publishUntil(store: Store, office: { loaded: Loaded; clock: VirtualClock; mediaRoot: string }, until: Date, dryRun: (post: LedgerPost) => boolean): Promise<void> {
  const runtime = buildRuntime(office.loaded, { clock: office.clock, logger: createSilentLogger(), outboxDir: office.mediaRoot, env: {}, fetch }, 1);
  const renderAhead = createRenderAhead({
    store,
    clock: office.clock,
    logger: createSilentLogger(),
    runtime: () => runtime,
    owner: 'public-fixture',
    mediaRoot: office.mediaRoot,
    alert: (alert) => {
      throw new Error(alert.message);
    },
  });
  for (;;) {
    const [next] = await listPosts(store, { states: ['planned'], to: until, limit: 1 });
    if (!next) return;
    office.clock.set(next.dueAt);
    while ((await renderAhead(next.dueAt, { dueOnly: true })) > 0);
    for (const post of await claimDue(store, { now: next.dueAt, owner: 'public-fixture', leaseMs: 60_000, limit: 100 })) {
      const n = (published += 1);
      const outbox = dryRun(post);
      await markPublished(store, { id: post.id, revision: post.revision, owner: 'public-fixture' }, { remoteId: outbox ? `outbox:${post.id}` : `remote-${post.id}-${post.revision}`, url: outbox ? null : liveUrl(post, n), publishedAt: new Date(post.dueAt.getTime() + 2_000 + n) });
    }
  }
}

/** The code a post's card carries (render/verify-code.ts). */
export function codeOf(post: LedgerPost): string {
  return verifyCode({ officeId: post.officeId, ruleId: post.ruleId, subject: post.subject, fingerprint: post.fingerprint });
}

async function postCode(store: Store, rule: string, subject: string, kind?: string): Promise<string> {
  const post = (await listPosts(store, { officeId: OFFICE, channelId: 'instagram' })).find((each) => each.ruleId === rule && each.subject === subject && (!kind || each.kind === kind));
  if (!post) throw new Error(`no post ${rule} ${subject}`);
  return codeOf(post);
}

/** Seeds the week described above into `store`; takes ~10 s (cards are rendered). */
export async function seedPublicOffice(store: Store, office: PublicOffice): Promise<PublicSeed> {
  const clock = createVirtualClock(SEEDED);
  const mediaRoot = path.join(office.dir, `media-${Math.random().toString(36).slice(2)}`);
  await recordRevision(store, office.realDir, SEEDED);
  let loaded = load(office.demoDir, SEEDED);
  await replanInto(store, loaded.config, SEEDED);
  await publishUntil(store, { loaded, clock, mediaRoot }, new Date('2026-12-03T12:00:01Z'), (post) => post.subject === HOSTILE && post.ruleId === 'h-60m');

  // Thursday 20.00 WIB: the weekly regular quota is cut from 120 to 100, after its h-1 went out.
  const editedAt = new Date('2026-12-03T13:00:00Z');
  for (const dir of [office.demoDir, office.realDir]) edit(path.join(dir, 'calendar.yaml'), (text) => text.replace('quota: { regular: 120, express: 20 }\n    from: 2026-11-01', 'quota: { regular: 100, express: 20 }\n    from: 2026-11-01'));
  await recordRevision(store, office.realDir, editedAt);
  loaded = load(office.demoDir, editedAt);
  await replanInto(store, loaded.config, editedAt);
  await publishUntil(store, { loaded, clock, mediaRoot }, new Date('2026-12-04T05:00:00Z'), () => false);

  // 12.50 WIB: the weekly h-60m is rendered ahead, not yet due.
  const runtime = buildRuntime(loaded, { clock, logger: createSilentLogger(), outboxDir: mediaRoot, env: {}, fetch }, 1);
  clock.set(new Date('2026-12-04T05:50:00Z'));
  const renderAhead = createRenderAhead({ store, clock, logger: createSilentLogger(), runtime: () => runtime, owner: 'public-fixture', mediaRoot, alert: (alert) => { throw new Error(alert.message); } });
  while ((await renderAhead(clock.now())) > 0);

  return {
    hostileH1: await postCode(store, 'h-1', HOSTILE),
    dryRunH60m: await postCode(store, 'h-60m', HOSTILE),
    weeklyH1: await postCode(store, 'h-1', WEEKLY),
    correction: await postCode(store, 'correction', WEEKLY, 'correction'),
    readyH60m: await postCode(store, 'h-60m', WEEKLY),
  };
}

/** The web server on `store` at WEB_NOW (or `now`), serving the office. */
export async function buildPublicServer(store: Store, office: PublicOffice, options: { now?: Date; offices?: () => readonly OfficeSummary[] } = {}): Promise<FastifyInstance> {
  const now = options.now ?? WEB_NOW;
  return buildWebServer({
    store,
    logger: createSilentLogger(),
    clock: { now: () => now },
    offices: options.offices ?? (() => SERVED),
    settings: { secureCookies: false, trustProxy: false },
    source: { configDir: office.realDir },
    scratchDir: path.join(office.dir, 'scratch'),
  });
}
