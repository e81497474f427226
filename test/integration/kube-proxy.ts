/**
 * A loopback HTTP proxy in front of the test API server that answers 503 to eviction requests,
 * so the tests can prove "API server 5xx -> retried, then reported" against everything else real.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeCluster } from '../stack/kube-cluster.ts';

/** The proxy: `url` to point a client at, how many evictions it has failed, and `close`. */
export type FaultyProxy = { url: string; evictionsSeen: () => number; failed: () => number; close: () => Promise<void> };

/** Fails the first `failures` eviction requests (Infinity: all) with a 503 Status; forwards the rest. */
export async function faultyProxy(cluster: KubeCluster, failures: number): Promise<FaultyProxy> {
  const ca = await readFile(cluster.caFile);
  const upstream = new URL(cluster.url);
  let seen = 0;
  let failed = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const isEviction = req.method === 'POST' && /\/pods\/[^/]+\/eviction(\?|$)/.test(req.url ?? '');
    if (isEviction) seen += 1;
    if (isEviction && failed < failures) {
      failed += 1;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server is currently unable to handle the request', reason: 'ServiceUnavailable', code: 503 }));
      return;
    }
    const out = httpsRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, ca }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    evictionsSeen: () => seen,
    failed: () => failed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
