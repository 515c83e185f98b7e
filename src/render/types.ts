import type { PostKind } from '../plan/types';

/** One image attached to a post, already on disk. */
export interface RenderedMedia {
  /** Path relative to the data directory (or the simulate output directory). */
  file: string;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
  alt: string;
}

/** A post ready to hand to a channel: nothing left to compute at the due moment. */
export interface RenderedPost {
  text: string;
  media: RenderedMedia[];
}

/** A template compiled at load time; `render` throws only on a runtime error (e.g. a helper given bad input). */
export interface CompiledTemplate {
  /** The template file, as reported in problems. */
  file: string;
  render(context: object): string;
}

/** The templates of one name (one announcement or digest rule), compiled and checked. */
export interface TemplateGroup {
  name: string;
  /** Post kinds the template was checked for. */
  kinds: PostKind[];
  caption: CompiledTemplate;
  /** Per-channel caption overrides (`captions/NAME.CHANNELID.hbs`), by channel id. */
  channelCaptions: ReadonlyMap<string, CompiledTemplate>;
  card: CompiledTemplate;
  alt: CompiledTemplate;
  /**
   * Further cards of a multi-image post (`cards/NAME.2.svg.hbs` + `alt/NAME.2.hbs`, then .3, …):
   * a carousel on Instagram, up to four images on X.
   */
  extraPages: { card: CompiledTemplate; alt: CompiledTemplate }[];
}

/** Every template in use, loaded by `loadTemplates` (src/render/templates.ts). */
export interface TemplateSet {
  dir: string;
  groups: ReadonlyMap<string, TemplateGroup>;
}

/** What `renderPost` produces its card for. */
export interface RenderTarget {
  channelId: string;
  mime: 'image/png' | 'image/jpeg';
}
