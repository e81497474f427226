/**
 * The one path every API call takes: the client-side rate limit, a per-call timeout joined to the
 * caller's abort signal, one shared connection pool, and errors turned into `KubeFailure` values.
 *
 * client-node 2.x builds a new undici Agent for every request (so every call pays a TCP and TLS
 * handshake); a middleware here keeps the first Agent and hands it to every later request.
 */
import { Observable, type KubeConfig, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import { classifyError } from './failure.ts';
import { TokenBucket, realTiming, type Timing } from './rate-limit.ts';
import type { KubeResult } from './types.ts';

/** The per-call options client-node's object-parameter APIs accept. */
export type CallOptions = {
  middleware: Array<{ pre: (ctx: RequestContext) => Observable<RequestContext>; post: (ctx: ResponseContext) => Observable<ResponseContext> }>;
  middlewareMergeStrategy: 'append';
};

/**
 * Tuning of the caller. The defaults are kube-scheduler's (50 qps, burst 100): one acting round
 * makes ~8 calls (claim, evictions, Events, settle, lists), and at 20 qps a few nodes alerting at
 * once already queued behind the limiter (measured: 50 ms per call instead of 5).
 */
export type CallerOptions = Readonly<{
  /** Sustained requests per second (default 50). */
  qps?: number;
  /** Requests allowed at once above the rate (default 100). */
  burst?: number;
  /** Per-call timeout in ms (default 15 000). */
  timeoutMs?: number;
  timing?: Timing;
}>;

/** Runs client-node calls under the limits; never throws. */
export type Caller = <T>(fn: (options: CallOptions) => Promise<T>, signal?: AbortSignal) => Promise<KubeResult<T>>;

/** Creates the caller for one KubeConfig (one rate limit and one pool per headroom process). */
export function createCaller(options: CallerOptions = {}): Caller {
  const timing = options.timing ?? realTiming;
  const bucket = new TokenBucket({ qps: options.qps ?? 50, burst: options.burst ?? 100, timing });
  const timeoutMs = options.timeoutMs ?? 15_000;
  let shared: ReturnType<RequestContext['getDispatcher']>;

  return async <T>(fn: (o: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<KubeResult<T>> => {
    try {
      await bucket.take(signal);
    } catch {
      return { ok: false, failure: { kind: 'aborted', status: null, reason: '', message: 'aborted while rate-limited', retryable: false, retryAfterSeconds: null } };
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const pre = (ctx: RequestContext): Observable<RequestContext> => {
      ctx.setSignal(combined);
      shared ??= ctx.getDispatcher();
      if (shared !== undefined) ctx.setDispatcher(shared);
      return new Observable(Promise.resolve(ctx));
    };
    const post = (ctx: ResponseContext): Observable<ResponseContext> => new Observable(Promise.resolve(ctx));
    try {
      return { ok: true, value: await fn({ middleware: [{ pre, post }], middlewareMergeStrategy: 'append' }) };
    } catch (err) {
      return { ok: false, failure: classifyError(err, signal?.aborted ?? false) };
    }
  };
}

/** The server a KubeConfig talks to, for messages. */
export function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '(no cluster)';
}
