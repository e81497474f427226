/**
 * The process logger: pino JSON lines, each decision tagged with an `event` field, and every place
 * a secret could appear redacted (auth headers, tokens, channel secrets and URLs).
 */
import { pino, type Logger, type DestinationStream } from 'pino';

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'auth_token',
  '*.auth_token',
  'server.auth_token',
  'secret',
  '*.secret',
  'bearer_token',
  '*.bearer_token',
  'notifications.*.url',
  'notifications.*.secret',
  'notifications.*.bearer_token',
  'config.server.auth_token',
  'config.notifications.*.url',
  'config.notifications.*.secret',
  'config.notifications.*.bearer_token',
];

/** Creates the logger; tests pass a destination stream to read the lines back. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const opts = { level: options.level ?? 'info', base: { app: 'headroom' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
