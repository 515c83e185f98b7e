/**
 * Graph errors the fake Facebook Page API sends, in the real envelope
 * (instagram/graph-error-bodies.ts `graphErrorBody`). Codes and texts as Meta
 * documents or as reported in production (docs/channels/facebook.md §4, §6).
 */
import { GRAPH_ERRORS, type GraphErrorSpec } from '../instagram/graph-error-bodies';

export const FACEBOOK_ERRORS = {
  invalidToken: GRAPH_ERRORS.invalidToken,
  missingToken: GRAPH_ERRORS.missingToken,
  /** What Meta answers once it invalidated a Page token (password change, role removed). */
  revokedToken: { status: 400, code: 190, subcode: 460, message: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.' },
  unknownObject: GRAPH_ERRORS.unknownObject,
  invalidParameter: GRAPH_ERRORS.invalidParameter,
  /** koala#699: the answer that came with every one of seven duplicate posts. */
  serverError: GRAPH_ERRORS.serverError,
  missingPostPermission: { status: 403, code: 200, message: '(#200) The permission(s) pages_manage_posts are not available. It could because either they are deprecated or need to be approved by App Review.' },
  missingReadPermission: { status: 400, code: 10, message: "(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature." },
  badImage: { status: 400, code: 324, message: '(#324) Missing or invalid image file' },
  tooLarge: { status: 400, code: 100, subcode: 1366046, message: 'Invalid parameter', userMessage: 'Photos should be smaller than 4 MB and saved as JPG, PNG, GIF, TIFF, HEIF or WebP files.' },
  duplicate: { status: 400, code: 506, message: '(#506) Duplicate status message' },
  blocked: { status: 400, code: 368, subcode: 1390008, message: 'The action attempted has been deemed abusive or is otherwise disallowed', userMessage: "You're temporarily blocked from posting." },
  throttled: GRAPH_ERRORS.throttled,
  userThrottled: GRAPH_ERRORS.userThrottled,
  pageThrottled: GRAPH_ERRORS.pageThrottled,
  customThrottled: GRAPH_ERRORS.customThrottled,
  pageBucThrottled: { status: 400, code: 80001, message: 'There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.' },
} satisfies Record<string, GraphErrorSpec>;
