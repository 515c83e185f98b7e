/**
 * "Posts wait for your approval" on the dashboard (`settings.approval`): the
 * posts of the coming week that need an approval and have none for what they
 * show now, with the page where staff approve them. Past its cut-off a post
 * still goes out once approved before its deadline, but staff were alerted:
 * that makes the task urgent.
 */
import { listAwaitingApproval } from '../../../store/approvals';
import type { Store } from '../../../store/open';
import { staffTime } from '../../../console/view-parts';
import type { Translate } from '../../i18n';
import type { OfficePaths } from '../../office-nav';

const DAY_MS = 86_400_000;

export interface ApprovalTaskView {
  severity: 'error' | 'warning';
  title: string;
  action: string;
  details: string[];
  link: { href: string; label: string };
}

export async function approvalTask(store: Store, office: { id: string; zone: string }, now: Date, paths: OfficePaths, t: Translate): Promise<ApprovalTaskView | null> {
  // From a day back: a post past its due time but not its deadline still goes out once approved.
  const waiting = await listAwaitingApproval(store, { officeId: office.id, from: new Date(now.getTime() - DAY_MS), to: new Date(now.getTime() + 7 * DAY_MS) });
  if (waiting.length === 0) return null;
  const cutoffs = waiting.map((each) => each.post.approveBy ?? each.post.dueAt).sort((a, b) => a.getTime() - b.getTime());
  const late = cutoffs.filter((cutoff) => cutoff <= now).length;
  const first = staffTime(cutoffs[0]!, office.zone, now).text;
  return {
    severity: late > 0 ? 'error' : 'warning',
    title: late > 0 ? t('dashboard.approval.late', { count: waiting.length, late }) : t('dashboard.approval.waiting', { count: waiting.length, at: first }),
    action: t('dashboard.approval.action'),
    details: [],
    link: { href: paths.approvals, label: t('dashboard.link.approvals') },
  };
}
