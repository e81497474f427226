/**
 * RBAC against the real API server: a token for the headroom ServiceAccount's user, bound only by
 * deploy/rbac.yaml (applied as is), passes every pre-flight check and runs a whole evaluation;
 * bound to a copy of the ClusterRole without `pods/eviction`, the pre-flight fails and names it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { preflight, preflightProblem } from '../../src/kube/preflight.ts';
import { startKubeCluster, type KubeCluster } from '../stack/kube-cluster.ts';
import { alert, scene } from './act-scene.ts';
import { create, events, kubeApiFor, podStates } from './kube-fixtures.ts';

const SA = { token: 'headroom-sa-token-0123456789', user: 'system:serviceaccount:headroom:headroom', uid: 'sa-headroom', groups: ['system:serviceaccounts', 'system:serviceaccounts:headroom'] };
const LIMITED = { token: 'headroom-limited-token-0123456789', user: 'system:serviceaccount:headroom:limited', uid: 'sa-limited', groups: ['system:serviceaccounts', 'system:serviceaccounts:headroom'] };
const state = { namespace: 'headroom', name: 'headroom-state' };

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; rules?: Array<{ resources?: string[] }>; subjects?: Array<{ name: string }>; roleRef?: { name: string } };

/** The REST collection of a manifest object. */
function collection(d: Doc): string {
  const plural = { Namespace: 'namespaces', ServiceAccount: 'serviceaccounts', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings', Role: 'roles', RoleBinding: 'rolebindings' }[d.kind];
  assert.ok(plural, `unexpected kind ${d.kind} in deploy/rbac.yaml`);
  const base = d.apiVersion === 'v1' ? '/api/v1' : `/apis/${d.apiVersion}`;
  return d.metadata.namespace ? `${base}/namespaces/${d.metadata.namespace}/${plural}` : `${base}/${plural}`;
}

let cluster: KubeCluster;
let docs: Doc[];

before(async () => {
  cluster = await startKubeCluster({ extraTokens: [SA, LIMITED] });
  docs = parseAllDocuments(await readFile(new URL('../../deploy/rbac.yaml', import.meta.url), 'utf8')).map((d) => d.toJS() as Doc);
  for (const d of docs) await create(cluster, collection(d), d);
  // The copy without pods/eviction, bound (with the state Role) to a second identity.
  const role = docs.find((d) => d.kind === 'ClusterRole');
  if (role === undefined) throw new Error('deploy/rbac.yaml has no ClusterRole');
  assert.ok(role.rules?.some((r) => r.resources?.includes('pods/eviction')));
  const rules = role.rules?.filter((r) => !r.resources?.includes('pods/eviction'));
  await create(cluster, collection(role), { ...role, metadata: { name: 'headroom-no-eviction' }, rules });
  for (const d of docs.filter((x) => x.kind === 'ClusterRoleBinding' || x.kind === 'RoleBinding')) {
    const roleName = d.kind === 'ClusterRoleBinding' ? 'headroom-no-eviction' : d.roleRef?.name;
    await create(cluster, collection(d), { ...d, metadata: { ...d.metadata, name: `${d.metadata.name}-limited` }, roleRef: { ...d.roleRef, name: roleName }, subjects: [{ kind: 'ServiceAccount', name: 'limited', namespace: 'headroom' }] });
  }
}, { timeout: 20 * 60_000 });

after(async () => {
  await cluster?.stop();
});

test('deploy/rbac.yaml: every pre-flight check passes for the ServiceAccount', async () => {
  const checks = await preflight(await kubeApiFor(cluster, { token: SA.token }), state);
  assert.equal(preflightProblem(checks), null, JSON.stringify(checks.filter((c) => !c.ok)));
  assert.ok(checks.length >= 10);
});

test('deploy/rbac.yaml: a whole evaluation works with only those permissions', async () => {
  const saApi = await kubeApiFor(cluster, { token: SA.token });
  const s = await scene(cluster, await kubeApiFor(cluster), 'rbac');
  // The state ConfigMap lives in headroom's namespace, as deployed.
  const r = await s.evaluator({ api: saApi, stateNamespace: 'headroom' }).evaluate(alert(s.node), new AbortController().signal);
  assert.equal(r.result, 'evicted', r.reason);
  assert.deepEqual((await podStates(cluster, 'rbac')).terminating, ['api-1', 'web-1']);
  assert.deepEqual(await events(cluster, 'rbac'), ['HeadroomEviction Pod/api-1', 'HeadroomEviction Pod/web-1']);
  const cm = await cluster.request<{ data: Record<string, string> }>('GET', '/api/v1/namespaces/headroom/configmaps/headroom-state');
  assert.equal(cm.status, 200);
  assert.match(cm.body.data['enforce.json'] ?? '', /"rbac-n0"/);
});

test('without pods/eviction the pre-flight fails and names it', async () => {
  const checks = await preflight(await kubeApiFor(cluster, { token: LIMITED.token }), state);
  const failing = checks.filter((c) => !c.ok);
  assert.deepEqual(failing.map((c) => c.name), ['rbac: create pods/eviction']);
  assert.match(preflightProblem(checks) ?? '', /^missing permission create pods\/eviction \(needed to evict pods through the Eviction API\)/);
});
