/**
 * X API v2 error bodies as X sends them (RFC 7807 "problem" objects), so the
 * driver meets the shapes it will meet in production.
 */

export interface XProblem {
  status: number;
  body: Record<string, unknown>;
}

export const X_PROBLEMS = {
  unauthorized: (): XProblem => ({ status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } }),
  duplicate: (): XProblem => ({
    status: 403,
    body: { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 },
  }),
  oauth1Permissions: (): XProblem => ({
    status: 403,
    body: {
      title: 'Unsupported Authentication',
      detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
      type: 'https://api.twitter.com/2/problems/oauth1-permissions',
      status: 403,
    },
  }),
  tooManyRequests: (): XProblem => ({ status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 } }),
  invalidRequest: (message: string, parameter?: string, value = ''): XProblem => ({
    status: 400,
    body: {
      errors: [{ ...(parameter ? { parameters: { [parameter]: [value] } } : {}), message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  }),
  notFound: (): XProblem => ({ status: 404, body: { title: 'Not Found Error', detail: 'Not Found', type: 'about:blank', status: 404 } }),
  /** What a status means when a fault gives no body of its own. */
  forStatus: (status: number): XProblem => {
    const titles: Record<number, string> = {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      429: 'Too Many Requests',
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
      504: 'Gateway Timeout',
    };
    const title = titles[status] ?? 'Error';
    return { status, body: { title, detail: title, type: 'about:blank', status } };
  },
};
