/**
 * Reading raw API objects for the live facts: whole lists turned into values or one message
 * (`readAll`), nodes with their UIDs, and the few metadata fields the gatherer needs. The object
 * readers themselves are shared with `fromList` (`owners.ts`, `node.ts`, `pod.ts`).
 */
import { onceMoreIfExpired } from '../kube/lists.ts';
import type { KubeApi, KubeFailure, KubeObject } from '../kube/types.ts';
import { nodeBasics, type NodeBasics } from './node.ts';
import { type Obj, ShapeError } from './read.ts';

/** Reads every item; the first malformed one is reported as a message instead of a throw. */
export function readAll<T>(items: readonly Obj[], what: string, read: (item: Obj, path: string) => T): { ok: true; value: T[] } | { ok: false; message: string } {
  try {
    return { ok: true, value: items.map((item, i) => read(item, `${what}[${i}]`)) };
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, message: err.message };
    throw err;
  }
}

/** The nodes, or the first malformed one's message, or the API's failure. */
type NodesRead = { ok: true; value: { nodes: NodeBasics[]; uids: Map<string, string> } } | { ok: false; message: string } | { ok: false; failure: KubeFailure };

/**
 * Every node parsed, with its UID (for Events), read page by page: each page is reduced to the
 * few fields the facts use and let go, so a 5,000-node cluster is never held as raw objects. The
 * first malformed node is the answer's message; an expired continue token restarts once.
 */
export function readNodes(api: Pick<KubeApi, 'foldNodes'>, signal?: AbortSignal): Promise<NodesRead> {
  return onceMoreIfExpired(async (): Promise<NodesRead> => {
    const nodes: NodeBasics[] = [];
    const uids = new Map<string, string>();
    let bad: string | null = null;
    const r = await api.foldNodes((items) => {
      for (const item of items) {
        if (bad !== null) return;
        try {
          nodes.push(nodeBasics(item, `nodes[${nodes.length}]`));
        } catch (err) {
          if (!(err instanceof ShapeError)) throw err;
          bad = err.message;
        }
        const m = item['metadata'] as { uid?: unknown; name?: unknown } | undefined;
        if (typeof m?.uid === 'string' && typeof m.name === 'string') uids.set(m.name, m.uid);
      }
    }, signal);
    if (!r.ok) return r;
    return bad === null ? { ok: true, value: { nodes, uids } } : { ok: false, message: bad };
  });
}

/** `metadata.name` of a raw object. */
export function nameOf(pod: KubeObject): string {
  const m = pod['metadata'] as { name?: unknown } | undefined;
  return typeof m?.name === 'string' ? m.name : '';
}

/** `metadata.namespace` of a raw object (`default` when empty). */
export function namespaceOf(pod: KubeObject): string {
  const m = pod['metadata'] as { namespace?: unknown } | undefined;
  return typeof m?.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
}

/** The controller kind when it is a ReplicaSet or StatefulSet (owners to look up), else null. */
export function ownerKind(pod: KubeObject): string | null {
  const refs = (pod['metadata'] as { ownerReferences?: unknown } | undefined)?.ownerReferences;
  if (!Array.isArray(refs)) return null;
  const ref = (refs as Array<{ controller?: unknown; kind?: unknown }>).find((r) => r.controller === true);
  return ref !== undefined && (ref.kind === 'ReplicaSet' || ref.kind === 'StatefulSet') ? ref.kind : null;
}
