/**
 * The demo's moving world: the simulated cluster plus memory that drifts upward on the hot nodes,
 * and evictions that really take pods away (their controller "recreates" them on the target the
 * plan chose, fresh and smaller, as a real ReplicaSet would after rescheduling).
 */
import { fromList, type FromListResult } from '../facts/from-list.ts';
import { DEMO_HOT_NODE, demoCluster } from './cluster.ts';

const MI = 1024 ** 2;
/** Memory the OS, kubelet and container runtime use on every node, outside any pod. */
const SYSTEM_BYTES = 1536 * MI;
/** Growth per tick of the pods on the drifting nodes. */
const DRIFT_BYTES = 24 * MI;
const DRIFTING_NODES = new Set([DEMO_HOT_NODE, 'worker-2']);

type PodItem = { metadata: { name: string; namespace: string; creationTimestamp?: string; ownerReferences?: Array<{ kind: string; name: string }> }; spec: { nodeName: string }; status: { startTime?: string } };

/** A mutable simulated cluster. Not thread-safe by design: Node runs it on one thread. */
export class DemoSimulation {
  readonly #items: Array<Record<string, unknown>>;
  readonly #podUsage: Record<string, number>;
  #generation = 0;

  constructor(now: Date) {
    const { list, podUsage } = demoCluster(now);
    this.#items = list.items;
    this.#podUsage = podUsage;
  }

  /** Grows the working set of the pods on the drifting nodes (BestEffort and Burstable ones). */
  tick(): void {
    for (const item of this.#pods()) {
      if (!DRIFTING_NODES.has(item.spec.nodeName)) continue;
      const key = `${item.metadata.namespace}/${item.metadata.name}`;
      if (key.startsWith('shop/thumbnailer') || key.startsWith('shop/recommendations') || key.startsWith('shop/web')) {
        this.#podUsage[key] = (this.#podUsage[key] ?? 0) + DRIFT_BYTES;
      }
    }
  }

  /** The cluster as a kubectl List (a copy: callers may keep it). */
  list(): { apiVersion: 'v1'; kind: 'List'; items: unknown[] } {
    return { apiVersion: 'v1', kind: 'List', items: structuredClone(this.#items) };
  }

  /** Working set per node (pods plus system memory) and per pod. */
  usage(): { nodes: Record<string, number>; pods: Record<string, number> } {
    const nodes: Record<string, number> = {};
    for (const item of this.#items) {
      if (item.kind === 'Node') nodes[(item.metadata as { name: string }).name] = SYSTEM_BYTES;
    }
    for (const p of this.#pods()) {
      nodes[p.spec.nodeName] = (nodes[p.spec.nodeName] ?? SYSTEM_BYTES) + (this.#podUsage[`${p.metadata.namespace}/${p.metadata.name}`] ?? 0);
    }
    return { nodes, pods: { ...this.#podUsage } };
  }

  /** Facts of one node, exactly as `/simulate` would build them from this List and usage. */
  facts(node: string): FromListResult {
    return fromList({ items: this.#items }, this.usage(), node);
  }

  /**
   * Evicts a pod. A pod with a controller comes back on `target` under a new name, with 60% of
   * its working set (a fresh process); a bare pod is simply gone. Returns false if it was gone.
   */
  evict(namespace: string, name: string, target: string | undefined, now: Date): boolean {
    const index = this.#items.findIndex((i) => i.kind === 'Pod' && (i as unknown as PodItem).metadata.namespace === namespace && (i as unknown as PodItem).metadata.name === name);
    if (index < 0) return false;
    const [removed] = this.#items.splice(index, 1) as unknown as PodItem[];
    const key = `${namespace}/${name}`;
    const usage = this.#podUsage[key] ?? 0;
    delete this.#podUsage[key];
    if (removed?.metadata.ownerReferences?.length && target !== undefined) {
      this.#generation += 1;
      const clone = structuredClone(removed);
      // A StatefulSet brings the pod back under its own name; other controllers make a new one.
      const statefulSet = removed.metadata.ownerReferences[0]?.kind === 'StatefulSet';
      clone.metadata.name = statefulSet ? name : `${name.replace(/-[a-z0-9]{5}$/, '')}-r${this.#generation.toString(36).padStart(4, '0')}`;
      clone.spec.nodeName = target;
      clone.metadata.creationTimestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
      clone.status.startTime = clone.metadata.creationTimestamp;
      this.#items.push(clone);
      this.#podUsage[`${namespace}/${clone.metadata.name}`] = Math.round(usage * 0.6);
    }
    return true;
  }

  #pods(): PodItem[] {
    return this.#items.filter((i) => i.kind === 'Pod') as unknown as PodItem[];
  }
}
