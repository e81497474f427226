/**
 * The last step of gathering: parsed cluster objects and usage readings into one `Facts` value.
 * Pure, so the rules it applies (whose requests count, what an unknown usage means) are tested
 * without an API server.
 */
import type { NodeBasics } from './node.ts';
import { podBasics, podFacts, type Owners } from './pod.ts';
import { readAll } from './gather-read.ts';
import type { RequestSums } from './gather-requests.ts';
import type { KubeObject } from '../kube/types.ts';
import type { Facts, NodeFacts, PdbFacts } from './types.ts';

/** Everything `assemble` combines. */
export type Parts = {
  node: NodeBasics;
  used: number;
  pods: readonly KubeObject[];
  podUsage: ReadonlyMap<string, number>;
  owners: Owners;
  nodes: readonly NodeBasics[];
  nodeUsage: ReadonlyMap<string, number>;
  sums: RequestSums;
  pdbs: readonly PdbFacts[];
  recent: Readonly<Record<string, string>>;
};

/**
 * Builds the value. The target's requests come from its fresh pod list; other nodes' from the
 * sums. A node without a usage sample counts as full, so it never takes a pod on a guess.
 */
export function assemble(p: Parts): { ok: true; facts: Facts } | { ok: false; error: 'invalid-object'; message: string } {
  const read = readAll(p.pods, `pods(${p.node.name})`, (item, path) => {
    const basics = podBasics(item, path);
    return podFacts(item, path, basics, p.podUsage.get(`${basics.namespace}/${basics.name}`) ?? 0, p.owners);
  });
  if (!read.ok) return { ok: false, error: 'invalid-object', message: read.message };
  const requested = read.value.reduce((sum, pod) => (pod.phase === 'Succeeded' || pod.phase === 'Failed' ? sum : sum + pod.requestBytes), 0);
  const node: NodeFacts = { ...p.node, requestedBytes: requested, usedBytes: p.used };
  const otherNodes: NodeFacts[] = [];
  for (const n of p.nodes) {
    if (n.name === p.node.name) continue;
    otherNodes.push({ ...n, requestedBytes: p.sums.byNode.get(n.name) ?? 0, usedBytes: p.nodeUsage.get(n.name) ?? n.capacityBytes });
  }
  return { ok: true, facts: { node, pods: read.value, pdbs: p.pdbs, otherNodes, recentWorkloadEvictions: p.recent } };
}

