/**
 * The two offices the console tests look at: the sample office (config/,
 * Pontianak, WIB, weekly, two services) and one unlike it: Jayapura (WIT),
 * a monthly release on the last working day, five services, a long name, an
 * opening at midnight and an X channel with a daily cap of 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll, templatesFor, type Loaded } from '../../src/app/load-all';
import { replanInto } from '../../src/app/replan';
import { claimDue, markFailed, markPublished } from '../../src/store/claims';
import { listPosts, markRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import type { LedgerPost } from '../../src/store/types';
import type { ConsoleOffice } from '../../src/console/office-input';
import { REPO_ROOT } from '../support/cli';

export function at(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`bad instant ${iso}`);
  return date;
}

function loadOrThrow(dir: string, now: Date, templatesDir?: string): Loaded {
  const { loaded, problems } = loadAll(dir, { now, ...(templatesDir ? { templatesDir } : {}) });
  if (!loaded) throw new Error(`fixture config does not load:\n${problems.map((p) => p.message).join('\n')}`);
  return loaded;
}

export function consoleOffice(loaded: Loaded): ConsoleOffice {
  const officeId = loaded.config.offices[0]!.id;
  return { config: loaded.config, officeId, templates: templatesFor(loaded, officeId) };
}

/**
 * Each config loaded once per instant in a test file: a load takes ~0.1 s and
 * the tests load the same one at the same few instants again and again. A
 * Loaded is only read (its Config is deep-frozen by the loader).
 */
const loads = new Map<string, Loaded>();

function loadOnce(key: string, now: Date, load: () => Loaded): Loaded {
  const id = `${key}@${now.toISOString()}`;
  let loaded = loads.get(id);
  if (!loaded) {
    loaded = load();
    loads.set(id, loaded);
  }
  return loaded;
}

export function loadSample(now: Date): Loaded {
  return loadOnce('sample', now, () => loadOrThrow(path.join(REPO_ROOT, 'config'), now));
}

/** 83 characters: long, but within what posts have room for (100). */
export const JAYAPURA_NAME = 'Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Jayapura, Kantor Wilayah Papua';

const JAYAPURA_HERALD = `office:
  id: kanim-jayapura
  name: ${JAYAPURA_NAME}
  shortName: Imigrasi Jayapura
  timezone: Asia/Jayapura
  locale: id-ID
  info:
    bookingChannel: aplikasi M-Paspor
    hashtags: [ImigrasiJayapura]
services:
  - { id: reguler, name: Paspor Reguler, shortName: Reguler }
  - { id: percepatan, name: Paspor Percepatan, shortName: Cepat }
  - { id: lansia, name: Lansia dan Disabilitas, shortName: Lansia }
  - { id: umroh, name: Paspor Umroh dan Haji, shortName: Umroh }
  - { id: pmi, name: Pekerja Migran Indonesia, shortName: PMI }
holidays:
  country: ID
channels:
  - { id: ig, driver: outbox, platform: instagram }
  - { id: x-papua, driver: outbox, platform: x, dailyCap: 1 }
announcements:
  - id: h-1
    when: { daysBefore: 1, at: "19:00" }
    channels: [ig, x-papua]
    template: h-1
  - id: opening
    when: { atOpening: true }
    channels: [ig, x-papua]
    template: opening
settings:
  horizonDays: 35
`;

const JAYAPURA_CALENDAR = `recurring:
  - id: bulanan
    monthly: { day: last-working-day, monthsAhead: 1 }
    at: "09:00"
    serviceWeekdays: [monday, tuesday, wednesday, thursday, friday]
    quota: { reguler: 200, percepatan: 35, lansia: 20, umroh: 15, pmi: 10 }
    from: 2026-11-01
    until: 2027-01-31
releases:
  - id: tengah-malam
    opensAt: "2026-12-15 00:00"
    days:
      - { date: 2026-12-21, quota: { reguler: 50 } }
    note: Dibuka tepat tengah malam
closures:
  - { date: 2026-12-24, reason: Cuti bersama Hari Raya Natal }
`;

export function loadJayapura(now: Date): Loaded {
  return loadOnce('jayapura', now, () => writeAndLoadJayapura(now));
}

function writeAndLoadJayapura(now: Date): Loaded {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-console-'));
  try {
    fs.writeFileSync(path.join(dir, 'herald.yaml'), JAYAPURA_HERALD);
    fs.writeFileSync(path.join(dir, 'calendar.yaml'), JAYAPURA_CALENDAR);
    return loadOrThrow(dir, now, path.join(REPO_ROOT, 'templates'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Plans the office into the ledger as the bot does at `now`. */
export async function planInto(store: Store, loaded: Loaded, now: Date): Promise<void> {
  await replanInto(store, loaded.config, now);
}

/** The current ledger post of `rule` about `subject` on `channel`. */
export async function postOf(store: Store, officeId: string, rule: string, subject: string, channel: string): Promise<LedgerPost> {
  const post = (await listPosts(store, { officeId, channelId: channel })).find((each) => each.ruleId === rule && each.subject === subject);
  if (!post) throw new Error(`no post ${rule} ${subject} ${channel}`);
  return post;
}

/**
 * Renders and claims one post at its due time, as the scheduler would; the
 * caller then records the outcome. Only this post is rendered, so only it is claimed.
 */
async function claimAtDue(store: Store, post: LedgerPost, text: string): Promise<{ id: string; revision: number; owner: string }> {
  const rendered = await markRendered(store, { id: post.id, revision: post.revision }, JSON.stringify({ text, media: [] }), post.dueAt);
  if (!rendered) throw new Error(`post ${post.id} could not be rendered`);
  const claimed = await claimDue(store, { now: post.dueAt, owner: 'test-worker', leaseMs: 120_000, limit: 10 });
  if (!claimed.some((each) => each.id === post.id)) throw new Error(`post ${post.id} was not claimed (claimed: ${claimed.map((each) => each.id).join(', ')})`);
  return { id: post.id, revision: post.revision, owner: 'test-worker' };
}

export async function publish(store: Store, post: LedgerPost, result: { remoteId: string; url: string | null; text?: string }): Promise<void> {
  const claim = await claimAtDue(store, post, result.text ?? 'Kuota paspor dibuka');
  await markPublished(store, claim, { remoteId: result.remoteId, url: result.url, publishedAt: new Date(post.dueAt.getTime() + 2_000) });
}

export async function fail(store: Store, post: LedgerPost, state: 'dead' | 'unknown' | 'expired', error: string): Promise<void> {
  const claim = await claimAtDue(store, post, 'Kuota paspor dibuka');
  await markFailed(store, claim, { state, error, retryAt: null }, new Date(post.dueAt.getTime() + 5_000));
}
