/**
 * One channel's delivery loop: a bounded queue (oldest dropped when full), one request at a time
 * in order, the channel's rate limits, retries with back-off. A slow or dead channel only ever
 * delays its own queue.
 */
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { Channel, OutgoingRequest } from './channel.ts';
import type { NotifyEvent } from './events.ts';
import { createRateLimiter, type Sleep } from './rate-limit.ts';
import { MAX_RETRY_AFTER_MS, backoffDelay, type BackoffOptions } from './retry.ts';
import { bytes } from './render/fit.ts';
import { sendOnce, type AttemptResult } from './send.ts';

/** The results counted in `headroom_notifications_total{channel,result}`. */
export type DeliveryResult = 'sent' | 'failed' | 'retried' | 'dropped';

/** What a worker needs from its surroundings. */
export type WorkerDeps = {
  channel: Channel;
  host: string;
  dispatcher: Dispatcher;
  timeoutMs: number;
  queueSize: number;
  maxRetries: number;
  backoff: BackoffOptions;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  signal: AbortSignal;
  count: (result: DeliveryResult) => void;
  log: (level: 'warn' | 'debug', fields: Record<string, unknown>, msg: string) => void;
};

/** A channel's queue and loop. */
export type Worker = {
  enqueue(event: NotifyEvent): void;
  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void>;
  /** Drops what is still queued (counted), at shutdown. */
  discard(): number;
};

type Item = { event: NotifyEvent; deliveryId: string };

/** Creates the worker; it starts when the first event arrives. */
export function createWorker(deps: WorkerDeps): Worker {
  const queue: Item[] = [];
  const limiter = createRateLimiter(deps.channel.limits, deps.now, deps.sleep);
  let running: Promise<void> | null = null;

  function start(): void {
    if (running !== null || deps.signal.aborted) return;
    running = loop()
      .catch((err: unknown) => deps.log('warn', { channel: deps.channel.name, err: (err as Error).message }, 'notification worker error'))
      .finally(() => {
        running = null;
        // An event may have arrived between the loop's last check and this callback.
        if (queue.length > 0) start();
      });
  }

  async function loop(): Promise<void> {
    while (!deps.signal.aborted) {
      const item = queue.shift();
      if (item === undefined) return;
      await deliver(item);
    }
  }

  async function deliver(item: Item): Promise<void> {
    const { channel } = deps;
    for (let attempt = 0; ; attempt++) {
      try {
        await limiter.acquire(deps.signal);
      } catch {
        // Shutdown while waiting for a slot: never attempted is a drop, a pending retry a failure.
        return attempt === 0 ? drop(item, 'shutdown') : fail(item, 'aborted at shutdown', attempt);
      }
      let req: OutgoingRequest | null;
      try {
        req = channel.render(item.event, { now: deps.now(), deliveryId: item.deliveryId });
      } catch (err) {
        return fail(item, `render error: ${(err as Error).message}`, attempt);
      }
      if (req === null) return;
      if (bytes(req.body) > channel.limits.maxBytes) return fail(item, `body of ${bytes(req.body)} bytes exceeds ${channel.limits.maxBytes}`, attempt);
      const result = await sendOnce(req, channel, deps.dispatcher, deps.timeoutMs, deps.signal, deps.now);
      if (result.kind === 'ok') {
        deps.count('sent');
        deps.log('debug', { channel: channel.name, host: deps.host, status: result.status, attempts: attempt + 1, type: item.event.type }, 'notification sent');
        return;
      }
      const wait = retryWait(result, attempt);
      if (wait === null) return fail(item, result.reason, attempt, result.status);
      deps.count('retried');
      if (result.kind === 'retry' && result.retryAfterMs !== undefined) limiter.pause(deps.now() + wait);
      try {
        await deps.sleep(wait, deps.signal);
      } catch {
        return fail(item, `aborted at shutdown after: ${result.reason}`, attempt, result.status);
      }
    }
  }

  function retryWait(result: Exclude<AttemptResult, { kind: 'ok' }>, attempt: number): number | null {
    if (result.kind === 'fail' || attempt >= deps.maxRetries || deps.signal.aborted) return null;
    if (result.retryAfterMs !== undefined) return result.retryAfterMs <= MAX_RETRY_AFTER_MS ? result.retryAfterMs : null;
    return backoffDelay(attempt, deps.random, deps.backoff);
  }

  function drop(item: Item | undefined, reason: string): void {
    deps.count('dropped');
    deps.log('warn', { event: 'notification-dropped', channel: deps.channel.name, host: deps.host, type: item?.event.type, reason }, 'notification dropped');
  }

  function fail(item: Item, reason: string, attempt: number, status?: number): void {
    deps.count('failed');
    deps.log('warn', { event: 'notification-failed', channel: deps.channel.name, host: deps.host, status, reason, attempts: attempt + 1, type: item.event.type }, 'notification failed');
  }

  return {
    enqueue(event) {
      queue.push({ event, deliveryId: randomUUID() });
      while (queue.length > deps.queueSize) {
        drop(queue.shift(), 'queue full');
      }
      start();
    },
    async idle() {
      while (running !== null) await running;
    },
    discard() {
      const n = queue.length;
      queue.length = 0;
      for (let i = 0; i < n; i++) deps.count('dropped');
      return n;
    },
  };
}
