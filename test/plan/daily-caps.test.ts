import { busiestDayPerChannel } from '../../src/plan/daily-caps';
import type { PlannedPost } from '../../src/plan/types';

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
});
