/**
 * A webhook relay that loses answers: it forwards each POST to headroom unchanged (headers and
 * body), then tells Alertmanager 503 for the first `failures` requests whatever headroom said, as a
 * proxy or network cut between them would. Alertmanager retries a 5xx, so headroom receives the
 * same notification again: the "retried delivery" of the duplicates scenario.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The relay: `url` for Alertmanager, what it forwarded, and `close`. */
export type LossyAck = { url: string; forwarded(): Array<{ at: number; status: number }>; close(): Promise<void> };

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the relay to `target` (headroom's webhook URL). */
export async function startLossyAck(target: string, failures: number): Promise<LossyAck> {
  const seen: Array<{ at: number; status: number }> = [];
  const server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req);
      const headers: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'application/json' };
      if (req.headers.authorization !== undefined) headers.authorization = req.headers.authorization;
      const answer = await fetch(target, { method: 'POST', headers, body: payload }).then(async (r) => ({ status: r.status, text: await r.text() }), (e: unknown) => ({ status: 502, text: String(e) }));
      seen.push({ at: Date.now(), status: answer.status });
      if (seen.length <= failures) res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"lost"}');
      else res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    forwarded: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
