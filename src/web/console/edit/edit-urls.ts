/** The edit pages' addresses, for the forms and for the calendar's links to them. */
const officePath = (officeId: string): string => `/admin/o/${encodeURIComponent(officeId)}`;

export const editUrls = {
  hub: (officeId: string): string => `${officePath(officeId)}/edit`,
  addOpening: (officeId: string): string => `${officePath(officeId)}/edit/opening/new`,
  changeOpening: (officeId: string, releaseId: string): string => `${officePath(officeId)}/edit/opening/${encodeURIComponent(releaseId)}`,
  enterCounts: (officeId: string, releaseId: string): string => `${officePath(officeId)}/edit/opening/${encodeURIComponent(releaseId)}/counts`,
  cancelOpening: (officeId: string, releaseId: string): string => `${officePath(officeId)}/edit/opening/${encodeURIComponent(releaseId)}/cancel`,
  addClosure: (officeId: string): string => `${officePath(officeId)}/edit/closure/new`,
  importCsv: (officeId: string): string => `${officePath(officeId)}/edit/csv`,
  calendar: (officeId: string): string => `${officePath(officeId)}/calendar`,
};
