/**
 * Where the time goes between memory crossing the threshold and the eviction call, read from each
 * component's own record rather than from the outside:
 *
 * - Prometheus: the timestamp of the first scraped sample over the threshold (scrape), of the
 *   first recorded `node:headroom_memory_usage:ratio` sample over it (rule evaluation), and of
 *   the first `ALERTS{alertstate="firing"}` sample (`for:`);
 * - Alertmanager's debug log: when it received the alert and when it flushed the group (group_wait);
 * - headroom's log: the `webhook` line of the first delivery;
 * - the recording proxy in front of the API server: when the eviction request arrived and left.
 *
 * All on one machine, one clock. Times are epoch milliseconds.
 */
import { readFile } from 'node:fs/promises';
import type { E2EStack } from '../test/e2e/stack.ts';

type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

/** Raw samples of `selector` over the last `window` (an instant range query returns them unaltered). */
async function rawSamples(promUrl: string, selector: string, window = '10m'): Promise<Array<[number, number]>> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(`${selector}[${window}]`)}`);
  const body = (await res.json()) as { status: string; data: { result: Matrix } };
  if (body.status !== 'success') throw new Error(`query ${selector}: ${JSON.stringify(body)}`);
  return body.data.result.flatMap((r) => r.values.map(([t, v]) => [t * 1000, Number(v)] as [number, number])).sort((a, b) => a[0] - b[0]);
}

/** The first sample at or after `from` for which `ok` holds, as epoch ms. */
async function firstSample(promUrl: string, selector: string, from: number, ok: (v: number) => boolean): Promise<number> {
  const hit = (await rawSamples(promUrl, selector)).find(([t, v]) => t >= from - 1000 && ok(v));
  if (hit === undefined) throw new Error(`no sample of ${selector} since ${new Date(from).toISOString()} matched`);
  return hit[0];
}

/** One Alertmanager debug log line, parsed from logfmt. */
type AmLine = { ts: number; fields: Record<string, string> };

function parseLogfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const raw = m[2] ?? '';
    out[m[1] ?? ''] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  }
  return out;
}

async function alertmanagerLines(log: string): Promise<AmLine[]> {
  const text = await readFile(log, 'utf8');
  return text.split('\n').filter((l) => l.includes('ts=')).map((l) => {
    const fields = parseLogfmt(l);
    return { ts: Date.parse(fields.ts ?? ''), fields };
  });
}

/** Alertmanager's fingerprint of the active alert `alertname` on `node` (its log shows the first 7 hex digits). */
async function fingerprint(amUrl: string, alertname: string, node: string): Promise<string> {
  const q = [`alertname="${alertname}"`, `node="${node}"`].map((f) => `filter=${encodeURIComponent(f)}`).join('&');
  const alerts = (await (await fetch(`${amUrl}/api/v2/alerts?${q}`)).json()) as Array<{ fingerprint: string }>;
  const fp = alerts[0]?.fingerprint;
  if (fp === undefined) throw new Error(`Alertmanager has no ${alertname} for ${node}`);
  return fp;
}

/** The timeline of one alert, from the threshold crossing to the eviction call. */
export type Timeline = {
  /** The exporter served the value over the threshold from here on. */
  crossed: number;
  scraped: number;
  recorded: number;
  firing: number;
  amReceived: number;
  amFlushed: number;
  webhook: number;
  evictionStart: number | null;
  evictionEnd: number | null;
};

/** Reads the timeline of `alertname` on `node` (the alert must still be known to Alertmanager). */
export async function readTimeline(s: E2EStack, o: { node: string; alertname: string; crossed: number; ratioOver: number; pod: { namespace: string; name: string } | null }): Promise<Timeline> {
  const prom = s.prometheus.url;
  const totalBytes = 16 * 1024 ** 3;
  const scraped = await firstSample(prom, `node_memory_MemAvailable_bytes{instance="${o.node}"}`, o.crossed, (v) => 1 - v / totalBytes > o.ratioOver);
  const recorded = await firstSample(prom, `node:headroom_memory_usage:ratio{node="${o.node}"}`, o.crossed, (v) => v > o.ratioOver);
  const firing = await firstSample(prom, `ALERTS{alertname="${o.alertname}",node="${o.node}",alertstate="firing"}`, o.crossed, () => true);
  const fp = (await fingerprint(s.alertmanager.url, o.alertname, o.node)).slice(0, 7);
  const tag = `${o.alertname}[${fp}]`;
  const am = await alertmanagerLines(s.alertmanager.log);
  const received = am.find((l) => l.fields.msg === 'Received alert' && (l.fields.alert ?? '').startsWith(tag) && l.ts >= firing - 5);
  const flushed = am.find((l) => l.fields.msg === 'flushing' && (l.fields.alerts ?? '').includes(tag) && l.ts >= (received?.ts ?? firing));
  if (received === undefined || flushed === undefined) throw new Error(`Alertmanager's log has no receipt/flush of ${tag}`);
  const hook = (await s.headroom.events('webhook', (l) => typeof l.groupKey === 'string' && l.groupKey.includes(`alertname="${o.alertname}", node="${o.node}"`))).find((l) => l.time >= flushed.ts - 5);
  if (hook === undefined) throw new Error(`headroom logged no delivery of ${o.alertname} for ${o.node}`);
  const call = o.pod === null ? undefined : s.recorder?.evictions().find((e) => e.namespace === o.pod?.namespace && e.pod === o.pod.name);
  return { crossed: o.crossed, scraped, recorded, firing, amReceived: received.ts, amFlushed: flushed.ts, webhook: hook.time, evictionStart: call?.startMs ?? null, evictionEnd: call?.endMs ?? null };
}

/** The components of a timeline in seconds, in the order they happen. */
export function components(t: Timeline): Array<[string, number | null]> {
  const d = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : (b - a) / 1000);
  return [
    ['scrape', d(t.crossed, t.scraped)],
    ['rule evaluation', d(t.scraped, t.recorded)],
    ['for:', d(t.recorded, t.firing)],
    ['Prometheus -> Alertmanager', d(t.firing, t.amReceived)],
    ['Alertmanager grouping (group_wait)', d(t.amReceived, t.amFlushed)],
    ['Alertmanager -> headroom (POST)', d(t.amFlushed, t.webhook)],
    ['headroom decision', d(t.webhook, t.evictionStart)],
    ['API call (eviction)', d(t.evictionStart, t.evictionEnd)],
  ];
}
