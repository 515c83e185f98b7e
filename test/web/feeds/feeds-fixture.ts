/**
 * The store the feed and API tests start from: four offices as real config
 * revisions, and the sample office's posts published the bot's way
 * (test/support/public-fixture.ts).
 *
 * - kanim-pontianak: the sample config (WIB, weekly openings, a cancelled one-off).
 * - kanim-jayapura: WIT (Asia/Jayapura), many-office layout, five services.
 * - kbri-den-haag: Europe/Amsterdam, openings on both sides of the 2027 spring
 *   clock change and one spanning it: the UTC times must be exact.
 * - kanim-kosong: no openings and nothing announced.
 *
 * Posts: the sample office's announcements due from Sunday 6 to Thursday
 * 10 Dec 2026 20:00 WIB (planned by the real planner), on Instagram and X.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { planAll } from '../../../src/app/plan-all';
import { checkEdit } from '../../../src/console/edit';
import type { Config } from '../../../src/config/types';
import type { PlannedPost } from '../../../src/plan/types';
import { createRevision } from '../../../src/store/config-revisions';
import type { Store } from '../../../src/store/open';
import { buildWebServer } from '../../../src/web/server';
import { at, environment, SAMPLE_OFFICE, sampleFiles, WIT_OFFICE, witFiles } from '../../console/edit/fixtures';
import { publishPosts } from '../../support/public-fixture';

export { at, SAMPLE_OFFICE, WIT_OFFICE };
export const DST_OFFICE = 'kbri-den-haag';
export const EMPTY_OFFICE = 'kanim-kosong';

export const PLANNED_AT = at('2026-12-06T00:00+07:00');
export const NOW = at('2026-12-10T20:00+07:00');

/** Sorted by id, as WebContext.offices() gives them. */
export const FEED_OFFICES = [
  { id: WIT_OFFICE, name: 'Kantor Imigrasi Kelas I TPI Jayapura', timezone: 'Asia/Jayapura', locale: 'id-ID' },
  { id: EMPTY_OFFICE, name: 'Kantor Imigrasi Kosong', timezone: 'Asia/Makassar', locale: 'id-ID' },
  { id: SAMPLE_OFFICE, name: 'Kantor Imigrasi Kelas I TPI Pontianak', timezone: 'Asia/Pontianak', locale: 'id-ID' },
  { id: DST_OFFICE, name: 'KBRI Den Haag', timezone: 'Europe/Amsterdam', locale: 'id-ID' },
];

const SHARED_HERALD = `office:
  locale: id-ID
holidays:
  country: null
announcements:
  - id: h-1
    when: { daysBefore: 1, at: "19:00" }
    channels: [instagram, x]
`;

const CHANNELS = `channels:
  - { id: instagram, driver: outbox, platform: instagram }
  - { id: x, driver: outbox, platform: x }
`;

/** Spring 2027 in the Netherlands: clocks go from 02:00 CET to 03:00 CEST on Sunday 28 March. */
export const DST_CALENDAR = `releases:
  - id: sebelum-dst
    opensAt: "2027-03-26 10:00"
    days:
      - { date: 2027-03-30, quota: { paspor: 30 } }
  - id: melewati-dst
    opensAt: "2027-03-27 22:00"
    closesAt: "2027-03-28 10:00"
    days:
      - { date: 2027-03-31, quota: { paspor: 30 } }
  - id: sesudah-dst
    opensAt: "2027-03-29 10:00"
    days:
      - { date: 2027-04-01, quota: { paspor: 30, sponsor: 5 } }
`;

function dstFiles(): Record<string, string> {
  return {
    'herald.yaml': SHARED_HERALD,
    [`offices/${DST_OFFICE}/herald.yaml`]: `office:
  name: KBRI Den Haag
  shortName: KBRI Den Haag
  timezone: Europe/Amsterdam
  info:
    city: Den Haag
    website: https://kbri-denhaag.example.org
services:
  - { id: paspor, name: Paspor Biasa, shortName: Paspor }
  - { id: sponsor, name: Surat Sponsor, shortName: Sponsor }
${CHANNELS}`,
    [`offices/${DST_OFFICE}/calendar.yaml`]: DST_CALENDAR,
  };
}

