/**
 * A loopback HTTP server playing Prometheus's `/api/v1/query` for the client's unit tests: it
 * records each request (method, path, the query parameters from the URL or a form body) and
 * answers with whatever the test scripts, including never answering.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it. */
export type SeenRequest = { method: string; path: string; params: URLSearchParams; contentType: string };

/** How to answer: a status and body (JSON-encoded unless a string), chunked on request, or hang. */
export type FakeAnswer = { status?: number; body: unknown; chunked?: boolean; contentType?: string } | 'hang';

/** A running fake. */
export type FakePrometheus = {
  url: string;
  requests: SeenRequest[];
  /** Resolves with the next request the fake receives. */
  nextRequest(): Promise<SeenRequest>;
  close(): Promise<void>;
};

/** A Prometheus success body for a vector of `[labels, value]` at `ts`. */
export function vectorBody(ts: number, rows: Array<[Record<string, string>, string]>): unknown {
  return { status: 'success', data: { resultType: 'vector', result: rows.map(([metric, v]) => ({ metric, value: [ts, v] })) } };
}

/** Starts the fake on 127.0.0.1; `answer` decides each reply. */
export async function startFakePrometheus(answer: (req: SeenRequest) => FakeAnswer): Promise<FakePrometheus> {
  const requests: SeenRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let waiters: Array<(r: SeenRequest) => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const contentType = req.headers['content-type'] ?? '';
      const params = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : url.searchParams;
      const seen: SeenRequest = { method: req.method ?? '', path: url.pathname, params, contentType };
      requests.push(seen);
      const ws = waiters;
      waiters = [];
      for (const w of ws) w(seen);
      const a = answer(seen);
      if (a === 'hang') {
        hanging.add(res);
        return;
      }
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      const headers: Record<string, string> = { 'content-type': a.contentType ?? 'application/json' };
      if (a.chunked) {
        res.writeHead(a.status ?? 200, headers);
        const half = Math.floor(text.length / 2);
        res.write(text.slice(0, half));
        res.end(text.slice(half));
        return;
      }
      res.writeHead(a.status ?? 200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
