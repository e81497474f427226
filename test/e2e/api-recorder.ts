/**
 * A loopback HTTP proxy in front of the test API server that forwards everything unchanged and
 * records when each eviction request arrived and when its answer left: the benchmark's view of
 * "the eviction call" without relying on headroom's own log. Loopback adds well under a
 * millisecond per call.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeCluster } from '../stack/kube-cluster.ts';

/** One eviction request as the proxy saw it; times are epoch milliseconds (fractional). */
export type RecordedEviction = { namespace: string; pod: string; startMs: number; endMs: number; status: number };

/** Any request as the proxy saw it. */
export type RecordedRequest = { method: string; path: string; startMs: number; endMs: number; status: number };

/** The running proxy. */
export type ApiRecorder = { url: string; evictions(): RecordedEviction[]; requests(): RecordedRequest[]; close(): Promise<void> };

const EVICTION = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction(?:\?|$)/;

/** Epoch milliseconds with sub-millisecond precision. */
const nowMs = (): number => performance.timeOrigin + performance.now();

/** Starts the proxy on 127.0.0.1. */
export async function startApiRecorder(cluster: KubeCluster): Promise<ApiRecorder> {
  const ca = await readFile(cluster.caFile);
  const upstream = new URL(cluster.url);
  const seen: RecordedEviction[] = [];
  const all: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const startMs = nowMs();
    const m = req.method === 'POST' ? EVICTION.exec(req.url ?? '') : null;
    const out = httpsRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, ca }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('end', () => {
        all.push({ method: req.method ?? '', path: req.url ?? '', startMs, endMs: nowMs(), status: up.statusCode ?? 0 });
        if (m) seen.push({ namespace: decodeURIComponent(m[1] ?? ''), pod: decodeURIComponent(m[2] ?? ''), startMs, endMs: nowMs(), status: up.statusCode ?? 0 });
      });
    });
    out.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    evictions: () => [...seen],
    requests: () => [...all],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
