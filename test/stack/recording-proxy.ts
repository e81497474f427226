/**
 * A loopback forwarding proxy for tests and benchmarks: a client talks plain HTTP to it, it
 * forwards every request unchanged (keep-alive) to the real API server or Prometheus, and stamps
 * when each request arrived and when its answer was complete, in epoch milliseconds with
 * sub-millisecond precision. An optional `intercept` answers chosen requests itself (a fault),
 * which are recorded like the others. One copy serves the 5xx tests, the end-to-end timings and
 * bench:decision.
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

/**
 * Answers a request itself instead of forwarding it; returns the status it sent, or null to let
 * the request through.
 */
export type Intercept = (req: IncomingMessage, res: ServerResponse) => number | null;

/** Starts a proxy to `upstream` (`https://…` needs the `ca` that signs its certificate). */
export async function startRecordingProxy(upstream: string, o: { ca?: Buffer; intercept?: Intercept } = {}): Promise<RecordingProxy> {
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
    const answered = o.intercept?.(req, res) ?? null;
    if (answered !== null) {
      finish(answered);
      return;
    }
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
