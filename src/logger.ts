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
