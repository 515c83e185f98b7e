/** The edit pages' addresses, for the forms and for the calendar's links to them. */
import { officePaths } from '../../office-nav';

const officePath = (officeId: string): string => `/admin/o/${encodeURIComponent(officeId)}`;

export const editUrls = {
  hub: (officeId: string): string => `${officePath(officeId)}/edit`,
  addOpening: (officeId: string): string => `${officePath(officeId)}/edit/opening/new`,
  changeOpening: (officeId: string, releaseId: string): string => `${officePath(officeId)}/edit/opening/${encodeURIComponent(releaseId)}`,
  enterCounts: (officeId: string, releaseId: string): string => `${officePath(officeId)}/edit/opening/${encodeURIComponent(releaseId)}/counts`,
  cancelOpening: (officeId: string, releaseId: string): string => `${officePath(officeId)}/edit/opening/${encodeURIComponent(releaseId)}/cancel`,
  addClosure: (officeId: string): string => `${officePath(officeId)}/edit/closure/new`,
  importCsv: (officeId: string): string => `${officePath(officeId)}/edit/csv`,
  /** The recurring rules: a page of the office's menu (web/office-nav.ts), its forms below it. */
  rules: (officeId: string): string => officePaths(officeId).rules,
  addRule: (officeId: string): string => `${officePaths(officeId).rules}/new`,
  changeRule: (officeId: string, ruleId: string): string => `${officePaths(officeId).rules}/${encodeURIComponent(ruleId)}`,
  endRule: (officeId: string, ruleId: string): string => `${officePaths(officeId).rules}/${encodeURIComponent(ruleId)}/end`,
  removeRule: (officeId: string, ruleId: string): string => `${officePaths(officeId).rules}/${encodeURIComponent(ruleId)}/remove`,
  calendar: (officeId: string): string => `${officePath(officeId)}/calendar`,
};
