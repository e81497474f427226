/**
 * What a PromQL query gives back: a vector, a scalar, or a failure value. Expected failures (a
 * Prometheus that is down, slow, broken or refusing the query) are values, never throws, so a
 * caller decides "no eviction, and say why" in one place.
 */

/**
 * Why a query failed:
 * - `unreachable`: no HTTP answer (connection refused, DNS, reset).
 * - `timeout`: our deadline passed, or Prometheus gave up (`errorType: timeout`).
 * - `http`: an HTTP error without a Prometheus error body (a proxy's 502, a 401).
 * - `bad-data`: the answer is not a Prometheus answer we understand (not JSON, wrong shape,
 *   over the size cap, a range result for an instant query).
 * - `query-error`: Prometheus refused or failed the query (`errorType` bad_data, execution, ...).
 */
export type PromFailureKind = 'unreachable' | 'timeout' | 'http' | 'bad-data' | 'query-error';

/** A failed query; `message` is for humans and names the server (never its credentials). */
export type PromFailure = Readonly<{ ok: false; kind: PromFailureKind; message: string; status?: number }>;

/** One element of an instant vector. `timestamp` is Unix seconds (the evaluation time). */
export type PromSample = Readonly<{ labels: Readonly<Record<string, string>>; value: number; timestamp: number }>;

/** An instant vector result. `warnings` are Prometheus's own (e.g. partial data). */
export type PromVector = Readonly<{ ok: true; resultType: 'vector'; samples: readonly PromSample[]; warnings: readonly string[] }>;

/** A scalar result, such as `time()`. */
export type PromScalar = Readonly<{ ok: true; resultType: 'scalar'; value: number; timestamp: number; warnings: readonly string[] }>;

/** The outcome of one instant query. */
export type QueryResult = PromVector | PromScalar | PromFailure;

/** Builds a failure value. */
export function promFailure(kind: PromFailureKind, message: string, status?: number): PromFailure {
  return status === undefined ? { ok: false, kind, message } : { ok: false, kind, message, status };
}
