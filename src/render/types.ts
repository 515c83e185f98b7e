import type { PlatformName } from '../config/types';
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
  /**
   * hex SHA-256 of the image: which rendering a post was made with, so a
   * stale cached file on another instance is noticed (channels/card-bytes.ts).
   * Absent in renderings recorded before cards were stored in the database.
   */
  sha256?: string;
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
  /** The template text as loaded. */
  source: string;
  /** `data` becomes Handlebars' @-data (e.g. the compact level read by the `compact` helper). */
  render(context: object, data?: Record<string, unknown>): string;
}

/** The templates of one name (one announcement or digest rule), compiled and checked. */
export interface TemplateGroup {
  name: string;
  /** Post kinds the template was checked for. */
  kinds: PostKind[];
  caption: CompiledTemplate;
  /**
   * Caption overrides by channel id, resolved at load time: `captions/NAME.CHANNEL.hbs`,
   * else `captions/NAME.PLATFORM.hbs` (e.g. `h-1.x.hbs` for every channel posting to X).
   */
  channelCaptions: ReadonlyMap<string, CompiledTemplate>;
  card: CompiledTemplate;
  alt: CompiledTemplate;
  /** Alt text overrides by channel id, resolved like `channelCaptions` (`alt/NAME.x.hbs`). */
  channelAlts: ReadonlyMap<string, CompiledTemplate>;
  /**
   * Further cards of a multi-image post (`cards/NAME.2.svg.hbs` + `alt/NAME.2.hbs`, then .3, …):
   * a carousel on Instagram, up to four images on X.
   */
  extraPages: { card: CompiledTemplate; alt: CompiledTemplate; channelAlts: ReadonlyMap<string, CompiledTemplate> }[];
  /**
   * False when no card file (nor any partial) names `channelId`: the X and the
   * Instagram post of one subject then get the same cards, drawn once per batch.
   */
  cardsReadChannel: boolean;
}

/** Every template in use, loaded by `loadTemplates` (src/render/templates.ts). */
export interface TemplateSet {
  dir: string;
  groups: ReadonlyMap<string, TemplateGroup>;
  /** The platform of each channel the templates were loaded for: captions and alt text are fitted to its limits. */
  platforms: ReadonlyMap<string, PlatformName>;
  /** settings.web.publicBaseUrl, where cards' verification codes are checked (`verify` in the context); null when not set. */
  publicBaseUrl: string | null;
}

/** What `renderPost` produces its card for. */
export interface RenderTarget {
  channelId: string;
  mime: 'image/png' | 'image/jpeg';
}
