/**
 * The "review changes" page's data from console/edit's `previewEdit`: which
 * pending posts are rendered again (and why), which appear, which disappear,
 * and for what is already published, the correction or cancellation post each
 * channel gets (with the published posts it answers). Times in office time.
 */
import type { OfficeConfig } from '../../../config/types';
import type { EditPreview, PreviewPost } from '../../../console/edit';
import { channelRef, stateLabel } from '../../../console/view-parts';
import { formatStaffTime } from '../../../render/helpers/staff-time';
import type { Lang, Translate } from '../../i18n';

export interface ReviewPost {
  kindLabel: string;
  ruleId: string;
  channel: string;
  releaseId: string | null;
  due: { iso: string; text: string };
  stateLabel: string | null;
  why: string | null;
}

export interface ReviewLists {
  rerendered: ReviewPost[];
  added: ReviewPost[];
  removed: ReviewPost[];
  corrections: (ReviewPost & { answers: { kindLabel: string; at: { iso: string; text: string } }[] })[];
  withdrawn: number;
  /** Nothing at all changes in the posts (a change outside the planning horizon, or of a past opening). */
  nothing: boolean;
}

export function reviewLists(preview: EditPreview, office: OfficeConfig, env: { now: Date; lang: Lang; t: Translate }): ReviewLists {
  const time = (instant: Date): { iso: string; text: string } => ({ iso: instant.toISOString(), text: formatStaffTime(instant, office.timezone, env.now) });
  const post = (p: PreviewPost, why?: 'facts' | 'time'): ReviewPost => ({
    kindLabel: env.t(`calendar.kind.${p.kind}`),
    ruleId: p.ruleId,
    channel: channelRef(office, p.channelId).label,
    releaseId: p.releaseId,
    due: time(p.dueAt),
    stateLabel: p.state === undefined ? null : stateLabel(p.state, env.lang),
    why: why === undefined ? null : env.t(`edit.review.why.${why}`),
  });
  const lists: ReviewLists = {
    rerendered: preview.rerendered.map((p) => post(p, p.why)),
    added: preview.added.map((p) => post(p)),
    removed: preview.removed.map((p) => post(p)),
    corrections: preview.corrections.map((c) => ({
      ...post(c.post),
      answers: c.published.map((published) => ({ kindLabel: env.t(`calendar.kind.${published.kind}`), at: time(published.publishedAt) })),
    })),
    withdrawn: preview.correctionsWithdrawn.length,
    nothing: false,
  };
  lists.nothing = lists.rerendered.length + lists.added.length + lists.removed.length + lists.corrections.length + lists.withdrawn === 0;
  return lists;
}
