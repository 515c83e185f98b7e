/**
 * Pure: the busiest rolling 24 hours of planned posts per channel, to compare
 * with each platform's daily cap before the day comes.
 */
import type { PlannedPost } from './types';

export interface BusiestWindow {
  channelId: string;
  count: number;
  from: Date;
}

const DAY_MS = 86_400_000;

export function busiestDayPerChannel(posts: readonly Pick<PlannedPost, 'channelId' | 'dueAt'>[]): BusiestWindow[] {
  const byChannel = new Map<string, number[]>();
  for (const post of posts) {
    const times = byChannel.get(post.channelId) ?? [];
    times.push(post.dueAt.getTime());
    byChannel.set(post.channelId, times);
  }
  const result: BusiestWindow[] = [];
  for (const [channelId, times] of byChannel) {
    times.sort((a, b) => a - b);
    let best = { count: 0, from: times[0] ?? 0 };
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= DAY_MS) start++;
      if (end - start + 1 > best.count) best = { count: end - start + 1, from: times[start]! };
    }
    result.push({ channelId, count: best.count, from: new Date(best.from) });
  }
  return result.sort((a, b) => a.channelId.localeCompare(b.channelId));
}
