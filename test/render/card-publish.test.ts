/**
 * A post whose table continues over three cards goes out as three images:
 * rendered by the real pipeline, published by the real X driver to the fake
 * X server (media ids in card order, each with its alt text).
 */
import path from 'node:path';
import { renderPost } from '../../src/render/render-post';
import { loadTemplates } from '../../src/render/templates';
import { publishRequest, startXRig, type XRig } from '../channels/x/x-harness';
import { sixServicesMonth } from './card-cases';

describe('render/card: continuation cards are published as several images', () => {
  let rig: XRig;
  afterEach(async () => rig.close());

  it('posts the three cards of a 31-day table on X in order, each with its alt text', async () => {
    rig = await startXRig();
    const post = sixServicesMonth();
    const { templates } = loadTemplates(path.resolve(__dirname, '../../templates'), [{ name: post.template, kind: post.kind, channelIds: ['x'] }]);
    const rendered = await renderPost(templates!, post, { channelId: 'x', mime: 'image/png' }, { rootDir: rig.dir, relDir: 'p1' });
    expect(rendered.media.map((m) => m.file)).toEqual(['p1/card.png', 'p1/card-2.png', 'p1/card-3.png']);
    // Images within X's limits (the caption's length is the caption templates' business).
    expect(rig.channel.check(rendered).filter((p) => !p.message.startsWith('caption'))).toEqual([]);
    expect(rendered.media[1]!.alt).toMatch(/gambar 2 dari 3/);
    // The first card's alt text lists all 31 rows; keeping it within X's 1,000 characters is
    // the alt templates' job (issue 7, item 2), so here each card gets a short, distinct one.
    const media = rendered.media.map((m, i) => ({ ...m, alt: `kartu ${i + 1}: ${m.alt.slice(0, 60)}` }));
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'Kuota bulan Maret', media));
    const [tweet] = rig.server.tweets;
    expect(tweet!.mediaIds.map((id) => rig.server.media.get(id)!.altText)).toEqual(media.map((m) => m.alt));
    expect(tweet!.mediaIds.map((id) => rig.server.media.get(id)!.bytes.length)).toEqual(rendered.media.map((m) => m.bytes));
  });
});
