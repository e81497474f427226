/**
 * The one path every API call takes: the client-side rate limit, a per-call timeout joined to the
 * caller's abort signal, one shared connection pool, and errors turned into `KubeFailure` values.
 *
 * client-node 2.x builds a new undici Agent for every request (so every call pays a TCP and TLS
 * handshake); a middleware here keeps the first Agent and hands it to every later request.
 *
 * `call.json` answers a successful response's body as parsed JSON, exactly as the API server sent
 * it, instead of client-node's model objects: lists are read by the facts readers, which want the
 * JSON shape, and turning every page into model classes (then times back into strings) cost more
 * CPU and garbage than the list itself (bench:decision). client-node still builds the request,
 * authenticates it and judges errors; it is handed an empty object to decode.
 */
import { Observable, ResponseContext, type KubeConfig, type RequestContext, type ResponseBody } from '@kubernetes/client-node';
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
export type Caller = {
  <T>(fn: (options: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<KubeResult<T>>;
  /** The same, answering the response body as parsed JSON (see the module comment). */
  json(fn: (options: CallOptions) => Promise<unknown>, signal?: AbortSignal): Promise<KubeResult<unknown>>;
};

/** What client-node decodes in place of a body taken as JSON. */
const EMPTY_BODY: ResponseBody = { text: async () => '{}', binary: async () => Buffer.from('{}'), stream: () => null };

/** Creates the caller for one KubeConfig (one rate limit and one pool per headroom process). */
export function createCaller(options: CallerOptions = {}): Caller {
  const timing = options.timing ?? realTiming;
  const bucket = new TokenBucket({ qps: options.qps ?? 50, burst: options.burst ?? 100, timing });
  const timeoutMs = options.timeoutMs ?? 15_000;
  let shared: ReturnType<RequestContext['getDispatcher']>;

  const run = async <T>(fn: (o: CallOptions) => Promise<T>, signal: AbortSignal | undefined, raw: boolean): Promise<KubeResult<unknown>> => {
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
    let body: string | undefined;
    const post = (ctx: ResponseContext): Observable<ResponseContext> => {
      if (!raw || ctx.httpStatusCode < 200 || ctx.httpStatusCode > 299) return new Observable(Promise.resolve(ctx));
      return new Observable(
        ctx.body.text().then((text) => {
          body = text;
          return new ResponseContext(ctx.httpStatusCode, ctx.headers, EMPTY_BODY);
        }),
      );
    };
    try {
      const value = await fn({ middleware: [{ pre, post }], middlewareMergeStrategy: 'append' });
      return { ok: true, value: raw && body !== undefined ? (JSON.parse(body) as unknown) : value };
    } catch (err) {
      return { ok: false, failure: classifyError(err, signal?.aborted ?? false) };
    }
  };
  const call = <T>(fn: (o: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<KubeResult<T>> => run(fn, signal, false) as Promise<KubeResult<T>>;
  return Object.assign(call, { json: (fn: (o: CallOptions) => Promise<unknown>, signal?: AbortSignal) => run(fn, signal, true) });
}

/** The server a KubeConfig talks to, for messages. */
export function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '(no cluster)';
}
