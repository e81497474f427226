/**
 * The notifier the rest of headroom talks to: `notify(event)` returns at once and never throws;
 * each configured channel filters by priority, queues, rate-limits and delivers on its own, so a
 * failing channel never blocks another, nor the eviction path. `close` drains within a bound.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'undici';
import type { Metrics } from '../http/metrics.ts';
import { atLeast } from '../core/priority.ts';
import type { ChannelRegistry } from './channel.ts';
import type { ChannelConfig } from './config-schema.ts';
import type { NotifyEvent } from './events.ts';
import { BUILTIN_CHANNELS } from './registry.ts';
import type { Sleep } from './rate-limit.ts';
import { DEFAULT_BACKOFF, type BackoffOptions } from './retry.ts';
import { createWorker, type DeliveryResult, type Worker } from './worker.ts';

/** The part of a pino logger the notifier uses. */
export type NotifierLogger = {
  warn(fields: Record<string, unknown>, msg: string): void;
  debug(fields: Record<string, unknown>, msg: string): void;
};

/** Everything `createNotifier` needs; `now`, `sleep` and `random` are injectable for tests. */
export type NotifierOptions = {
  /** The `notifications` block of the config: channel key to its config (absent = disabled). */
  config: Readonly<Record<string, ChannelConfig | undefined>>;
  metrics: Pick<Metrics, 'notifications'>;
  logger: NotifierLogger;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  /** Channel definitions by config key; defaults to the built-in ones. */
  channels?: ChannelRegistry;
  backoff?: BackoffOptions;
};

/** The notifier. */
export type Notifier = {
  /** Queues the event for every channel whose `min_priority` it meets. Never throws, never waits. */
  notify(event: NotifyEvent): void;
  /** Stops accepting, lets queues drain for up to `timeoutMs`, then aborts and drops the rest. */
  close(timeoutMs: number): Promise<void>;
  /** The enabled channels' names. */
  readonly channels: readonly string[];
};

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** Builds the notifier; throws only for a config key no channel definition knows (a bug). */
export function createNotifier(options: NotifierOptions): Notifier {
  const registry = options.channels ?? BUILTIN_CHANNELS;
  const now = options.now ?? Date.now;
  const abort = new AbortController();
  const agents: Agent[] = [];
  const workers: Array<{ name: string; config: ChannelConfig; worker: Worker }> = [];
  let closed = false;

  for (const [key, config] of Object.entries(options.config)) {
    if (config === undefined) continue;
    const definition = registry[key];
    if (definition === undefined) throw new Error(`notifications.${key}: no channel of that name is registered`);
    const channel = definition.create(config);
    const timeoutMs = Math.round(config.timeout * 1000);
    const agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    agents.push(agent);
    const count = (result: DeliveryResult): void => options.metrics.notifications.inc({ channel: channel.name, result });
    const worker = createWorker({
      channel,
      host: new URL(config.url).host,
      dispatcher: agent,
      timeoutMs,
      queueSize: config.queue_size,
      maxRetries: config.max_retries,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      now,
      sleep: options.sleep ?? realSleep,
      random: options.random ?? Math.random,
      signal: abort.signal,
      count,
      log: (level, fields, msg) => options.logger[level](fields, msg),
    });
    workers.push({ name: channel.name, config, worker });
  }

  return {
    channels: workers.map((w) => w.name),
    notify(event) {
      try {
        if (event.type === 'alert' && event.delivery.verdict === 'duplicate') return;
        for (const { name, config, worker } of workers) {
          if (!atLeast(event.priority, config.min_priority)) continue;
          if (closed) {
            options.metrics.notifications.inc({ channel: name, result: 'dropped' });
            continue;
          }
          worker.enqueue(event);
        }
      } catch (err) {
        options.logger.warn({ event: 'notification-error', err: (err as Error).message }, 'could not queue a notification');
      }
    },
    async close(timeoutMs) {
      if (closed) return;
      closed = true;
      const drained = Promise.all(workers.map((w) => w.worker.idle()));
      const timer = new AbortController();
      await Promise.race([drained, delay(Math.max(0, timeoutMs), undefined, { signal: timer.signal }).catch(() => undefined)]);
      timer.abort();
      abort.abort();
      await drained;
      for (const { name, worker } of workers) {
        const dropped = worker.discard();
        if (dropped > 0) options.logger.warn({ event: 'notification-dropped', channel: name, count: dropped, reason: 'shutdown' }, 'notifications dropped at shutdown');
      }
      await Promise.all(agents.map((a) => a.destroy()));
    },
  };
}
