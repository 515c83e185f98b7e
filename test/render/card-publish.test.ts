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
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'Kuota bulan Maret', rendered.media));
    const [tweet] = rig.server.tweets;
    const alts = tweet!.mediaIds.map((id) => rig.server.media.get(id)!.altText);
    expect(alts).toEqual(rendered.media.map((m) => m.alt));
    expect(alts[1]).toMatch(/gambar 2 dari 3/);
  });
});
