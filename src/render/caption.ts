/**
 * Captions and alt text: plain text, rendered with escaping off (a tweet must
 * say "&", not "&amp;") and tidied so template whitespace does not leak into
 * posts.
 */
import { AppError } from '../errors';
import type { PlannedPost } from '../plan/types';
import { buildRenderContext, type RenderContext } from './context';
import type { CompiledTemplate, TemplateGroup, TemplateSet } from './types';

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
export function contextFor(post: PlannedPost): RenderContext {
  try {
    return buildRenderContext(post);
  } catch (error) {
    throw new AppError('render-failed', `post ${post.id}: its facts cannot be rendered (${(error as Error).message}); re-plan the post.`, {
      cause: error,
    });
  }
}

/** Runs a template; a runtime failure (a helper given bad data) names the file. */
export function runTemplate(template: CompiledTemplate, context: RenderContext | object): string {
  try {
    return template.render(context);
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

/** The caption for `channelId` (the channel override if there is one). Pure. */
export function renderCaption(templates: TemplateSet, post: PlannedPost, channelId: string = post.channelId): string {
  const group = groupFor(templates, post);
  const template = group.channelCaptions.get(channelId) ?? group.caption;
  const context = contextFor({ ...post, channelId });
  return tidyText(runTemplate(template, context));
}

/** Alt text of the card, as one paragraph (screen readers ignore layout). Pure. */
export function renderAlt(templates: TemplateSet, post: PlannedPost): string {
  const group = groupFor(templates, post);
  return runTemplate(group.alt, contextFor(post)).replace(/\s+/g, ' ').trim();
}
