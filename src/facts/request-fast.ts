/**
 * The effective memory request of an ordinary pod, without allocating: a List of 20,000 pods
 * spends most of `fromList` here. It handles the common shape (containers, init containers and
 * sidecars, overhead, container statuses that only echo the spec) and answers `undefined` for
 * anything else (pod-level resources, an in-place resize, a malformed field), which the fully
 * validating `effectiveMemoryRequest` then handles. A property test holds the two equal.
 */
import { parseValue } from './quantity.ts';
import { type Obj, isObj } from './read.ts';

/** Bytes, or `undefined` when the pod needs the exact path. */
export function fastMemoryRequest(pod: Obj): number | undefined {
  const spec = pod['spec'];
  if (!isObj(spec) || (spec['resources'] !== undefined && spec['resources'] !== null)) return undefined;
  const containers = listOf(spec['containers']);
  const inits = listOf(spec['initContainers']);
  if (containers === undefined || inits === undefined) return undefined;
  let sum = 0;
  for (const c of containers) {
    const r = containerRequest(c);
    if (r === undefined) return undefined;
    sum += r;
  }
  let sidecars = 0;
  let initPeak = 0;
  for (const c of inits) {
    const r = containerRequest(c);
    if (r === undefined || !isObj(c)) return undefined;
    const policy = c['restartPolicy'];
    if (policy === 'Always') {
      sum += r;
      sidecars += r;
      if (sidecars > initPeak) initPeak = sidecars;
    } else if (policy === undefined || policy === null || typeof policy === 'string') {
      if (r + sidecars > initPeak) initPeak = r + sidecars;
    } else return undefined;
  }
  const overhead = spec['overhead'];
  let extra = 0;
  if (overhead !== undefined && overhead !== null) {
    if (!isObj(overhead)) return undefined;
    const o = bytes(overhead['memory']);
    if (o === undefined) return undefined;
    extra = o ?? 0;
  }
  if (!statusesEchoSpec(pod['status'], containers, inits)) return undefined;
  return Math.max(sum, initPeak) + extra;
}

function listOf(v: unknown): readonly unknown[] | undefined {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : undefined;
}

/** A quantity's bytes, null when absent, undefined when it needs the exact path. */
function bytes(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return undefined;
  const r = parseValue(v);
  return r.ok && r.value >= 0 ? r.value : undefined;
}

/** requests.memory, else limits.memory, else 0; undefined when unusual. */
function containerRequest(c: unknown): number | undefined {
  if (!isObj(c) || !optionalString(c['name'])) return undefined;
  const resources = c['resources'];
  if (resources === undefined || resources === null) return 0;
  if (!isObj(resources)) return undefined;
  const requests = resources['requests'];
  const limits = resources['limits'];
  if ((requests != null && !isObj(requests)) || (limits != null && !isObj(limits))) return undefined;
  const request = isObj(requests) ? bytes(requests['memory']) : null;
  if (request === undefined) return undefined;
  if (request !== null) return request;
  const limit = isObj(limits) ? bytes(limits['memory']) : null;
  return limit === undefined ? undefined : (limit ?? 0);
}

/**
 * True when container statuses cannot raise the request: no resize is pending, and no status
 * reports more memory (allocated or actuated) than its container's spec request.
 */
function statusesEchoSpec(status: unknown, containers: readonly unknown[], inits: readonly unknown[]): boolean {
  if (status === undefined || status === null) return true;
  if (!isObj(status)) return false;
  const conditions = status['conditions'];
  if (conditions !== undefined && conditions !== null) {
    if (!Array.isArray(conditions)) return false;
    for (const c of conditions) if (isObj(c) && c['type'] === 'PodResizePending') return false;
  }
  for (const key of ['containerStatuses', 'initContainerStatuses']) {
    const list = status[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return false;
    for (const cs of list) {
      if (!isObj(cs) || !optionalString(cs['name'])) return false;
      const allocated = cs['allocatedResources'];
      const resources = cs['resources'];
      if ((allocated === undefined || allocated === null) && (resources === undefined || resources === null)) continue;
      const spec = specRequestByName(cs['name'], containers, inits);
      if (spec === undefined) return false;
      if (!atMost(allocated, spec)) return false;
      if (resources !== undefined && resources !== null && (!isObj(resources) || !atMost(resources['requests'], spec))) return false;
    }
  }
  return true;
}

/** The smallest spec request among containers of that name (names are unique in valid pods). */
function specRequestByName(name: unknown, containers: readonly unknown[], inits: readonly unknown[]): number | undefined {
  if (typeof name !== 'string') return undefined;
  let least: number | undefined;
  for (const c of [...containers, ...inits]) {
    if (!isObj(c) || c['name'] !== name) continue;
    const r = containerRequest(c);
    if (r === undefined) return undefined;
    least = least === undefined ? r : Math.min(least, r);
  }
  return least;
}

function optionalString(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string';
}

/** A status resource list whose memory (0 when the list lacks it) is at most `limit`. */
function atMost(list: unknown, limit: number): boolean {
  if (list === undefined || list === null) return true;
  if (!isObj(list)) return false;
  const b = bytes(list['memory']);
  return b !== undefined && (b ?? 0) <= limit;
}
