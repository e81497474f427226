/**
 * What the scenarios look at: the API server's state (pods evicted or alive, Events) and
 * headroom's log (deliveries received, evaluations, evictions), read from the outside.
 */
import type { LogLine } from './headroom-process.ts';
import { eventsIn, podStates } from './objects.ts';
import type { E2EStack } from './stack.ts';
import { waitUntil } from './wait.ts';

/** Alertmanager's `groupKey` ends with the group's labels; with `group_by: [alertname, node]` both are there. */
export function groupKeyIs(line: LogLine, node: string, alertname?: string): boolean {
  const key = typeof line.groupKey === 'string' ? line.groupKey : '';
  const labels = key.slice(key.lastIndexOf(':{'));
  return labels.includes(`node="${node}"`) && (alertname === undefined || labels.includes(`alertname="${alertname}"`));
}

/** Deliveries headroom answered for `node` (optionally one alert), oldest first. */
export function webhooksFor(s: E2EStack, node: string, alertname?: string): Promise<LogLine[]> {
  return s.headroom.events('webhook', (l) => groupKeyIs(l, node, alertname));
}

/** Evaluations headroom finished for `node`, oldest first. */
export function evaluationsOf(s: E2EStack, node: string): Promise<LogLine[]> {
  return s.headroom.events('evaluation', (l) => l.node === node);
}

/** headroom's `eviction` lines for pods of `ns`, oldest first. */
export function evictionsIn(s: E2EStack, ns: string): Promise<LogLine[]> {
  return s.headroom.events('eviction', (l) => l.namespace === ns);
}

/** A compact view of the namespace and node for failure messages. */
export async function describeScene(s: E2EStack, ns: string, node: string): Promise<string> {
  const pods = await podStates(s.cluster, ns);
  const events = (await eventsIn(s.cluster, ns)).map((e) => `${e.reason} ${e.involvedObject.name}`);
  const nodeEvents = (await eventsIn(s.cluster, 'default', node)).map((e) => `${e.reason}: ${e.message}`);
  const evals = (await evaluationsOf(s, node)).map((l) => `${String(l.result)}: ${String(l.reason)}`);
  const hooks = (await webhooksFor(s, node)).length;
  return JSON.stringify({ pods, events, nodeEvents, evaluations: evals, webhooks: hooks });
}

/** Waits until `pod` in `ns` has been evicted (deletionTimestamp set) and returns headroom's `eviction` line for it. */
export async function waitForEviction(s: E2EStack, ns: string, pod: string, node: string, timeoutMs = 60_000): Promise<LogLine> {
  await waitUntil(`eviction of ${ns}/${pod}`, timeoutMs, async () => (await podStates(s.cluster, ns)).evicted.includes(pod), () => describeScene(s, ns, node));
  // The API server shows the eviction as soon as it accepts it; headroom logs it once the answer
  // is back, a moment later. Waiting for the line is bounded: it must come, just not first.
  const logged = async (): Promise<LogLine | undefined> => (await evictionsIn(s, ns)).find((l) => l.pod === pod);
  return waitUntil(`headroom's eviction line for ${ns}/${pod}`, 5_000, logged, async () => `${ns}/${pod} was evicted but headroom logged no eviction line for it`);
}
