/** The render stage: templates → captions, card images and alt text. */
export { loadTemplates, isValidTemplateName, type TemplateUse } from './templates';
export { buildRenderContext, type RenderContext } from './context';
export { renderCaption, renderAlt, renderAltTexts } from './caption';
export { renderCardSvg, checkCardSvg, rasterizeCard, CARD_WIDTH, CARD_HEIGHT } from './card';
export { renderPost, type RenderOutput } from './render-post';
export type { TemplateSet, TemplateGroup, CompiledTemplate, RenderTarget, RenderedPost, RenderedMedia } from './types';
