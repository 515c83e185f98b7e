/**
 * The Graph API's real error bodies, as the fake Instagram server returns them:
 * `{error:{message,type,code,error_subcode,error_user_title,error_user_msg,fbtrace_id}}`.
 */
import crypto from 'node:crypto';

export interface GraphErrorSpec {
  status: number;
  code: number;
  subcode?: number;
  type?: string;
  message: string;
  userMessage?: string;
}

export function graphErrorBody(spec: GraphErrorSpec): { error: Record<string, unknown> } {
  return {
    error: {
      message: spec.message,
      type: spec.type ?? 'OAuthException',
      code: spec.code,
      ...(spec.subcode !== undefined ? { error_subcode: spec.subcode, is_transient: false } : {}),
      ...(spec.userMessage ? { error_user_title: spec.message, error_user_msg: spec.userMessage } : {}),
      fbtrace_id: crypto.randomBytes(9).toString('base64url'),
    },
  };
}

/** The errors the fake produces on its own (faults can send any other). */
export const GRAPH_ERRORS = {
  invalidToken: { status: 400, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
  expiredToken: { status: 400, code: 190, subcode: 463, message: 'Error validating access token: Session has expired.' },
  missingToken: { status: 400, code: 190, message: 'An active access token must be used to query information about the current user.' },
  unknownObject: { status: 400, code: 100, subcode: 33, type: 'GraphMethodException', message: 'Unsupported request - method type: get' },
  invalidParameter: { status: 400, code: 100, message: 'Invalid parameter' },
  notFetchable: { status: 400, code: 9004, subcode: 2207052, message: 'Only photo or video can be accepted as media type.', userMessage: 'The media could not be fetched from this URI.' },
  badFormat: { status: 400, code: 36001, subcode: 2207005, message: 'Invalid image format', userMessage: 'The image format is not supported.' },
  badAspect: { status: 400, code: 36003, subcode: 2207009, message: 'The aspect ratio is not supported.', userMessage: 'The submitted image with aspect ratio cannot be published. Please submit an image with a valid aspect ratio.' },
  tooLarge: { status: 400, code: 36000, subcode: 2207004, message: 'The image is too large to download', userMessage: 'The image is too large to download. It should be less than 8 MiB.' },
  notReady: { status: 400, code: 9007, subcode: 2207027, message: 'Media ID is not available', userMessage: 'The media is not ready for publishing, please wait for a moment' },
  publishLimit: { status: 400, code: 9, subcode: 2207042, message: 'Application request limit reached', userMessage: 'You reached maximum number of posts that is allowed to be published by Content Publishing API.' },
  serverError: { status: 500, code: 2, type: 'OAuthException', message: 'An unexpected error has occurred. Please retry your request later.' },
  throttled: { status: 400, code: 4, message: 'Application request limit reached' },
  userThrottled: { status: 400, code: 17, message: 'User request limit reached' },
  pageThrottled: { status: 400, code: 32, message: 'Page request limit reached' },
  customThrottled: { status: 400, code: 613, message: 'Calls to this api have exceeded the rate limit.' },
  spam: { status: 400, code: 4, subcode: 2207051, message: 'Application request limit reached', userMessage: 'We restrict certain activity to protect our community.' },
} satisfies Record<string, GraphErrorSpec>;
