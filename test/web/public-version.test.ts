/** What the public cache's versions are read from, on SQLite and PostgreSQL: the current revision and the published posts. */
import { createVirtualClock } from '../../src/clock';
import { createRevision } from '../../src/store/config-revisions';
import { createPublicVersions } from '../../src/web/public-version';
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
    // Kept for a second: the page may lag the ledger by that much.
    expect(await versions.of(OFFICE)).toBe(empty);
    clock.set(plusMinutes(DUE, 1));
    expect(await versions.of(OFFICE)).toBe(`r${revision.revision.id}:a1:${DUE.getTime()}`);
    // Another office's posts are not this office's version.
    expect(await versions.of('kanim-lain')).toBe('r-:a0:-');
  });
});
