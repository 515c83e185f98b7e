import { estimateCost } from '../../src/plan/cost-estimate';

describe('plan/cost-estimate', () => {
  const pricing = new Map([['x', { perPost: 0.015, perPostWithUrl: 0.2 }]]);

  it('charges the URL price instead of the base price for posts with a link', () => {
    const posts = [
      { channelId: 'x', hasUrl: false },
      { channelId: 'x', hasUrl: false },
      { channelId: 'x', hasUrl: true },
      { channelId: 'instagram', hasUrl: true },
    ];
    const [line, ...rest] = estimateCost(posts, pricing);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ channelId: 'x', posts: 3, postsWithUrl: 1 });
    expect(line!.usd).toBeCloseTo(0.23, 10);
  });

  it('is empty for free channels', () => {
    expect(estimateCost([{ channelId: 'instagram', hasUrl: false }], pricing)).toEqual([]);
  });
});
