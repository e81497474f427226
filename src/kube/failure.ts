/**
 * Turning whatever a client-node call threw into a `KubeFailure` value. client-node 2.x throws
 * `ApiException` whose `body` is the raw text of the server's `Status` (parsed here), or the
 * fetch error itself for network trouble and aborts. Callers branch on `kind`, never on text.
 */
import type { KubeFailure } from './types.ts';

/** The parts of a `metav1.Status` we read. */
export type KubeStatus = { reason: string; message: string; causes: Array<{ reason: string; message: string }>; retryAfterSeconds: number | null };

/** Parses a Status body (JSON text, or an already parsed object); null when it is not one. */
export function parseStatus(body: unknown): KubeStatus | null {
  let v: unknown = body;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (typeof v !== 'object' || v === null) return null;
  const s = v as { kind?: unknown; reason?: unknown; message?: unknown; details?: { causes?: unknown; retryAfterSeconds?: unknown } };
  if (s.kind !== 'Status' && s.message === undefined) return null;
  const causes = Array.isArray(s.details?.causes) ? (s.details.causes as Array<{ reason?: unknown; message?: unknown }>) : [];
  return {
    reason: typeof s.reason === 'string' ? s.reason : '',
    message: typeof s.message === 'string' ? s.message : '',
    causes: causes.map((c) => ({ reason: typeof c.reason === 'string' ? c.reason : '', message: typeof c.message === 'string' ? c.message : '' })),
    retryAfterSeconds: typeof s.details?.retryAfterSeconds === 'number' ? s.details.retryAfterSeconds : null,
  };
}

const KIND_BY_STATUS: Readonly<Record<number, KubeFailure['kind']>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'gone',
  409: 'conflict',
  410: 'expired',
  422: 'invalid',
  400: 'invalid',
  429: 'too-many-requests',
};

/**
 * Classifies a thrown value. `aborted` is the caller's own signal (not retryable); a timeout of
 * the call itself, a network error, a 429 without a PDB cause and every 5xx are retryable.
 */
export function classifyError(err: unknown, callerAborted: boolean): KubeFailure {
  const e = err as { code?: unknown; body?: unknown; headers?: Record<string, string>; name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof e?.code === 'number' && e.code >= 100 && e.code < 600) return fromHttp(e.code, e.body, e.headers);
  if (callerAborted) return { kind: 'aborted', status: null, reason: '', message: 'aborted', retryable: false, retryAfterSeconds: null };
  if (e?.name === 'TimeoutError') return { kind: 'timeout', status: null, reason: '', message: 'the API server did not answer in time', retryable: true, retryAfterSeconds: null };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : '';
  const detail = typeof e?.cause?.message === 'string' ? e.cause.message : typeof e?.message === 'string' ? e.message : String(err);
  return { kind: 'network', status: null, reason: code, message: `${code ? `${code}: ` : ''}${firstLine(detail)}`, retryable: true, retryAfterSeconds: null };
}

/** Classifies an HTTP error answer from its status code, Status body and headers. */
export function fromHttp(status: number, body: unknown, headers?: Record<string, string>): KubeFailure {
  const parsed = parseStatus(body);
  const message = parsed?.message || (typeof body === 'string' && body.length < 500 ? body.trim() : '') || `HTTP ${status}`;
  const headerRetry = Number(headers?.['retry-after']);
  const retryAfterSeconds = parsed?.retryAfterSeconds ?? (Number.isFinite(headerRetry) && headerRetry > 0 ? headerRetry : null);
  const base = { status, reason: parsed?.reason ?? '', message: firstLine(message), retryAfterSeconds };
  if (status === 429 && isDisruptionBudget(parsed)) {
    const cause = parsed?.causes.find((c) => c.reason === 'DisruptionBudget')?.message;
    return { ...base, kind: 'pdb-refused', message: cause ? `${base.message} (${cause})` : base.message, retryable: false };
  }
  if (status === 500 && /more than one PodDisruptionBudget/i.test(message)) return { ...base, kind: 'several-pdbs', retryable: false };
  const kind = KIND_BY_STATUS[status] ?? (status >= 500 ? 'server' : 'invalid');
  return { ...base, kind, retryable: kind === 'server' || kind === 'too-many-requests' };
}

/**
 * A 429 from the eviction subresource names the budget (cause `DisruptionBudget`, or the message
 * "would violate the pod's disruption budget"); a 429 from API Priority and Fairness does not and
 * is a plain "come back later".
 */
function isDisruptionBudget(s: KubeStatus | null): boolean {
  if (s === null) return false;
  return s.causes.some((c) => c.reason === 'DisruptionBudget') || /disruption budget/i.test(s.message);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 500);
}
