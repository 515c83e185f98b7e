/**
 * Renders posts ahead of their due time, so the due moment is only a network
 * call. A post that fails to render stays `planned` and is tried again after
 * the next config reload (not every tick: one alert per problem, no storm).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../errors';
import { formatProblem } from '../errors';
import { sha256Hex } from '../render/card-hash';
import { renderPost } from '../render/render-post';
import type { RenderedMedia } from '../render/types';
import type { StoredCard } from '../store/card-store';
import { APPROVAL_RENDER_LEAD_MS, listToRender, markRendered } from '../store/ledger';
import type { LedgerPost } from '../store/types';
import { mediaDirFor, plannedFromLedger } from './ledger-post';
import type { SchedulerDeps } from './scheduler';

/**
 * Posts rendered per pass. Small: a card can take a while on a busy machine,
 * and the next tick's publishing waits for it; the loop ticks again at once
 * while there is more to render, and renders in due order. A due post never
 * waits behind cards for later ones (after a restart, a whole window renders):
 * the tick draws due posts first, publishes, and only then renders ahead.
 */
const RENDER_BATCH = 5;

/**
 * Renders the next batch in due order. `dueOnly`: only posts already due (a
 * pass before publishing, so a post due now and not rendered yet can go out in
 * the same tick); otherwise everything within the render-ahead window and the
 * approval lead.
 */
export type RenderAhead = (now: Date, options?: { dueOnly?: boolean }) => Promise<number>;

export function createRenderAhead(deps: SchedulerDeps): RenderAhead {
  /** `id:revision` → generation in which rendering failed. */
  const failed = new Map<string, number>();

  return async function renderAhead(now: Date, options: { dueOnly?: boolean } = {}): Promise<number> {
    let rendered = 0;
    const runtime = deps.runtime();
    const aheadMs = options.dueOnly ? 0 : runtime.config.settings.renderAheadMinutes * 60_000;
    // Posts that need approval are rendered well before their cut-off: staff approve what will go out.
    const posts = await listToRender(deps.store, new Date(now.getTime() + aheadMs), RENDER_BATCH, options.dueOnly ? {} : { approvalsUntil: new Date(now.getTime() + APPROVAL_RENDER_LEAD_MS) });
    for (const post of posts) {
      const key = `${post.id}:${post.revision}`;
      if (failed.get(key) === runtime.generation) continue;
      const problems = await renderOne(post);
      if (problems.length === 0) {
        failed.delete(key);
        rendered += 1;
        continue;
      }
      failed.set(key, runtime.generation);
      deps.alert({
        kind: 'render-failed',
        post,
        message: `cannot render ${post.id} (${post.channelId}, ${post.ruleId}, due ${post.dueAt.toISOString()}): ${problems.map((p) => formatProblem(p)).join('; ')}. Fix the template; the post goes out once it renders, if before its deadline`,
      });
    }
    return rendered;
  };

  async function renderOne(post: LedgerPost): Promise<Problem[]> {
    const { templates: shared, officeTemplates, channels } = deps.runtime();
    const templates = officeTemplates?.get(post.officeId) ?? shared;
    const channel = channels.get(post.channelId);
    if (!channel) return [{ severity: 'error', message: `channel "${post.channelId}" is not configured` }];
    try {
      const rendered = await renderPost(templates, plannedFromLedger(post), { channelId: post.channelId, mime: channel.limits.preferredMime }, { rootDir: deps.mediaRoot, relDir: mediaDirFor(post) });
      const problems = channel.check(rendered).filter((p) => p.severity === 'error');
      if (problems.length > 0) return problems;
      // The bytes go to the database with the rendering, so any instance can publish and serve them.
      const cards = deps.storeCards === false ? undefined : await Promise.all(rendered.media.map((media) => storedCard(deps.mediaRoot, media)));
      await markRendered(deps.store, { id: post.id, revision: post.revision }, JSON.stringify(rendered), deps.clock.now(), cards);
      return [];
    } catch (error) {
      const problems = (error as { problems?: Problem[] }).problems;
      return problems && problems.length > 0 ? problems : [{ severity: 'error', message: (error as Error).message }];
    }
  }
}

/** The card just written to disk, as the database keeps it (read back: renderPost writes files). */
async function storedCard(mediaRoot: string, media: RenderedMedia): Promise<StoredCard> {
  const bytes = await fs.readFile(path.resolve(mediaRoot, media.file));
  const sha256 = sha256Hex(bytes);
  if (media.sha256 && media.sha256 !== sha256) throw new Error(`card ${media.file} changed on disk while it was rendered (another process renders into the same data directory?)`);
  return { file: media.file, mime: media.mime, width: media.width, height: media.height, bytes, sha256 };
}
