/**
 * bench:decision's reading of the recording proxy (`test/stack/recording-proxy.ts`, which it runs
 * in the helper process, `decision-helper.ts`, so its work never shares an event loop with
 * headroom's): what each request it carried was for. Arrival of an eviction POST is "the
 * eviction request leaving headroom".
 */
import type { Hop } from '../test/stack/recording-proxy.ts';

export { startRecordingProxy, type Hop, type RecordingProxy } from '../test/stack/recording-proxy.ts';

/** What a request to the API server or Prometheus was for, as the breakdown tables name it. */
export function hopKind(hop: Hop): string {
  const p = hop.path;
  if (p.startsWith('/api/v1/query')) return /container_memory_working_set_bytes/.test(decodeURIComponent(p)) ? 'prometheus: pod usage' : 'prometheus: node usage';
  if (hop.method === 'POST' && /\/pods\/[^/]+\/eviction(\?|$)/.test(p)) return 'kube: eviction';
  if (/\/configmaps/.test(p)) return `kube: limits ${hop.method === 'GET' ? 'read' : 'write'}`;
  if (/\/events(\?|$)/.test(p)) return 'kube: event';
  if (p.startsWith('/api/v1/pods') && /spec\.nodeName/.test(decodeURIComponent(p))) return "kube: list the node's pods";
  if (p.startsWith('/api/v1/pods')) return 'kube: list all pods (request sums)';
  if (p.startsWith('/api/v1/nodes')) return 'kube: list nodes';
  if (/poddisruptionbudgets/.test(p)) return 'kube: list PDBs';
  if (/replicasets|statefulsets/.test(p)) return 'kube: list owners';
  if (/selfsubjectaccessreviews/.test(p)) return 'kube: access review';
  return `${hop.method} ${p.split('?')[0] ?? p}`;
}
