/**
 * The database bench/console.ts measures the console on: a varied many-office
 * deployment (bench/deployment.ts) as the bot leaves it after half a year of
 * running, with half a year planned ahead — a year of posts in the ledger:
 *
 * - every office's files recorded as its first config revision, as `run` records them;
 *   the office the editor works on has a dozen more revisions (console edits of its quota);
 * - planned from `past` with a 365-day horizon (replanInto, as the bot re-plans);
 * - every post due before `now` rendered (caption and alt text by the real templates;
 *   card images are not drawn: no page shows their bytes), approved where its office
 *   needs approval, claimed and published at its due time, through the store's own
 *   functions; a few of the editor's office failed (dead, expired) for its dashboard;
 * - posts needing approval within the next week rendered (render-ahead does that),
 *   half of them approved;
 * - users: a global admin, the editor, and an admin and a viewer for every office.
 */
import { sql } from 'kysely';
import { loadDeployment, templatesFor, type Loaded } from '../src/app/load-all';
import { combineOfficeSet, updateOfficeSet } from '../src/app/office-set';
import { createFileRevisionRecorder } from '../src/app/file-revisions';
import { checkRevisionFiles } from '../src/app/revision-files';
import { replanInto } from '../src/app/replan';
import { createSilentLogger } from '../src/logger';
import { renderAltTexts, renderCaption } from '../src/render/caption';
import type { RenderedPost } from '../src/render/types';
import { mediaDirFor, plannedFromLedger } from '../src/schedule/ledger-post';
import { approvePosts } from '../src/store/approvals';
import { claimDue, markFailed, markPublished } from '../src/store/claims';
import { createRevision, getCurrentRevision } from '../src/store/config-revisions';
import { listPosts, markRendered } from '../src/store/ledger';
import type { Store } from '../src/store/open';
import type { LedgerPost } from '../src/store/types';
import { createUser } from '../src/store/users';
import { hashPassword } from '../src/web/password';
import { summarizeOffice, type OfficeSummary } from '../src/web/offices';
import { officeId, TEMPLATES } from './deployment';

export const PASSWORD = 'kata sandi bench yang panjang';
export const ADMIN = 'admin-pusat';
export const EDITOR = 'editor-kanim';
const DAY_MS = 86_400_000;

export interface ConsoleWorld {
  offices: OfficeSummary[];
  /** The office the editor works on. */
  officeId: string;
  posts: number;
  published: number;
  /** A published post and a post awaiting approval of the editor's office (for the post page). */
  publishedPostId: string;
  setupMs: number;
}

export async function buildConsoleWorld(store: Store, options: { configDir: string; past: Date; now: Date; focus: number; log: (line: string) => void }): Promise<ConsoleWorld> {
  const started = performance.now();
  const { configDir, past, now } = options;
  // A throw-away database written by ~100,000 small transactions: no fsync for each while it is built (the pages are measured with the store's own setting).
  if (store.dialect === 'sqlite') await sql`PRAGMA synchronous = OFF`.execute(store.db);
  const focusId = officeId(options.focus);
  const step = stepTimer(options.log);

  await createFileRevisionRecorder(store, { configDir, templatesDir: TEMPLATES, logger: createSilentLogger() }).record('loaded at start', past);
  await editRevisions(store, { configDir, officeId: focusId, past, now });
  step('revisions');

  const deployment = loadDeployment(configDir, { now: past, templatesDir: TEMPLATES });
  const update = updateOfficeSet(new Map(), deployment);
  if (update.broken.length > 0 || update.sharedErrors.length > 0) throw new Error(`bench config broken: ${JSON.stringify([...update.sharedErrors, ...update.broken.slice(0, 2)])}`);
  const loaded = combineOfficeSet(update.offices)!;
  const offices = loaded.config.offices.map(summarizeOffice).sort((a, b) => (a.id < b.id ? -1 : 1));
  const synced = await replanInto(store, loaded.config, past, { offices: offices.map((o) => o.id) });
  step(`planned ${synced.inserted} posts`);

  const published = await publishUntil(store, loaded, { from: past, until: now, focusId });
  step(`published ${published}`);
  await renderForApproval(store, loaded, now);
  step('rendered for approval');
  await addUsers(store, offices, focusId, past);
  step('users');

  if (store.dialect === 'sqlite') await sql`PRAGMA synchronous = FULL`.execute(store.db);
  const [publishedPost] = await listPosts(store, { officeId: focusId, states: ['published'], to: now, order: 'desc', limit: 1 });
  if (!publishedPost) throw new Error(`no published post of ${focusId}`);
  return { offices, officeId: focusId, posts: synced.inserted, published, publishedPostId: publishedPost.id, setupMs: performance.now() - started };
}

function stepTimer(log: (line: string) => void): (what: string) => void {
  let last = performance.now();
  return (what) => {
    const at = performance.now();
    log(`  setup: ${what} (${((at - last) / 1000).toFixed(1)} s)`);
    last = at;
  };
}

