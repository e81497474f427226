/**
 * Reading Nodes out of a List: memory capacity and allocatable, readiness, cordon, labels and
 * taints. Requests and usage are summed from pods and metrics by `fromList`, not read here.
 */
import { type Obj, isObj, optArr, optBool, optBytes, optObj, str, strMap } from './read.ts';
import { parseTaints } from './selectors.ts';
import type { Taint } from './types.ts';

/** A node as the List describes it, before requests and usage are added. */
export type NodeBasics = Readonly<{
  name: string;
  capacityBytes: number;
  allocatableBytes: number;
  ready: boolean;
  unschedulable: boolean;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
}>;

/** Parses one Node item; allocatable defaults to capacity, capacity to 0 (never a target then). */
export function nodeBasics(item: Obj, path: string): NodeBasics {
  const metadata = optObj(item['metadata'], `${path}.metadata`);
  const spec = optObj(item['spec'], `${path}.spec`);
  const status = optObj(item['status'], `${path}.status`);
  const capacity = optBytes(optObj(status['capacity'], `${path}.status.capacity`)['memory'], `${path}.status.capacity.memory`) ?? 0;
  const allocatable = optBytes(optObj(status['allocatable'], `${path}.status.allocatable`)['memory'], `${path}.status.allocatable.memory`);
  const ready = optArr(status['conditions'], `${path}.status.conditions`).some((c) => isObj(c) && c['type'] === 'Ready' && c['status'] === 'True');
  return {
    name: str(metadata['name'], `${path}.metadata.name`),
    capacityBytes: capacity,
    allocatableBytes: allocatable ?? capacity,
    ready,
    unschedulable: optBool(spec['unschedulable'], `${path}.spec.unschedulable`),
    labels: strMap(metadata['labels'], `${path}.metadata.labels`),
    taints: parseTaints(spec['taints'], `${path}.spec.taints`),
  };
}
