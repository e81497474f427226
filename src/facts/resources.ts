/**
 * A pod's effective memory request and its QoS class, computed the way Kubernetes does, because a
 * snapshot's numbers must mean what they mean to the scheduler (placement) and to the kubelet
 * (QoS). Requests missing beside a limit default to the limit, as the API server defaults them.
 */
import { compareQuantities, type Quantity } from './quantity.ts';
import { type Obj, isObj, optArr, optBytes, optObj, optQuantity, optStr } from './read.ts';
import { fastMemoryRequest } from './request-fast.ts';
import type { QosClass } from './types.ts';

type Container = { path: string; name: string | null; resources: Obj; sidecar: boolean };

/**
 * Effective memory request in bytes, as the scheduler's `PodRequests`: the sum of the containers
 * and sidecars (init containers with `restartPolicy: Always`), at least what any init container
 * needs while it runs beside the sidecars started before it; pod-level `spec.resources` when set;
 * plus `spec.overhead`. With in-place resize, the larger of spec, allocated and actuated requests.
 */
export function effectiveMemoryRequest(pod: Obj, path: string): number {
  return fastMemoryRequest(pod) ?? exactMemoryRequest(pod, path);
}

/** The same, always through the validating path (exported for the fast path's tests). */
export function exactMemoryRequest(pod: Obj, path: string): number {
  const spec = optObj(pod['spec'], `${path}.spec`);
  const status = optObj(pod['status'], `${path}.status`);
  const { containers, initContainers } = listContainers(spec, `${path}.spec`);
  const specRequest = (c: Container): number => containerRequest(c.resources, c.path) ?? 0;
  let request = aggregate(containers, initContainers, specRequest);
  const statuses = containerStatuses(status, `${path}.status`);
  if (statuses.size > 0) {
    const infeasible = resizeInfeasible(status, `${path}.status`);
    const fallback = (c: Container): number => (infeasible ? 0 : specRequest(c));
    const allocated = aggregate(containers, initContainers, (c) => statusMemory(statuses, c, ['allocatedResources']) ?? fallback(c));
    const actuated = aggregate(containers, initContainers, (c) => statusMemory(statuses, c, ['resources', 'requests']) ?? statusMemory(statuses, c, ['allocatedResources']) ?? fallback(c));
    request = infeasible ? Math.max(allocated, actuated) : Math.max(request, allocated, actuated);
  }
  const podLevel = podLevelMemoryRequest(spec, containers, initContainers, `${path}.spec`);
  if (podLevel !== null) request = podLevel;
  const overhead = optBytes(optObj(spec['overhead'], `${path}.spec.overhead`)['memory'], `${path}.spec.overhead.memory`) ?? 0;
  return request + overhead;
}

/** QoS class computed from requests and limits of cpu and memory, as `ComputePodQOS` does. */
export function computeQosClass(pod: Obj, path: string): QosClass {
  const spec = optObj(pod['spec'], `${path}.spec`);
  const podResources = optObj(spec['resources'], `${path}.spec.resources`);
  if (hasPodLevelResources(podResources)) return podLevelQos(spec, podResources, `${path}.spec`);
  const { containers, initContainers } = listContainers(spec, `${path}.spec`);
  let qos: QosClass | null = null;
  for (const c of [...initContainers, ...containers]) {
    const q = requirementsQos(c.resources, c.path, true);
    if (q === 'Burstable') return q;
    if (qos === null) qos = q;
    else if (qos !== q) return 'Burstable';
  }
  return qos ?? 'BestEffort';
}

function listContainers(spec: Obj, path: string): { containers: Container[]; initContainers: Container[] } {
  const read = (key: string, isInit: boolean): Container[] =>
    optArr(spec[key], `${path}.${key}`).map((raw, i) => {
      const p = `${path}.${key}[${i}]`;
      const c = optObj(raw, p);
      return {
        path: `${p}.resources`,
        name: optStr(c['name'], `${p}.name`),
        resources: optObj(c['resources'], `${p}.resources`),
        sidecar: isInit && optStr(c['restartPolicy'], `${p}.restartPolicy`) === 'Always',
      };
    });
  return { containers: read('containers', false), initContainers: read('initContainers', true) };
}

function aggregate(containers: readonly Container[], initContainers: readonly Container[], request: (c: Container) => number): number {
  let sum = 0;
  for (const c of containers) sum += request(c);
  let sidecars = 0;
  let initPeak = 0;
  for (const c of initContainers) {
    const r = request(c);
    if (c.sidecar) {
      sum += r;
      sidecars += r;
      initPeak = Math.max(initPeak, sidecars);
    } else {
      initPeak = Math.max(initPeak, r + sidecars);
    }
  }
  return Math.max(sum, initPeak);
}

