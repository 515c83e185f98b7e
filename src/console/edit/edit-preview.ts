/**
 * The change preview before saving (issue 9): the edited config planned
 * against the ledger as it is, written nowhere (app/replan.ts `previewReplan`,
 * the same decisions as the re-plan that follows a save). Only the edited
 * office is looked at: another office's posts are never listed.
 */
import { previewReplan } from '../../app/replan';
import type { PlannedPost, PostKind } from '../../plan/types';
import type { RevisionFiles } from '../../store/config-revisions';
import type { Store } from '../../store/open';
import type { PublishedPost } from '../../store/sync-corrections';
import type { LedgerPost, PostState } from '../../store/types';
import { checkEdit, type EditCheck, type EditEnvironment } from './edit-session';

/** A post as the preview lists it. */
export interface PreviewPost {
  id: string;
  kind: PostKind;
  ruleId: string;
  channelId: string;
  /** The release it is about (null for a digest). */
  releaseId: string | null;
  dueAt: Date;
  /** Its state in the ledger now (absent for a post that does not exist yet). */
  state?: PostState;
}

export interface EditPreview {
  /** Pending posts whose text or card changes (new facts or template, or a new due time: "besok" may become "hari ini"): rendered again. */
  rerendered: (PreviewPost & { why: 'facts' | 'time' })[];
  /** Posts that appear (new openings, days, rules; or cancelled ones back). */
  added: PreviewPost[];
  /** Pending posts that disappear (cancelled in the ledger). */
  removed: PreviewPost[];
  /** Already published: the correction or cancellation post each release gets, and the published posts it answers. */
  corrections: { post: PreviewPost & { kind: 'correction' | 'cancellation' }; published: PublishedPost[] }[];
  /** Pending corrections no longer owed (the edit puts the facts back as published): cancelled. */
  correctionsWithdrawn: string[];
}

export type EditPreviewResult = { ok: true; check: EditCheck; preview: EditPreview } | { ok: false; check: EditCheck };

/** Checks the edited files and, when they load, what saving them would do to the office's posts. */
export async function previewEdit(store: Store, input: { officeId: string; files: RevisionFiles; env: EditEnvironment }): Promise<EditPreviewResult> {
  const check = checkEdit(input.files, input.officeId, input.env);
  if (!check.loaded) return { ok: false, check };
  const sync = await previewReplan(store, check.loaded.config, input.env.now, { offices: [input.officeId] });
  const byDue = <T extends { dueAt: Date; id: string }>(a: T, b: T): number => a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : 1);
  const preview: EditPreview = {
    rerendered: [
      ...sync.changed.map(({ post, before }) => ({ ...fromPlanned(post), state: before.state, why: 'facts' as const })),
      ...sync.rescheduled.map(({ post, before }) => ({ ...fromPlanned(post), state: before.state, why: 'time' as const })),
    ].sort(byDue),
    added: sync.inserted.map(fromPlanned).sort(byDue),
    removed: sync.removed.map(fromLedger).sort(byDue),
    corrections: sync.corrections.planned
      .map(({ post, published }) => ({ post: { ...fromPlanned(post), kind: post.kind as 'correction' | 'cancellation' }, published }))
      .sort((a, b) => byDue(a.post, b.post)),
    correctionsWithdrawn: sync.corrections.cancelled,
  };
  return { ok: true, check, preview };
}

function fromPlanned(post: PlannedPost): PreviewPost {
  return { id: post.id, kind: post.kind, ruleId: post.ruleId, channelId: post.channelId, releaseId: post.releaseId, dueAt: post.dueAt };
}

function fromLedger(post: Pick<LedgerPost, 'id' | 'kind' | 'ruleId' | 'channelId' | 'releaseId' | 'dueAt' | 'state'>): PreviewPost {
  return { id: post.id, kind: post.kind, ruleId: post.ruleId, channelId: post.channelId, releaseId: post.releaseId, dueAt: post.dueAt, state: post.state };
}
