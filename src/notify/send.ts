/**
 * One HTTP attempt for one rendered message, over undici, classified the way Alertmanager's
 * notifiers do: 2xx is success (unless the vendor's body says otherwise), 429 and 5xx and
 * network errors are retryable, any other status is given up. Reasons never carry the URL.
 */
import { request, type Dispatcher } from 'undici';
import type { Channel, OutgoingRequest } from './channel.ts';
import { parseRetryAfter } from './retry.ts';

/** How an attempt ended. `retryAfterMs` is the server's requested wait, when it gave one. */
export type AttemptResult =
  | { kind: 'ok'; status: number }
  | { kind: 'retry'; status?: number; retryAfterMs?: number; reason: string }
  | { kind: 'fail'; status?: number; reason: string };

const MAX_ANSWER_BYTES = 64 * 1024;

/** Sends once; never throws. `signal` is the notifier's shutdown signal. */
export async function sendOnce(req: OutgoingRequest, channel: Channel, dispatcher: Dispatcher, timeoutMs: number, signal: AbortSignal, now: () => number): Promise<AttemptResult> {
  try {
    const res = await request(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      dispatcher,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const answer = await readCapped(res.body);
    const status = res.statusCode;
    if (status >= 200 && status < 300) {
      const verdict = channel.judge?.(status, answer) ?? { ok: true };
      if (verdict.ok) return { kind: 'ok', status };
      const reason = scrub(verdict.reason, req.url);
      return verdict.retry ? { kind: 'retry', status, reason } : { kind: 'fail', status, reason };
    }
    const reason = `HTTP ${status}${answer !== '' ? `: ${scrub(oneLine(answer), req.url)}` : ''}`;
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now()) ?? feishuReset(res.headers['x-ogw-ratelimit-reset']);
      return retryAfterMs === undefined ? { kind: 'retry', status, reason } : { kind: 'retry', status, retryAfterMs, reason };
    }
    return { kind: 'fail', status, reason };
  } catch (err) {
    const reason = describeError(err, req.url);
    return signal.aborted ? { kind: 'fail', reason: `aborted at shutdown (${reason})` } : { kind: 'retry', reason };
  }
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ANSWER_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}

function feishuReset(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) * 1000 : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

/** An error as `code: message`, with the URL (and so any token in it) scrubbed out. */
export function describeError(err: unknown, url: string): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(err);
  return `${code}: ${scrub(oneLine(message), url)}`;
}

/**
 * Removes the URL, its path, its query and each long path segment or query value (where webhook
 * tokens live) from text bound for logs.
 */
export function scrub(text: string, url: string): string {
  const u = URL.canParse(url) ? new URL(url) : null;
  const secrets = [url];
  if (u !== null) {
    secrets.push(u.pathname, u.search, safeDecode(u.search) ?? '');
    secrets.push(...u.pathname.split('/').filter((seg) => seg.length >= 16));
    for (const value of u.searchParams.values()) if (value.length >= 8) secrets.push(value, encodeURIComponent(value));
  }
  let out = text;
  for (const secret of secrets.sort((a, b) => b.length - a.length)) {
    if (secret.length > 1) out = out.replaceAll(secret, '[redacted]');
  }
  return out;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
