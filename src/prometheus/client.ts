/**
 * The only PromQL client: instant queries over undici with one deadline for the whole exchange, a
 * cap on the answer's size, and POST (form-encoded, as Prometheus's API accepts) once the query
 * would make a URL longer than proxies reliably carry. Expected failures come back as values.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { decodeError, decodeSuccess } from './decode.ts';
import { promFailure, type QueryResult } from './types.ts';

/** Options of createPrometheusClient. */
export type PrometheusClientOptions = {
  /** Base URL of Prometheus, e.g. `http://prometheus:9090` or `https://host/prometheus/`. */
  url: string;
  /** Deadline for one query: connect, answer and body together (also sent as `timeout`). */
  timeoutSeconds: number;
  /** undici dispatcher to use; by default the client owns a keep-alive Agent. */
  dispatcher?: Dispatcher;
  /** Answers larger than this are refused as `bad-data` (default 64 MiB). */
  maxResponseBytes?: number;
  /** Encoded parameters longer than this go in a POST body (default 1500 characters). */
  postThreshold?: number;
  /** Makes the deadline signal; tests inject one they abort themselves. */
  timeoutSignal?: (ms: number) => AbortSignal;
};

/** Talks to one Prometheus. */
export interface PrometheusClient {
  /** Base URL without credentials, for messages. */
  readonly origin: string;
  /** Instant query at `time` (Unix seconds or a Date; Prometheus's "now" when omitted). */
  query(promql: string, time?: number | Date): Promise<QueryResult>;
  /** Closes the client's own connections (not an injected dispatcher). */
  close(): Promise<void>;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_POST_THRESHOLD = 1500;
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'TimeoutError']);

class TooLarge extends Error {}

/** Creates a client. Throws only for a URL that is not http(s) (a start-up config bug). */
export function createPrometheusClient(opts: PrometheusClientOptions): PrometheusClient {
  const base = new URL(opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`prometheus.url must be http or https: ${base.origin}`);
  const endpoint = new URL('api/v1/query', base);
  const where = `Prometheus at ${base.origin}${base.pathname === '/' ? '' : base.pathname}`;
  const owned = opts.dispatcher === undefined ? new Agent({ keepAliveTimeout: 30_000, connections: 16 }) : undefined;
  const dispatcher = opts.dispatcher ?? owned;
  const ms = Math.max(1, Math.round(opts.timeoutSeconds * 1000));
  const cap = opts.maxResponseBytes ?? DEFAULT_MAX_BYTES;
  const threshold = opts.postThreshold ?? DEFAULT_POST_THRESHOLD;
  const makeSignal = opts.timeoutSignal ?? ((t: number) => AbortSignal.timeout(t));

  async function query(promql: string, time?: number | Date): Promise<QueryResult> {
    // Plain seconds: Prometheus reads a float there, while "0.5s" is no valid Prometheus duration.
    const params = new URLSearchParams({ query: promql, timeout: String(opts.timeoutSeconds) });
    if (time !== undefined) params.set('time', unixSeconds(time));
    const encoded = params.toString();
    const usePost = encoded.length > threshold;
    const signal = makeSignal(ms);
    try {
      const res = await request(usePost ? endpoint : `${endpoint.href}?${encoded}`, {
        method: usePost ? 'POST' : 'GET',
        headers: { accept: 'application/json', ...(usePost ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(usePost ? { body: encoded } : {}),
        dispatcher,
        signal,
        headersTimeout: ms,
        bodyTimeout: ms,
      });
      const text = await readCapped(res.body, Number(res.headers['content-length'] ?? 0), cap);
      return interpret(res.statusCode, text, where);
    } catch (err) {
      return classify(err, signal, where, ms, cap);
    }
  }

  return {
    origin: where,
    query,
    close: async () => {
      await owned?.close();
    },
  };
}

function unixSeconds(time: number | Date): string {
  const s = time instanceof Date ? time.getTime() / 1000 : time;
  return s.toFixed(3);
}

async function readCapped(body: Dispatcher.ResponseData['body'], declared: number, cap: number): Promise<string> {
  if (declared > cap) {
    discard(body);
    throw new TooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > cap) {
      discard(body);
      throw new TooLarge();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops a body we will not read; undici reports the abort as an 'error' that must be heard. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function interpret(status: number, text: string, where: string): QueryResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (obj?.status === 'error') return decodeError(obj, where, status);
  if (status < 200 || status > 299) return promFailure('http', `${where} answered HTTP ${status}: ${snippet(text)}`, status);
  if (obj?.status !== 'success') return promFailure('bad-data', `${where} answered HTTP ${status} with no Prometheus query answer: ${snippet(text)}`, status);
  return decodeSuccess(obj, where);
}

function classify(err: unknown, signal: AbortSignal, where: string, ms: number, cap: number): QueryResult {
  if (err instanceof TooLarge) return promFailure('bad-data', `${where}: answer larger than ${cap} bytes; narrow the query`);
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  if (signal.aborted || TIMEOUT_CODES.has(code)) return promFailure('timeout', `${where}: no answer within ${ms} ms (${code})`);
  const message = typeof e.message === 'string' && e.message !== '' ? `${code}: ${e.message}` : code;
  return promFailure('unreachable', `${where} unreachable: ${message}`);
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one === '' ? '(empty body)' : one.length > 200 ? `${one.slice(0, 200)}...` : one;
}
