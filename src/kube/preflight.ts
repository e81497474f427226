/**
 * Pre-flight (S5.1): before headroom claims to be ready it asks the API server, through
 * SelfSubjectAccessReviews (`kubectl auth can-i`), for every permission it will use, so a missing
 * RBAC rule shows on `/readyz` and at start-up by name instead of as a 403 in the middle of an
 * incident. The list mirrors `deploy/rbac.yaml`; keep them together.
 */
import type { AccessQuestion, KubeApi } from './types.ts';

/** One permission headroom needs, and why. */
export type Permission = AccessQuestion & Readonly<{ why: string }>;

/** The result of one pre-flight question, shaped like a readiness check. */
export type PreflightCheck = Readonly<{ name: string; ok: boolean; message: string }>;

/** Where headroom keeps its limits (`LimitsStore`): one ConfigMap in its own namespace. */
export type StateLocation = Readonly<{ namespace: string; name: string }>;

/** Every permission headroom uses, for a state ConfigMap at `state`. */
export function requiredPermissions(state: StateLocation): Permission[] {
  const cm = { resource: 'configmaps', namespace: state.namespace };
  return [
    { verb: 'list', resource: 'nodes', why: 'read node capacity, readiness and taints' },
    { verb: 'list', resource: 'pods', why: 'read the pods of a node and every node\'s requests' },
    { verb: 'create', resource: 'pods', subresource: 'eviction', why: 'evict pods through the Eviction API' },
    { verb: 'list', resource: 'poddisruptionbudgets', group: 'policy', why: 'respect PodDisruptionBudgets' },
    { verb: 'list', resource: 'replicasets', group: 'apps', why: 'resolve Deployments and replica counts' },
    { verb: 'list', resource: 'statefulsets', group: 'apps', why: 'read StatefulSet replica counts' },
    { verb: 'create', resource: 'events', why: 'record HeadroomEviction and HeadroomSkipped events' },
    { ...cm, verb: 'get', name: state.name, why: 'read the stored cooldowns and budget' },
    { ...cm, verb: 'update', name: state.name, why: 'store cooldowns and budget' },
    { ...cm, verb: 'create', why: 'create the state ConfigMap on first use' },
  ];
}

/** `create pods/eviction`, the way `kubectl auth can-i` prints a question. */
export function describePermission(p: AccessQuestion): string {
  const resource = `${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.group ? `.${p.group}` : ''}`;
  return `${p.verb} ${resource}${p.name ? `/${p.name}` : ''}${p.namespace ? ` in namespace ${p.namespace}` : ''}`;
}

/**
 * Asks every question at once; one check per permission (`rbac: create pods/eviction`), each
 * failing one naming what is missing and why headroom needs it. Never throws.
 */
export async function preflight(api: KubeApi, state: StateLocation, signal?: AbortSignal): Promise<PreflightCheck[]> {
  const permissions = requiredPermissions(state);
  const answers = await Promise.all(permissions.map((p) => api.canI(p, signal)));
  return permissions.map((p, i): PreflightCheck => {
    const name = `rbac: ${describePermission(p)}`;
    const a = answers[i];
    if (a === undefined || !a.ok) return { name, ok: false, message: `cannot ask the API server: ${a?.failure.message ?? 'no answer'}` };
    if (a.value.allowed) return { name, ok: true, message: 'allowed' };
    return { name, ok: false, message: `missing permission ${describePermission(p)} (needed to ${p.why})${a.value.reason ? `: ${a.value.reason}` : ''}` };
  });
}

/** One summary line of the failing checks, for logs and the start-up message; null when all pass. */
export function preflightProblem(checks: readonly PreflightCheck[]): string | null {
  const failing = checks.filter((c) => !c.ok);
  return failing.length === 0 ? null : failing.map((c) => c.message).join('; ');
}

/**
 * A readiness probe over `preflight`: RBAC rarely changes, so answers are reused for `okSeconds`
 * (default 300) when all pass and re-asked after `failSeconds` (default 10) while one fails, and
 * `/readyz` polling every few seconds costs the API server nothing. Concurrent probes share one ask.
 */
export function preflightProbe(api: KubeApi, state: StateLocation, o: { okSeconds?: number; failSeconds?: number; nowMs?: () => number } = {}): () => Promise<PreflightCheck[]> {
  const nowMs = o.nowMs ?? (() => performance.now());
  let last: { at: number; checks: PreflightCheck[] } | null = null;
  let running: Promise<PreflightCheck[]> | null = null;
  return async () => {
    if (last !== null) {
      const ttl = (last.checks.every((c) => c.ok) ? (o.okSeconds ?? 300) : (o.failSeconds ?? 10)) * 1000;
      if (nowMs() - last.at < ttl) return last.checks;
    }
    running ??= preflight(api, state).then((checks) => {
      last = { at: nowMs(), checks };
      running = null;
      return checks;
    });
    return running;
  };
}
