/**
 * The helper process of bench:decision: the test exporter (which Prometheus scrapes every second;
 * rendering a scrape of the bench cluster takes milliseconds), the two recording proxies, and the
 * webhook's sender (Alertmanager's part), kept out of the measured process so none of their work
 * delays headroom's event loop. Driven over
 * the IPC channel by `decision-helper-client.ts`; every request carries an id and gets one answer.
 */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { startExporter } from '../test/stack/exporter.ts';
import { hopKind, startRecordingProxy, type RecordingProxy } from './decision-proxy.ts';
import type { HelperReply, HelperRequest, KindedHop, Posted } from './decision-helper-client.ts';

const exporter = await startExporter();
const proxies: { kube?: RecordingProxy; prom?: RecordingProxy } = {};
const now = (): number => performance.timeOrigin + performance.now();

function need(p: RecordingProxy | undefined): RecordingProxy {
  if (p === undefined) throw new Error('proxies not started');
  return p;
}

/** Alertmanager's side: one POST over a kept-alive connection, timed on this process's clock. */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
function post(url: string, body: string, headers: Record<string, string>): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const sentAt = now();
    const req = request(url, { method: 'POST', agent: keepAlive, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ sentAt, answeredAt: now(), status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function handle(m: HelperRequest): Promise<unknown> {
  switch (m.op) {
    case 'memory':
      for (const n of m.nodes) exporter.setNodeMemory(n.name, n.total, n.used);
      for (const p of m.pods) exporter.setPodMemory(p.namespace, p.name, p.node, p.bytes, { requestBytes: p.request });
      return null;
    case 'render': {
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) exporter.render();
      return (performance.now() - t0) / 10;
    }
    case 'proxies':
      proxies.kube = await startRecordingProxy(m.kubeUrl, { ca: await readFile(m.caFile) });
      proxies.prom = await startRecordingProxy(m.promUrl);
      return { kube: proxies.kube.url, prom: proxies.prom.url };
    case 'hops': {
      const inWindow = (list: RecordingProxy | undefined): KindedHop[] => need(list).hops().filter((h) => h.startMs >= m.from && h.startMs <= m.to).map((h) => ({ ...h, kind: hopKind(h) }));
      return [...inWindow(proxies.kube), ...inWindow(proxies.prom)];
    }
    case 'in-flight':
      return need(proxies.kube).inFlight() + need(proxies.prom).inFlight();
    case 'clock':
      return now();
    case 'post':
      return post(m.url, m.body, m.headers);
    case 'stop':
      await Promise.all([proxies.kube?.close(), proxies.prom?.close(), exporter.stop()]);
      setImmediate(() => process.disconnect());
      return null;
  }
}

process.on('message', (m: HelperRequest) => {
  handle(m).then(
    (value) => process.send?.({ id: m.id, ok: true, value } satisfies HelperReply),
    (err: unknown) => process.send?.({ id: m.id, ok: false, error: String(err) } satisfies HelperReply),
  );
});
process.send?.({ id: 0, ok: true, value: exporter.target } satisfies HelperReply);
