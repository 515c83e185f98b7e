/**
 * The pure limit check every driver shares: a rendered post against the
 * limits its channel declares. Messages name the limit and what to change.
 */
import type { Problem } from '../errors';
import type { PlatformName } from '../config/types';
import type { RenderedPost } from '../render/types';
import type { ChannelLimits } from './channel';
import { THREADS_MAX_LINKS } from './platform-limits';
import { COUNT_UNITS, countCodePoints, countForPlatform, countHashtags, countMentions, countUtf8Bytes, findUrls } from './text-length';

export function checkRenderedPost(post: RenderedPost, limits: ChannelLimits, platform: PlatformName): Problem[] {
  const problems: Problem[] = checkCaption(post.text, limits, platform);
  const error = (message: string): void => void problems.push({ message, severity: 'error' });
  if (post.media.length < limits.minImages) error(`needs at least ${limits.minImages} image(s), has ${post.media.length}: add a card template`);
  if (post.media.length > limits.maxImages) error(`has ${post.media.length} images, over the limit of ${limits.maxImages}`);
  for (const media of post.media) {
    if (!limits.imageMimes.includes(media.mime)) error(`${media.file} is ${media.mime}; this channel accepts ${limits.imageMimes.join(', ')}`);
    if (media.bytes > limits.maxImageBytes) error(`${media.file} is ${(media.bytes / 1048576).toFixed(1)} MB, over ${limits.maxImageBytes / 1048576} MB: simplify the card`);
    const ratio = media.width / media.height;
    if (limits.minAspectRatio !== undefined && ratio < limits.minAspectRatio - 1e-9) error(`${media.file} aspect ratio ${ratio.toFixed(2)} is narrower than ${limits.minAspectRatio.toFixed(2)}`);
    if (limits.maxAspectRatio !== undefined && ratio > limits.maxAspectRatio + 1e-9) error(`${media.file} aspect ratio ${ratio.toFixed(2)} is wider than ${limits.maxAspectRatio.toFixed(2)}`);
    if (limits.minWidth !== undefined && media.width < limits.minWidth) error(`${media.file} is ${media.width} px wide, under ${limits.minWidth}`);
    if (limits.maxWidth !== undefined && media.width > limits.maxWidth) error(`${media.file} is ${media.width} px wide, over ${limits.maxWidth}`);
    if (media.alt.trim() === '') error(`${media.file} has no alt text: the alt template produced nothing`);
    const altLength = countCodePoints(media.alt);
    if (limits.maxAltTextLength !== undefined && altLength > limits.maxAltTextLength) {
      error(`${media.file} alt text is ${altLength} characters, over the limit of ${limits.maxAltTextLength}: shorten the alt template (e.g. list fewer rows under {{#if (compact)}})`);
    }
  }
  return problems;
}

/** The caption's share of the check (also for a caption template edited in the console): length as the platform counts it, links on X, hashtags, mentions. */
export function checkCaption(text: string, limits: ChannelLimits, platform: PlatformName): Problem[] {
  const problems: Problem[] = [];
  const error = (message: string): void => void problems.push({ message, severity: 'error' });
  const warn = (message: string): void => void problems.push({ message, severity: 'warning' });

  const length = countForPlatform(text, platform);
  if (length > limits.maxTextLength) {
    error(`caption is ${length} ${COUNT_UNITS[platform] ?? 'characters'}, over the limit of ${limits.maxTextLength}: shorten the caption template`);
  }
  if (limits.maxTextBytes !== undefined && countUtf8Bytes(text) > limits.maxTextBytes) {
    error(`caption is ${countUtf8Bytes(text)} UTF-8 bytes, over the limit of ${limits.maxTextBytes} bytes: shorten the caption template`);
  }
  if (text.trim() === '') error('caption is empty: the caption template produced no text');
  if (platform === 'x') {
    const urls = findUrls(text);
    if (urls.length > 0) {
      warn(`X text contains a link (${urls.join(', ')}): X charges $0.20 instead of $0.015 for a post with a URL; remove it from the X caption template`);
    }
  }
  if (platform === 'threads') {
    const links = new Set(findUrls(text)).size;
    if (links > THREADS_MAX_LINKS) error(`caption has ${links} different links, over the Threads limit of ${THREADS_MAX_LINKS}: remove some from the threads caption template`);
  }
  if (limits.maxHashtags !== undefined && countHashtags(text) > limits.maxHashtags) {
    error(`caption has ${countHashtags(text)} hashtags, over the limit of ${limits.maxHashtags}: remove some`);
  }
  if (limits.maxMentions !== undefined && countMentions(text) > limits.maxMentions) {
    error(`caption has ${countMentions(text)} @-mentions, over the limit of ${limits.maxMentions}: remove some`);
  }
  return problems;
}
