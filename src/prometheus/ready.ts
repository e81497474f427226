/**
 * Is Prometheus there? Its `/-/ready` endpoint answers 200 once it serves queries. Used by
 * readiness; freshness of the data is checked separately where the data is read.
 */
import { request } from 'undici';

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
