/**
 * The cluster bench:decision runs against, written into the real API server, with the memory
 * the test exporter is to serve for it: `HOT` nodes at 15 of 16 GiB (93.75%, over the default
 * 93% eviction threshold), each with two evictable pods of its own ReplicaSets (1.5 and 1.2 GiB)
 * and six small pods of a shared one; `ROOM` nodes at 4 GiB with the same small pods, where the
 * evicted pods fit. Pods spread over five namespaces, as teams would. Every hot node is alerted
 * once, so no cooldown needs resetting between alerts.
 */
import { namespace, readyNode, replicaSet, runningPod } from '../test/integration/kube-fixtures.ts';
import type { KubeCluster } from '../test/stack/kube-cluster.ts';
import type { NodeMemory, PodMemory } from './decision-helper-client.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** Nodes over the threshold (one alert each: the first is the cold one, then 50 warm ones). */
export const HOT = 51;
/** Nodes with room for the evicted pods. */
export const ROOM = 6;
/** Small pods on every node. */
const FILLERS = 6;
const TEAMS = 5;

/** The name of hot node `i`. */
export const hotNode = (i: number): string => `hot-${String(i).padStart(2, '0')}`;
/** The namespace of hot node `i`'s pods. */
export const teamOf = (i: number): string => `team-${i % TEAMS}`;

/** What was created (and the memory the exporter must serve), for the tables and the baseline. */
export type Seeded = { nodes: NodeMemory[]; pods: PodMemory[]; calls: number; ms: number; spare: { namespace: string; name: string } };

/** Runs `jobs` with at most `width` at once. */
async function pool(jobs: ReadonlyArray<() => Promise<void>>, width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        if (job) await job();
      }
    }),
  );
}

/** Creates the nodes, ReplicaSets and Running pods; returns their memory for the exporter. */
export async function seed(cluster: KubeCluster): Promise<Seeded> {
  const t0 = performance.now();
  let calls = 0;
  await namespace(cluster, 'headroom');
  const teams = Array.from({ length: TEAMS }, (_, t) => `team-${t}`);
  await Promise.all(teams.map((ns) => namespace(cluster, ns)));
  const fillers = new Map(await Promise.all(teams.map(async (ns) => [ns, await replicaSet(cluster, ns, 'filler', 1000)] as const)));
  calls += 1 + TEAMS * 2;

  const nodes = [...Array.from({ length: HOT }, (_, i) => ({ name: hotNode(i), ns: teamOf(i), hot: true })), ...Array.from({ length: ROOM }, (_, i) => ({ name: `room-${i}`, ns: `team-${i % TEAMS}`, hot: false }))];
  const memory: { nodes: NodeMemory[]; pods: PodMemory[] } = { nodes: [], pods: [] };
  const jobs: Array<() => Promise<void>> = [];
  for (const n of nodes) {
    jobs.push(async () => {
      await readyNode(cluster, n.name);
      memory.nodes.push({ name: n.name, total: 16 * GiB, used: (n.hot ? 15 : 4) * GiB });
      const rs = fillers.get(n.ns);
      if (rs === undefined) throw new Error(`no filler ReplicaSet in ${n.ns}`);
      for (let f = 0; f < FILLERS; f++) {
        const name = `filler-${n.name}-${f}`;
        await runningPod(cluster, n.ns, name, { node: n.name, app: 'filler', rs, request: '128Mi' });
        memory.pods.push({ namespace: n.ns, name, node: n.name, bytes: 150 * MiB, request: 128 * MiB });
      }
      if (!n.hot) return;
      for (const [app, bytes] of [[`big-${n.name}`, 1.5 * GiB], [`web-${n.name}`, 1.2 * GiB]] as const) {
        const own = await replicaSet(cluster, n.ns, app, 3);
        await runningPod(cluster, n.ns, `${app}-0`, { node: n.name, app, rs: own, request: '512Mi' });
        memory.pods.push({ namespace: n.ns, name: `${app}-0`, node: n.name, bytes, request: 512 * MiB });
      }
    });
    calls += 3 + FILLERS * 2 + (n.hot ? 2 * 3 : 0);
  }
  await pool(jobs, 16);
  return { ...memory, calls, ms: performance.now() - t0, spare: { namespace: 'team-0', name: 'filler-room-0-0' } };
}