function emptyFiles(): Record<string, string> {
  return {
    'herald.yaml': SHARED_HERALD,
    [`offices/${EMPTY_OFFICE}/herald.yaml`]: `office:
  name: Kantor Imigrasi Kosong
  shortName: Imigrasi Kosong
  timezone: Asia/Makassar
services:
  - { id: regular, name: Paspor Reguler, shortName: Reguler }
${CHANNELS}`,
    [`offices/${EMPTY_OFFICE}/calendar.yaml`]: 'releases: []\n',
  };
}

export function officeFiles(officeId: string): Record<string, string> {
  if (officeId === SAMPLE_OFFICE) return sampleFiles(PLANNED_AT);
  if (officeId === WIT_OFFICE) return witFiles();
  if (officeId === DST_OFFICE) return dstFiles();
  if (officeId === EMPTY_OFFICE) return emptyFiles();
  throw new Error(`no files for ${officeId}`);
}

/** The config of `files` as the loader reads it at `now`. */
export function loadFiles(officeId: string, files: Record<string, string>, now: Date): Config {
  const check = checkEdit(files, officeId, environment(now));
  if (!check.loaded) throw new Error(`fixture ${officeId} does not load: ${JSON.stringify(check.problems)}`);
  return check.loaded.config;
}

/** A new current revision of the office with `files`; returns its id. */
export async function saveRevision(store: Store, officeId: string, files: Record<string, string>, parentId: number | null, now: Date): Promise<number> {
  const check = checkEdit(files, officeId, environment(now));
  if (!check.valid) throw new Error(`revision of ${officeId} does not load: ${JSON.stringify(check.problems)}`);
  const created = await createRevision(store, { officeId, parentId, author: 'test', message: 'feeds fixture', files, problems: check.loaderProblems }, now);
  return created.revision.id;
}

/** The exact text each channel got: with what an escaper must get right. */
export function postText(post: PlannedPost): string {
  return `KUOTA ${post.subject} — ${post.channelId}\nGRATIS, waspada calo! <b>&amp;</b> "kutip" 🇮🇩`;
}

export interface FeedSeed {
  revisions: Record<string, number>;
  /** The sample office's posts published, as planned. */
  published: PlannedPost[];
}

/** Every office's first revision, and the sample office's posts due by NOW published. */
export async function seedFeedOffices(store: Store): Promise<FeedSeed> {
  const revisions: Record<string, number> = {};
  for (const office of FEED_OFFICES) revisions[office.id] = await saveRevision(store, office.id, officeFiles(office.id), null, PLANNED_AT);
  const config = loadFiles(SAMPLE_OFFICE, officeFiles(SAMPLE_OFFICE), PLANNED_AT);
  const published = planAll(config, { from: PLANNED_AT, to: NOW }, PLANNED_AT).posts.filter((post) => post.dueAt <= NOW);
  await publishPosts(store, published, { text: postText, publishedAt: (post) => new Date(post.dueAt.getTime() + (post.channelId === 'x' ? 2000 : 0)) });
  return { revisions, published };
}

/** A clock the test moves. */
export interface TestClock {
  now: Date;
}

export function buildFeedServer(store: Store, clock: TestClock = { now: NOW }): Promise<FastifyInstance> {
  return buildWebServer({
    store,
    logger: pino({ level: 'silent' }),
    clock: { now: () => clock.now },
    offices: () => FEED_OFFICES,
    settings: { secureCookies: false, trustProxy: false },
    loginRatePerMinute: 1000,
    source: { configDir: path.resolve('config'), templatesDir: path.resolve('templates') },
  });
}
