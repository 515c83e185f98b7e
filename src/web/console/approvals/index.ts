/**
 * The approval page group (issue 9, `settings.approval`): the posts awaiting
 * approval by week, approving one or a week's set as shown, revoking, and who
 * approved what, when (approvals-routes.ts).
 */
import path from 'node:path';
import type { ConsolePage } from '../../console-page';
import { registerPageStyles } from '../page-styles';
import { registerApprovalRoutes } from './approvals-routes';
import { APPROVAL_MESSAGES } from './messages';

export const approvalsPage: ConsolePage = {
  name: 'approvals',
  messages: APPROVAL_MESSAGES,
  register(app, web) {
    registerPageStyles(app, 'approvals.css', path.join(__dirname, 'approvals.css'));
    registerApprovalRoutes(app, web);
  },
};
