/**
 * Logging through pino. Secrets never reach a log line: known credential keys
 * are redacted, and drivers never log request headers.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export const REDACT_PATHS = [
  'token',
  'accessToken',
  'access_token',
  'secret',
  'password',
  'authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.secret',
  '*.password',
  '*.authorization',
  'headers.authorization',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    { level: options.level ?? process.env.LOG_LEVEL ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything: tests and pure commands. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** A post as the ledger (`id`) or a publish request (`postId`) names it. */
export type PostLogRef = { officeId: string; channelId: string } & ({ id: string } | { postId: string });

/**
 * The logger for lines about one post: each carries `office`, `post` (the
 * post id) and `channel`, so one `jq 'select(.post == "…")'` finds a post's
 * whole story across the scheduler, the drivers and the alerts
 * (docs/operations.md, "Logs"). Lines pass their other fields as usual and
 * never these three again (pino would write them twice).
 */
export function postLogger(logger: Logger, post: PostLogRef): Logger {
  return logger.child({ office: post.officeId, post: 'id' in post ? post.id : post.postId, channel: post.channelId });
}
