/**
 * Captions and alt text: plain text, rendered with escaping off (a tweet must
 * say "&", not "&amp;") and tidied so template whitespace does not leak into
 * posts.
 */
import { PLATFORM_LIMITS } from '../channels/platform-limits';
import { countCodePoints, countForPlatform } from '../channels/text-length';
import type { PlatformName } from '../config/types';
import { AppError } from '../errors';
import type { PlannedPost } from '../plan/types';
import { buildRenderContext, type RenderContext } from './context';
import type { CompiledTemplate, TemplateGroup, TemplateSet } from './types';

/**
 * How far a template may shorten a post to fit its platform. Templates ask
 * with `{{#if (compact)}}` (level 1 and up) or `{{#if (compact 2)}}`: the
 * caption is rendered at level 0, and again one level up while it is too long
 * for the platform. The shipped templates drop per-row counts at 1, rows at 2,
 * and the booking line and all but two hashtags at 3 (docs/templates.md).
 */
export const MAX_COMPACT_LEVEL = 3;

/**
 * Alt text aims at this length where the platform sets no limit: X refuses more
 * than 1,000 characters, and a screen reader user cannot skim a longer one anyway.
 */
export const READABLE_ALT_LENGTH = 1000;

/** The loaded templates of the post's rule; AppError when the name was not loaded. */
export function groupFor(templates: TemplateSet, post: PlannedPost): TemplateGroup {
  const group = templates.groups.get(post.template);
  if (!group) {
    throw new AppError(
      'render-failed',
      `template "${post.template}" was not loaded (loaded: ${[...templates.groups.keys()].join(', ') || 'none'}); pass every rule's template to loadTemplates.`,
    );
  }
  return group;
}

/** The render context, or AppError when the post's facts are malformed (a planner bug, not a template one). */
export function contextFor(templates: TemplateSet, post: PlannedPost): RenderContext {
  try {
    return buildRenderContext(post, { publicBaseUrl: templates.publicBaseUrl });
  } catch (error) {
    throw new AppError('render-failed', `post ${post.id}: its facts cannot be rendered (${(error as Error).message}); re-plan the post.`, {
      cause: error,
    });
  }
}

/** Runs a template; a runtime failure (a helper given bad data) names the file. */
export function runTemplate(template: CompiledTemplate, context: RenderContext | object, data?: Record<string, unknown>): string {
  try {
    return template.render(context, data);
  } catch (error) {
    throw new AppError('render-failed', `${template.file}: ${(error as Error).message}`, {
      cause: error,
      problems: [{ subject: template.file, message: `template ${template.file}: ${(error as Error).message}`, severity: 'error' }],
    });
  }
}

/**
 * Trailing spaces go, runs of blank lines shrink to one, and the ends are
 * trimmed: templates can be laid out readably without the post showing it.
 */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The platform a channel posts to, as the templates were loaded for it (`generic` when unknown). */
export function platformOf(templates: TemplateSet, channelId: string): PlatformName {
  return templates.platforms.get(channelId) ?? 'generic';
}

/**
 * Renders at compact level 0, 1, … until `fits`; the last attempt is returned
 * even when it is still too long, so `check` can report it with its length.
 */
function renderFitted(template: CompiledTemplate, context: RenderContext, finish: (text: string) => string, fits: (text: string) => boolean): string {
  let text = '';
  for (let level = 0; level <= MAX_COMPACT_LEVEL; level++) {
    text = finish(runTemplate(template, context, { compact: level }));
    if (fits(text)) return text;
  }
  return text;
}

const asParagraph = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The caption for `channelId`: its override (by channel id, then platform) or
 * the default, as short as it must be to fit the platform. Pure.
 */
export function renderCaption(templates: TemplateSet, post: PlannedPost, channelId: string = post.channelId): string {
  const group = groupFor(templates, post);
  const template = group.channelCaptions.get(channelId) ?? group.caption;
  const context = contextFor(templates, { ...post, channelId });
  const platform = platformOf(templates, channelId);
  const limit = PLATFORM_LIMITS[platform].maxTextLength;
  return renderFitted(template, context, tidyText, (text) => countForPlatform(text, platform) <= limit);
}

/**
 * Alt text of every card page for `channelId`, each one paragraph (screen
 * readers ignore layout), overrides resolved like captions' and fitted to the
 * platform's alt limit. Pure.
 */
export function renderAltTexts(templates: TemplateSet, post: PlannedPost, channelId: string = post.channelId): string[] {
  const group = groupFor(templates, post);
  const context = contextFor(templates, { ...post, channelId });
  const limit = PLATFORM_LIMITS[platformOf(templates, channelId)].maxAltTextLength ?? READABLE_ALT_LENGTH;
  return [{ alt: group.alt, channelAlts: group.channelAlts }, ...group.extraPages].map((page) =>
    renderFitted(page.channelAlts.get(channelId) ?? page.alt, context, asParagraph, (text) => countCodePoints(text) <= limit),
  );
}

/** Alt text of the first card. Pure. */
export function renderAlt(templates: TemplateSet, post: PlannedPost, channelId: string = post.channelId): string {
  return renderAltTexts(templates, post, channelId)[0]!;
}
