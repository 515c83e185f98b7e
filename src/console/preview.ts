/**
 * The web console's post preview (issue 9): for one office and a time range,
 * each upcoming post as it will look on its network — caption counted as the
 * platform counts it, the cards in carousel order with their alt text, and
 * the problems the real checks find. The same path as `preview` and `check`
 * (app/render-batch.ts): planned from the office's revision files, rendered
 * with the real templates, fonts and renderer, checked by the channel's limits.
 *
 * Cards are rendered on demand into `mediaDir` (one folder per post id,
 * overwritten by the next preview of the post); `readPreviewCard` gives their
 * bytes, refusing a file that is no longer the rendering described.
 */
import { checkRevisionFiles } from '../app/revision-files';
import { planAll } from '../app/plan-all';
import { limitChannels, renderPlannedPosts } from '../app/render-batch';
import { readCardFromDisk, type CardBytes } from '../channels/card-bytes';
import { captionUnit, countCodePoints, countForPlatform, type CaptionUnit } from '../channels/text-length';
import type { PlatformName } from '../config/types';
import type { Problem } from '../errors';
import { createSilentLogger } from '../logger';
import type { PostKind } from '../plan/types';
import { getCurrentRevision, type RevisionFiles } from '../store/config-revisions';
import type { Store } from '../store/open';

/** An office's config as a revision's files, and where they came from on disk (templates are found there when the files hold none). */
export interface OfficeFilesSource {
  officeId: string;
  files: RevisionFiles;
  sourceDir: string;
  templatesDir?: string;
  /** The revision the files are, when they are one. */
  revisionId?: number;
}

/** The office's current revision as a source for the previews; undefined when it has none. */
export async function currentOfficeSource(store: Store, officeId: string, where: { sourceDir: string; templatesDir?: string }): Promise<OfficeFilesSource | undefined> {
  const current = await getCurrentRevision(store, officeId);
  if (!current) return undefined;
  return { officeId, files: current.files, revisionId: current.id, ...where };
}

/** A caption's length as its platform counts it. */
export interface CaptionView {
  text: string;
  /** X: weighted (most Latin characters 1, emoji and CJK 2, a link 23); others: characters. */
  length: number;
  unit: CaptionUnit;
  limit: number;
  over: boolean;
}

export interface CardView {
  /** 1-based: the order of the carousel on Instagram and of the images on X. */
  position: number;
  /** Relative to the preview's `mediaDir`: the key to `readPreviewCard` (or a media URL). */
  file: string;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  alt: string;
  altLength: number;
  /** The platform's alt text limit, if it has one. */
  altLimit?: number;
}

export interface PostPreview {
  id: string;
  ruleId: string;
  channelId: string;
  platform: PlatformName;
  kind: PostKind;
  /** `RELEASE-ID` or `digest:FROM..TO`. */
  subject: string;
  template: string;
  dueAt: Date;
  deadline: Date | null;
  /** Null when the post could not be rendered (see `problems`). */
  caption: CaptionView | null;
  cards: CardView[];
  /** True when the cards go out as an Instagram carousel (2–10 images). */
  carousel: boolean;
  /** Render failures and limit errors/warnings from the channel's own check. */
  problems: Problem[];
}

export interface OfficePreview {
  officeId: string;
  officeName: string;
  zone: string;
  from: Date;
  to: Date;
  /** Problems of the office's files; when any is an error nothing is planned (`posts` is empty). */
  loadProblems: Problem[];
  /** Due time order. */
  posts: PostPreview[];
  /** Posts the rules ask for but that cannot go out, and why. */
  skipped: Problem[];
}

/** Plans, renders and checks the office's posts due in [from, to). `now` is the clock's (posts due before it are left out). */
export async function previewOfficePosts(source: OfficeFilesSource, options: { from: Date; to: Date; now: Date; mediaDir: string }): Promise<OfficePreview> {
  const checked = checkRevisionFiles(source.files, {
    sourceDir: source.sourceDir,
    ...(source.templatesDir === undefined ? {} : { templatesDir: source.templatesDir }),
    now: options.now,
    officeId: source.officeId,
  });
  const base = { officeId: source.officeId, from: options.from, to: options.to, loadProblems: checked.problems };
  const office = checked.loaded?.config.offices.find((o) => o.id === source.officeId) ?? checked.loaded?.config.offices[0];
  if (!checked.loaded || !office) return { ...base, officeName: source.officeId, zone: 'UTC', posts: [], skipped: [] };
  const loaded = checked.loaded;

  const { posts, skipped } = planAll(loaded.config, { from: options.from, to: options.to }, options.now);
  const clock = { now: () => options.now, sleep: () => Promise.resolve() };
  const channels = limitChannels(loaded, { clock, logger: createSilentLogger(), outboxDir: options.mediaDir });
  const results = await renderPlannedPosts(loaded, posts, channels, { rootDir: options.mediaDir, relDirFor: (post) => post.id });
  const platforms = new Map(office.channels.map((c) => [c.id, c.platform] as const));

  const previews = results.map(({ post, rendered, problems }): PostPreview => {
    const platform = platforms.get(post.channelId) ?? 'generic';
    const limits = channels.get(post.channelId)?.limits;
    const length = rendered ? countForPlatform(rendered.text, platform) : 0;
    const cards = (rendered?.media ?? []).map(
      (media, index): CardView => ({
        position: index + 1,
        file: media.file,
        mime: media.mime,
        width: media.width,
        height: media.height,
        bytes: media.bytes,
        sha256: media.sha256 ?? '',
        alt: media.alt,
        altLength: countCodePoints(media.alt),
        ...(limits?.maxAltTextLength === undefined ? {} : { altLimit: limits.maxAltTextLength }),
      }),
    );
    return {
      id: post.id,
      ruleId: post.ruleId,
      channelId: post.channelId,
      platform,
      kind: post.kind,
      subject: post.subject,
      template: post.template,
      dueAt: post.dueAt,
      deadline: post.deadline,
      caption:
        rendered && limits
          ? { text: rendered.text, length, unit: captionUnit(platform), limit: limits.maxTextLength, over: length > limits.maxTextLength }
          : null,
      cards,
      carousel: platform === 'instagram' && cards.length > 1,
      problems,
    };
  });
  return {
    ...base,
    officeName: office.name,
    zone: office.timezone,
    posts: previews,
    skipped: skipped.map((skip) => ({ severity: 'warning', subject: `${skip.ruleId} for ${skip.subject} on ${skip.channelId}`, message: `not planned: ${skip.reason}` })),
  };
}

/** The bytes of a previewed card; CardMissingError when the file is gone or was rendered again differently since. */
export function readPreviewCard(mediaDir: string, card: Pick<CardView, 'file' | 'mime' | 'sha256'>): Promise<CardBytes> {
  return readCardFromDisk(mediaDir, card);
}