/** `requests.memory`, else `limits.memory` (API defaulting), else null. */
function containerRequest(resources: Obj, path: string): number | null {
  const requests = optObj(resources['requests'], `${path}.requests`);
  const limits = optObj(resources['limits'], `${path}.limits`);
  return optBytes(requests['memory'], `${path}.requests.memory`) ?? optBytes(limits['memory'], `${path}.limits.memory`);
}

function containerStatuses(status: Obj, path: string): Map<string, Obj> {
  const byName = new Map<string, Obj>();
  for (const key of ['containerStatuses', 'initContainerStatuses']) {
    optArr(status[key], `${path}.${key}`).forEach((raw, i) => {
      const cs = optObj(raw, `${path}.${key}[${i}]`);
      const name = optStr(cs['name'], `${path}.${key}[${i}].name`);
      if (name !== null && !byName.has(name) && (cs['allocatedResources'] != null || cs['resources'] != null)) byName.set(name, cs);
    });
  }
  return byName;
}

/** Memory of a status resource list at `keys`; 0 when the list exists without memory, null when absent. */
function statusMemory(statuses: ReadonlyMap<string, Obj>, c: Container, keys: readonly string[]): number | null {
  const cs = c.name === null ? undefined : statuses.get(c.name);
  let cur: unknown = cs;
  for (const k of keys) cur = isObj(cur) ? cur[k] : undefined;
  if (!isObj(cur)) return null;
  return optBytes(cur['memory'], `status of container ${c.name ?? ''}: ${keys.join('.')}.memory`) ?? 0;
}

function resizeInfeasible(status: Obj, path: string): boolean {
  const conditions = optArr(status['conditions'], `${path}.conditions`);
  const resize = conditions.find((c) => isObj(c) && c['type'] === 'PodResizePending');
  return isObj(resize) && resize['reason'] === 'Infeasible';
}

const POD_LEVEL = (name: string): boolean => name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');

function hasPodLevelResources(resources: Obj): boolean {
  return Object.keys(optObj(resources['requests'], '')).some(POD_LEVEL) || Object.keys(optObj(resources['limits'], '')).some(POD_LEVEL);
}

/** Pod-level memory request after API defaulting (explicit, else the containers', else the pod limit). */
function podLevelMemoryRequest(spec: Obj, containers: readonly Container[], inits: readonly Container[], path: string): number | null {
  const resources = optObj(spec['resources'], `${path}.resources`);
  const requests = optObj(resources['requests'], `${path}.resources.requests`);
  const limits = optObj(resources['limits'], `${path}.resources.limits`);
  const explicit = optBytes(requests['memory'], `${path}.resources.requests.memory`);
  if (explicit !== null) return explicit;
  if (Object.keys(limits).length === 0) return null;
  const all = [...containers, ...inits];
  if (all.some((c) => containerRequest(c.resources, c.path) !== null)) {
    return aggregate(containers, inits, (c) => containerRequest(c.resources, c.path) ?? 0);
  }
  return optBytes(limits['memory'], `${path}.resources.limits.memory`);
}

function podLevelQos(spec: Obj, resources: Obj, path: string): QosClass {
  // Pod-level requests default per resource from the pod-level limits when containers set none.
  const requests = { ...optObj(resources['requests'], `${path}.resources.requests`) };
  const limits = optObj(resources['limits'], `${path}.resources.limits`);
  const { containers, initContainers } = listContainers(spec, path);
  for (const res of ['cpu', 'memory']) {
    if (requests[res] !== undefined || limits[res] === undefined) continue;
    const containerSets = [...containers, ...initContainers].some((c) => {
      const r = optObj(c.resources['requests'], '');
      const l = optObj(c.resources['limits'], '');
      return r[res] !== undefined || l[res] !== undefined;
    });
    if (!containerSets) requests[res] = limits[res];
  }
  return requirementsQos({ requests, limits }, `${path}.resources`, false);
}

function requirementsQos(resources: Obj, path: string, defaultRequests: boolean): QosClass {
  const requests = optObj(resources['requests'], `${path}.requests`);
  const limits = optObj(resources['limits'], `${path}.limits`);
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) return 'BestEffort';
  const cpu = resourceQos(requests, limits, 'cpu', path, defaultRequests);
  const memory = resourceQos(requests, limits, 'memory', path, defaultRequests);
  return cpu === memory ? cpu : 'Burstable';
}

const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

function resourceQos(requests: Obj, limits: Obj, res: string, path: string, defaultRequests: boolean): QosClass {
  const lim = optQuantity(limits[res], `${path}.limits.${res}`) ?? ZERO;
  const req = optQuantity(requests[res], `${path}.requests.${res}`) ?? (defaultRequests ? lim : ZERO);
  if (compareQuantities(req, lim) !== 0) return 'Burstable';
  return req.nanos === 0n ? 'BestEffort' : 'Guaranteed';
}
