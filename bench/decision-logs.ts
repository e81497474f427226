/**
 * headroom's log as bench:decision reads it: every line pino writes, stamped on arrival with the
 * epoch clock the proxies use, so a test can wait for an event (`webhook`, `evaluation`) and know
 * when it was logged. Only the last 200 lines are kept, for error messages.
 */
import type { Logger } from 'pino';
import { createLogger } from '../src/log.ts';
import { epochNow } from './decision-helper-client.ts';

/** The fields of a line the benchmark reads, and when it was written. */
export type LogLine = { at: number; event?: string; node?: string; result?: string; reason?: string };

/** A logger for `runServe`, with a way to wait for its lines. */
export type LogCapture = { logger: Logger; next(match: (l: LogLine) => boolean, timeoutMs: number): Promise<LogLine>; tail(): string[] };

/** Captures headroom's log lines with the moment each was written (same clock as the proxies). */
export function logCapture(): LogCapture {
  const recent: string[] = [];
  const waiters = new Set<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  const destination = {
    write(line: string): void {
      const at = epochNow();
      recent.push(line);
      if (recent.length > 200) recent.shift();
      if (waiters.size === 0) return;
      const parsed = { ...(JSON.parse(line) as Omit<LogLine, 'at'>), at };
      for (const w of waiters) {
        if (w.match(parsed)) {
          waiters.delete(w);
          w.resolve(parsed);
        }
      }
    },
  };
  return {
    logger: createLogger({ level: 'info', destination }),
    tail: () => [...recent],
    next: (match, timeoutMs) =>
      new Promise<LogLine>((resolve, reject) => {
        const w = {
          match,
          resolve: (l: LogLine) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no matching log line within ${timeoutMs} ms; last lines:\n${recent.slice(-10).join('')}`));
        }, timeoutMs);
        waiters.add(w);
      }),
  };
}
