/**
 * The Telegram driver publishing against the fake Bot API: one card as
 * sendPhoto, several as one album (sendMediaGroup), a text-only post as
 * sendMessage; captions as plain text; message ids and links kept; readBack
 * refuses to guess.
 */
import { PublishError } from '../../../src/channels/publish-error';
import { PLATFORM_LIMITS } from '../../../src/channels/platform-limits';
import { CHANNEL, PRIVATE_CHANNEL, START, failureOf, publishRequest, startTelegramRig, writeJpegCard, type TelegramRig } from './telegram-rig';

const CAPTION = '📢 KUOTA ANTREAN PASPOR DIBUKA BESOK\n\nKuota <b>120</b> *Reguler* dan _Percepatan_ 20: pukul 14.00 WIB.\n#KuotaPaspor';

describe('channels/telegram: publishing', () => {
  let rig: TelegramRig;
  beforeEach(async () => {
    rig = await startTelegramRig();
  });
  afterEach(async () => rig.close());

  it('posts one card with sendPhoto: the card bytes uploaded, the caption as plain text, the link from the channel username', async () => {
    const card = await writeJpegCard(rig.dir, 'p1.jpg');
    const result = await rig.channel.publish(publishRequest(rig.dir, 'p1', CAPTION, [card.media]));

    const [post, ...more] = rig.server.posts();
    expect(more).toEqual([]);
    expect(post!.text).toBe(CAPTION);
    expect(post!.photos).toHaveLength(1);
    expect(post!.photos[0]!.bytes.equals(card.bytes)).toBe(true);
    expect(post!.photos[0]!.mime).toBe('image/jpeg');
    expect(rig.server.messages[0]).toMatchObject({ method: 'sendPhoto', parseMode: null, chatId: CHANNEL.id });
    expect(result).toEqual({ remoteId: String(post!.messageIds[0]), url: `https://t.me/kanimptk/${post!.messageIds[0]}`, publishedAt: START });
  });

  it('posts several cards as one album with sendMediaGroup: the caption on the first photo, every message id kept', async () => {
    const cards = await Promise.all([1, 2, 3].map((i) => writeJpegCard(rig.dir, `p2-${i}.jpg`)));
    await rig.channel.publish(publishRequest(rig.dir, 'p0', 'sebelumnya')); // message 1: ids are per chat and shared by all methods
    const result = await rig.channel.publish(publishRequest(rig.dir, 'p2', CAPTION, cards.map((c) => c.media)));

    const album = rig.server.posts()[1]!;
    expect(album.messageIds).toEqual([2, 3, 4]);
    expect(album.text).toBe(CAPTION);
    expect(album.photos.map((p) => p.bytes.equals(cards[album.photos.indexOf(p)]!.bytes))).toEqual([true, true, true]);
    const items = rig.server.messages.filter((m) => m.method === 'sendMediaGroup');
    expect(items.map((m) => m.text)).toEqual([CAPTION, '', '']);
    expect(new Set(items.map((m) => m.mediaGroupId)).size).toBe(1);
    expect(items.every((m) => m.parseMode === null)).toBe(true);
    expect(result).toEqual({ remoteId: '2,3,4', url: 'https://t.me/kanimptk/2', publishedAt: START });
  });

  it('posts a text-only post with sendMessage', async () => {
    const result = await rig.channel.publish(publishRequest(rig.dir, 'p3', 'Jadwal pengganti akan kami umumkan.'));
    expect(rig.server.messages).toEqual([expect.objectContaining({ method: 'sendMessage', text: 'Jadwal pengganti akan kami umumkan.', parseMode: null })]);
    expect(result.remoteId).toBe('1');
  });

  it('addresses the channel by @username as written, without asking Telegram for it', async () => {
    const channel = rig.channelWith({ chatId: '@kanimptk' });
    const result = await channel.publish(publishRequest(rig.dir, 'p4', 'Halo'));
    expect(result.url).toBe('https://t.me/kanimptk/1');
    expect(rig.server.requests).toEqual(['sendMessage']);
  });

  it('a private channel (numeric id, no username) gets no link; its username is asked once, not at every post', async () => {
    const channel = rig.channelWith({ chatId: PRIVATE_CHANNEL.id });
    const first = await channel.publish(publishRequest(rig.dir, 'p5', 'satu'));
    const second = await channel.publish(publishRequest(rig.dir, 'p6', 'dua'));
    expect([first.url, second.url]).toEqual([null, null]);
    expect([first.remoteId, second.remoteId]).toEqual(['1', '2']);
    expect(rig.server.requests).toEqual(['getChat', 'sendMessage', 'sendMessage']);
    expect(rig.server.posts(PRIVATE_CHANNEL.id)).toHaveLength(2);
  });

  it('counts the caption as Telegram does: 1,024 UTF-16 units with emoji are accepted, one more is refused as permanent and nothing is posted', async () => {
    const card = await writeJpegCard(rig.dir, 'p7.jpg');
    const fits = `📢${'a'.repeat(1022)}`;
    expect(rig.channel.check({ text: fits, media: [card.media] })).toEqual([]);
    await rig.channel.publish(publishRequest(rig.dir, 'p7', fits, [card.media]));
    expect(rig.server.posts()).toHaveLength(1);

    const over = `${fits}b`;
    expect(rig.channel.check({ text: over, media: [card.media] })).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('caption is 1025 UTF-16 units') })]);
    const failure = await failureOf(rig.channel.publish(publishRequest(rig.dir, 'p8', over, [card.media])));
    expect(failure).toMatchObject({ kind: 'permanent', status: 400, message: expect.stringContaining('shorten the telegram caption template') });
    expect(rig.server.posts()).toHaveLength(1);
  });

  it('sends line breaks as they are: a 1,024-unit caption of 40 lines fits (FormData would send each as CRLF and push it over)', async () => {
    const card = await writeJpegCard(rig.dir, 'p11.jpg');
    const lines = `${Array.from({ length: 40 }, (_, i) => `baris ${String(i).padStart(2, '0')} kuota paspor`).join('\n')}`;
    const caption = lines.padEnd(1024, '.');
    expect(caption).toHaveLength(1024);
    await rig.channel.publish(publishRequest(rig.dir, 'p11', caption, [card.media]));
    expect(rig.server.posts()[0]!.text).toBe(caption);
  });

  it('refuses an album over 10 photos before sending anything', async () => {
    const card = await writeJpegCard(rig.dir, 'p9.jpg');
    const failure = await failureOf(rig.channel.publish(publishRequest(rig.dir, 'p9', 'Halo', Array.from({ length: 11 }, () => card.media))));
    expect(failure).toMatchObject({ kind: 'permanent', message: expect.stringContaining('at most 10 photos') });
    expect(rig.server.calls).toEqual([]);
  });

  it('declares the Telegram limits: 1,024 per caption, 10 photos of 10 MB, no alt text limit (alt is not sent)', () => {
    expect(rig.channel.limits).toEqual(PLATFORM_LIMITS.telegram);
    expect(rig.channel.limits).toMatchObject({ maxTextLength: 1024, maxImages: 10, maxImageBytes: 10 * 1024 * 1024 });
    expect(rig.channel.limits.maxAltTextLength).toBeUndefined();
  });

  it('readBack throws a PublishError saying staff must look at the channel, never an empty list', async () => {
    await rig.channel.publish(publishRequest(rig.dir, 'p10', 'Halo'));
    const failure = await failureOf(rig.channel.readBack(new Date(0)));
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as PublishError).message).toMatch(/cannot read the channel -1001234567890 back.*staff must look at the channel/);
    // The channel's username, learned once; nothing was asked to read the channel.
    expect(rig.server.requests).toEqual(['getChat', 'sendMessage']);
  });
});
