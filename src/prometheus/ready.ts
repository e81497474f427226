/**
 * Is Prometheus there? Its `/-/ready` endpoint answers 200 once it serves queries. Used by
 * readiness; freshness of the data is checked separately where the data is read.
 */
import { request } from 'undici';
import type { UsageReader } from './usage.ts';

/** Returns null when Prometheus is ready, else why not. Never throws. */
export async function prometheusNotReady(baseUrl: string, timeoutSeconds: number): Promise<string | null> {
  const url = new URL('-/ready', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  try {
    const res = await request(url, { method: 'GET', headersTimeout: timeoutSeconds * 1000, bodyTimeout: timeoutSeconds * 1000 });
    await res.body.dump();
    return res.statusCode === 200 ? null : `${url.origin} answered ${res.statusCode} on /-/ready`;
  } catch (err) {
    const e = err as { code?: string; message: string };
    return `${url.origin} unreachable: ${e.code ?? e.message}`;
  }
}

/**
 * Returns null when Prometheus has fresh `node_usage` for at least one node, else why not (the
 * reader's message: unreachable, missing series, or how old the newest sample is). For the
 * pre-flight check and `/readyz`: a Prometheus that answers but has no fresh data cannot
 * justify an eviction.
 */
export async function prometheusNotFresh(reader: Pick<UsageReader, 'nodes'>): Promise<string | null> {
  const r = await reader.nodes();
  return r.ok ? null : r.message;
}
