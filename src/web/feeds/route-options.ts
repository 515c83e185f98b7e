/**
 * What every feed and API route declares: anyone may call it (web/access.ts),
 * from any origin (cors.ts), and its errors are JSON (api-errors.ts). Route
 * options rather than hooks of a plugin scope: they reach exactly these
 * routes, and the console and the public pages keep their own.
 */
import { PUBLIC } from '../access';
import { sendJsonError } from './api-errors';
import { allowAnyOrigin } from './cors';

export const API_PREFIX = '/api/v1';

export const FEED_ROUTE = { config: { access: PUBLIC }, onRequest: allowAnyOrigin, errorHandler: sendJsonError };
