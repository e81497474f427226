/**
 * A loopback forwarding proxy for bench:decision: headroom talks plain HTTP to it, it forwards
 * every request unchanged (over keep-alive connections) to the real API server or Prometheus,
 * and it stamps when each request arrived and when its answer was complete, in epoch
 * milliseconds with sub-millisecond precision (`performance.timeOrigin + performance.now()`).
 * Arrival of an eviction POST is "the eviction request leaving headroom". It runs in the helper
 * process (`decision-helper.ts`), so its work never shares an event loop with headroom's.
 */
import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request as the proxy carried it; times are epoch milliseconds (fractional). */
export type Hop = { method: string; path: string; startMs: number; endMs: number | null; status: number | null };

/** A running proxy. */
export type RecordingProxy = {
  /** `http://127.0.0.1:<port>`, to put in a kubeconfig or `prometheus.url`. */
  url: string;
  /** Every request so far, in arrival order. */
  hops(): readonly Hop[];
  /** Requests still waiting for their answer. */
  inFlight(): number;
  close(): Promise<void>;
};

/** Starts a proxy to `upstream` (`https://…` needs the `ca` that signs its certificate). */
export async function startRecordingProxy(upstream: string, o: { ca?: Buffer } = {}): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const now = (): number => performance.timeOrigin + performance.now();
  const tls = target.protocol === 'https:';
  const agent = tls ? new HttpsAgent({ keepAlive: true, maxSockets: 32, ca: o.ca }) : new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const send = tls ? httpsRequest : httpRequest;
  const seen: Hop[] = [];
  let open = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const hop: Hop = { method: req.method ?? 'GET', path: req.url ?? '/', startMs: now(), endMs: null, status: null };
    seen.push(hop);
    open += 1;
    const finish = (status: number): void => {
      if (hop.endMs !== null) return;
      hop.endMs = now();
      hop.status = status;
      open -= 1;
    };
    const out = send({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host }, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('end', () => finish(up.statusCode ?? 0));
    });
    out.on('error', (err) => {
      finish(502);
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(out);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    hops: () => seen,
    inFlight: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a request to the API server or Prometheus was for, as the breakdown tables name it. */
export function hopKind(hop: Hop): string {
  const p = hop.path;
  if (p.startsWith('/api/v1/query')) return /container_memory_working_set_bytes/.test(decodeURIComponent(p)) ? 'prometheus: pod usage' : 'prometheus: node usage';
  if (hop.method === 'POST' && /\/pods\/[^/]+\/eviction(\?|$)/.test(p)) return 'kube: eviction';
  if (/\/configmaps/.test(p)) return `kube: limits ${hop.method === 'GET' ? 'read' : 'write'}`;
  if (/\/events(\?|$)/.test(p)) return 'kube: event';
  if (p.startsWith('/api/v1/pods') && /spec\.nodeName/.test(decodeURIComponent(p))) return "kube: list the node's pods";
  if (p.startsWith('/api/v1/pods')) return 'kube: list all pods (request sums)';
  if (p.startsWith('/api/v1/nodes')) return 'kube: list nodes';
  if (/poddisruptionbudgets/.test(p)) return 'kube: list PDBs';
  if (/replicasets|statefulsets/.test(p)) return 'kube: list owners';
  if (/selfsubjectaccessreviews/.test(p)) return 'kube: access review';
  return `${hop.method} ${p.split('?')[0] ?? p}`;
}
