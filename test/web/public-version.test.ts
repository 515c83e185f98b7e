/** What the public cache's versions are read from, on SQLite and PostgreSQL: the current revision and the published posts. */
import { createVirtualClock } from '../../src/clock';
import { createRevision } from '../../src/store/config-revisions';
import type { PublicOpening } from '../../src/public/types';
import { createPublicVersions, nextStateChange } from '../../src/web/public-version';
import { DIALECTS, useTestStore } from '../support/databases';
import { publishPosts } from '../support/public-fixture';
import { at, buildPost, plusMinutes } from '../store/post-builder';

const OFFICE = 'kanim-pontianak';
const DUE = at('2026-12-04T13:00:00+07:00');

describe.each(DIALECTS)('web/public-version on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('changes when a revision becomes current or a post is published, and is read at most once a second', async () => {
    const clock = createVirtualClock(DUE);
    const versions = createPublicVersions(ctx.store, clock);
    const empty = await versions.of(OFFICE);
    expect(empty).toBe('r-:a0:-');

    const revision = await createRevision(ctx.store, { officeId: OFFICE, parentId: null, author: 'test', message: 'first', files: { 'herald.yaml': 'office: {}\n' }, problems: [] }, DUE);
    await publishPosts(ctx.store, [buildPost({ n: 1, id: 'x-1', channelId: 'x', dueAt: DUE, deadline: plusMinutes(DUE, 60) })]);
    // Kept for a second: the page may lag the ledger by that much; a feed asks for it fresh.
    expect(await versions.of(OFFICE)).toBe(empty);
    const now = `r${revision.revision.id}:a1:${DUE.getTime()}`;
    expect(await versions.of(OFFICE, { fresh: true })).toBe(now);
    await publishPosts(ctx.store, [buildPost({ n: 2, id: 'x-2', channelId: 'x', dueAt: plusMinutes(DUE, 1), deadline: plusMinutes(DUE, 60) })]);
    expect(await versions.of(OFFICE)).toBe(now);
    clock.set(new Date(DUE.getTime() + 1000));
    expect(await versions.of(OFFICE)).toBe(`r${revision.revision.id}:a2:${plusMinutes(DUE, 1).getTime()}`);
    // Another office's posts are not this office's version.
    expect(await versions.of('kanim-lain')).toBe('r-:a0:-');
  });
});

describe('web/public-version nextStateChange', () => {
  const opening = (opensAt: string, lastDay: string, extra: Partial<Pick<PublicOpening, 'status' | 'closesAt'>> = {}) => ({
    status: 'open' as const,
    closesAt: null,
    ...extra,
    opensAt: at(opensAt),
    timezone: 'Asia/Pontianak',
    days: [{ date: lastDay }] as PublicOpening['days'],
  });

  it('is the next opening, closing or end of a last service day (office midnight), cancelled ones left out', () => {
    const openings = [
      opening('2026-12-04T14:00:00+07:00', '2026-12-11'),
      opening('2026-12-02T10:00:00+07:00', '2026-12-05'),
      opening('2026-12-04T13:30:00+07:00', '2026-12-12', { status: 'cancelled' }),
    ];
    expect(nextStateChange(openings, at('2026-12-04T12:58:00+07:00'))).toEqual(at('2026-12-04T14:00:00+07:00'));
    expect(nextStateChange(openings, at('2026-12-04T14:00:00+07:00'))).toEqual(at('2026-12-06T00:00:00+07:00'));
    expect(nextStateChange([opening('2026-12-04T14:00:00+07:00', '2026-12-11', { closesAt: at('2026-12-04T16:00:00+07:00') })], at('2026-12-04T14:30:00+07:00'))).toEqual(at('2026-12-04T16:00:00+07:00'));
    expect(nextStateChange(openings, at('2026-12-13T00:00:00+07:00'))).toBeNull();
  });
});
