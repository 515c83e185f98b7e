import fs from 'node:fs';
import { combineLoaded, loadDeployment } from '../../src/app/load-all';
import { planAll } from '../../src/app/plan-all';
import { busiestDayPerChannel } from '../../src/plan/daily-caps';
import type { PlannedPost } from '../../src/plan/types';
import { writeOfficesConfig } from '../support/offices-fixture';

const post = (channelId: string, iso: string): PlannedPost => ({ channelId, dueAt: new Date(iso) }) as PlannedPost;

describe('plan/daily-caps', () => {
  it('finds the busiest rolling 24 hours per channel', () => {
    const posts = [
      post('x', '2026-12-03T12:00:00Z'),
      post('x', '2026-12-04T06:00:00Z'),
      post('x', '2026-12-04T07:00:00Z'),
      post('x', '2026-12-05T08:00:00Z'),
      post('instagram', '2026-12-04T06:00:00Z'),
    ];
    expect(busiestDayPerChannel(posts)).toEqual([
      { channelId: 'instagram', count: 1, from: new Date('2026-12-04T06:00:00Z') },
      { channelId: 'x', count: 3, from: new Date('2026-12-03T12:00:00Z') },
    ]);
  });

  it('does not count a post exactly 24 hours later in the same window', () => {
    const posts = [post('x', '2026-12-04T06:00:00Z'), post('x', '2026-12-05T06:00:00Z')];
    expect(busiestDayPerChannel(posts)[0]!.count).toBe(1);
  });

  it("counts each office's channels on their own when many offices plan together (channel ids are <office>/<id>)", () => {
    const dir = writeOfficesConfig({ opensOn: '2027-03-10', serviceDay: '2027-03-15' });
    try {
      const deployment = loadDeployment(dir, { now: new Date('2027-03-01T00:00:00Z') });
      const parts = deployment.offices.map((office) => office.loaded!);
      const all = combineLoaded(parts, parts[0]!.config)!;
      const { posts } = planAll(all.config, { from: new Date('2027-03-01T00:00:00Z'), to: new Date('2027-03-20T00:00:00Z') });
      // Three offices post on X and Instagram the same evening and morning: two posts per channel, not six per platform.
      expect(busiestDayPerChannel(posts).map((w) => [w.channelId, w.count])).toEqual([
        ['kanim-jayapura/instagram', 2],
        ['kanim-jayapura/x', 2],
        ['kanim-makassar/instagram', 2],
        ['kanim-makassar/x', 2],
        ['kanim-medan/instagram', 2],
        ['kanim-medan/x', 2],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