/** A dozen edits of the office's quota over the half year, as editors make them in the console; the last one equals the files again. */
async function editRevisions(store: Store, input: { configDir: string; officeId: string; past: Date; now: Date }): Promise<void> {
  const first = await getCurrentRevision(store, input.officeId);
  if (!first) throw new Error(`no revision of ${input.officeId}`);
  const calendar = Object.keys(first.files).find((file) => file.endsWith(`${input.officeId}/calendar.yaml`));
  if (!calendar) throw new Error(`no calendar in ${Object.keys(first.files).join(', ')}`);
  const edits = 12;
  let parent = first;
  for (let n = 1; n <= edits; n += 1) {
    const at = new Date(input.past.getTime() + ((input.now.getTime() - input.past.getTime()) * n) / (edits + 1));
    const text = n === edits ? first.files[calendar]! : first.files[calendar]!.replace(/regular: (\d+)/, (_m, q: string) => `regular: ${Number(q) + n}`);
    const files = { ...parent.files, [calendar]: text };
    const check = (f: typeof files) => checkRevisionFiles(f, { sourceDir: input.configDir, templatesDir: TEMPLATES, now: at, officeId: input.officeId }).problems;
    const created = await createRevision(store, { officeId: input.officeId, parentId: parent.id, author: EDITOR, message: `kuota reguler ${n === edits ? 'kembali' : `+${n}`}`, files, problems: check(files) }, at, { check });
    if (!created.current) throw new Error(`edit ${n} of ${input.officeId} did not become current: ${JSON.stringify(created.revision.problems)}`);
    parent = created.revision;
  }
}

/** What the renderer would store, without drawing the card: the real caption and alt texts, a card entry per alt text. */
function renderedJson(loaded: Loaded, post: LedgerPost): string {
  const templates = templatesFor(loaded, post.officeId);
  const planned = plannedFromLedger(post);
  const instagram = post.channelId.endsWith('/instagram');
  const mime = instagram ? 'image/jpeg' : 'image/png';
  const rendered: RenderedPost = {
    text: renderCaption(templates, planned),
    media: renderAltTexts(templates, planned).map((alt, index) => ({
      file: `${mediaDirFor(post)}/card${index === 0 ? '' : `-${index + 1}`}.${instagram ? 'jpg' : 'png'}`,
      mime,
      width: 1080,
      height: 1350,
      bytes: 180_000,
      alt,
      sha256: '0'.repeat(64),
    })),
  };
  return JSON.stringify(rendered);
}

/**
 * Every post due before `until`, in due order, as the scheduler would have
 * handled it: rendered, approved (offices needing approval), claimed at its
 * due time and published. Returns how many went out.
 */
async function publishUntil(store: Store, loaded: Loaded, input: { from: Date; until: Date; focusId: string }): Promise<number> {
  let published = 0;
  let failedOnPurpose = 0;
  for (let day = input.from.getTime(); day < input.until.getTime(); day += DAY_MS) {
    const to = new Date(Math.min(day + DAY_MS, input.until.getTime()));
    const due = await listPosts(store, { states: ['planned'], from: new Date(day), to });
    for (const post of due) await markRendered(store, post, renderedJson(loaded, post), new Date(post.dueAt.getTime() - 10 * 60_000));
    const needApproval = due.filter((post) => post.approveBy !== null);
    if (needApproval.length > 0) await approvePosts(store, { posts: needApproval.map(({ id, revision }) => ({ id, revision })), approver: 'approver-kanim', now: new Date(day - DAY_MS) });
    const times = [...new Set(due.map((post) => post.dueAt.getTime()))].sort((a, b) => a - b);
    for (const time of times) {
      const claimed = await claimDue(store, { now: new Date(time), owner: 'bench', leaseMs: 120_000, limit: 10_000 });
      for (const post of claimed) {
        const claim = { id: post.id, revision: post.revision, owner: 'bench' };
        // Two of the editor's office's posts never went out: what its dashboard lists for staff.
        if (post.officeId === input.focusId && post.ruleId === 'h-60m' && failedOnPurpose < 2 && to.getTime() > input.until.getTime() - 20 * DAY_MS) {
          failedOnPurpose += 1;
          const state = failedOnPurpose === 1 ? 'dead' : 'expired';
          await markFailed(store, claim, { state, error: state === 'dead' ? 'auth: the access token was revoked' : 'network: timed out', retryAt: null }, new Date(time + 5_000));
          continue;
        }
        const x = post.channelId.endsWith('/x');
        await markPublished(store, claim, { remoteId: `r-${post.id}`, url: x ? `https://x.com/imigrasi/status/${1_800_000_000_000_000_000n + BigInt(published)}` : null, publishedAt: new Date(time + 2_000) });
        published += 1;
      }
    }
  }
  return published;
}

/** As render-ahead does for offices needing approval: the next week's posts rendered for review; half approved. */
async function renderForApproval(store: Store, loaded: Loaded, now: Date): Promise<void> {
  const soon = (await listPosts(store, { states: ['planned'], from: now, to: new Date(now.getTime() + 8 * DAY_MS) })).filter((post) => post.approveBy !== null && post.approveBy.getTime() <= now.getTime() + 7 * DAY_MS);
  for (const post of soon) await markRendered(store, post, renderedJson(loaded, post), now);
  const rendered = await listPosts(store, { states: ['ready'], from: now, to: new Date(now.getTime() + 8 * DAY_MS) });
  await approvePosts(store, { posts: rendered.filter((_post, i) => i % 2 === 0).map(({ id, revision, contentHash }) => ({ id, revision, contentHash: contentHash! })), approver: 'approver-kanim', now });
}

async function addUsers(store: Store, offices: readonly OfficeSummary[], focusId: string, now: Date): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD);
  await createUser(store, { name: ADMIN, passwordHash, globalAdmin: true, roles: new Map() }, now);
  await createUser(store, { name: EDITOR, passwordHash, globalAdmin: false, roles: new Map([[focusId, 'editor']]) }, now);
  for (const office of offices) {
    await createUser(store, { name: `admin-${office.id}`, passwordHash, globalAdmin: false, roles: new Map([[office.id, 'admin']]) }, now);
    await createUser(store, { name: `staf-${office.id}`, passwordHash, globalAdmin: false, roles: new Map([[office.id, 'viewer']]) }, now);
  }
}
