/**
 * The process logger: pino JSON lines, each decision tagged with an `event` field, and every place
 * a secret is logged redacted (auth headers, tokens, channel secrets and URLs). The paths are
 * explicit, not leading wildcards: those cost ~3x per line on the webhook's hot path, and code
 * never logs secrets under other names (channels log their name and host only).
 */
import { pino, type Logger, type DestinationStream } from 'pino';

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  // Secrets at the top of a log object, and wherever a config (resolved or raw) or one of its
  // sections is logged. Explicit prefixes cost nothing measurable per line; only leading
  // wildcards (`*.secret`) do, so there are none.
  'auth_token',
  'secret',
  'bearer_token',
  ...['', 'config.', 'raw.'].flatMap((at) => [
    `${at}server.auth_token`,
    `${at}notifications.*.url`,
    `${at}notifications.*.secret`,
    `${at}notifications.*.bearer_token`,
  ]),
  'channel.url',
  'channel.secret',
  'channel.bearer_token',
];

/** Creates the logger; tests pass a destination stream to read the lines back. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const opts = { level: options.level ?? 'info', base: { app: 'headroom' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
