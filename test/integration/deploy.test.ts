/**
 * deploy/ as users install it: `kubectl kustomize deploy/` renders the base, and every rendered
 * object is applied with server-side dry-run to a real kube-apiserver v1.37.2 (built from Go
 * modules, test/stack/kube/). Then the pods the Deployment and CronJob would create go through
 * the real admission (Pod Security "restricted", priority classes), and SubjectAccessReviews
 * prove the RBAC: what headroom needs is allowed, everything else asked about is denied.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { STATE_CONFIGMAP } from '../../src/act/limits-store.ts';
import { describePermission, requiredPermissions } from '../../src/kube/preflight.ts';
import { startKubeCluster } from '../stack/kube-cluster.ts';
import type { KubeCluster } from '../stack/kube-cluster.ts';
import { deployDir, kubectl, parseManifests, renderDeploy } from '../stack/kubectl.ts';
import type { KubeManifest } from '../stack/kubectl.ts';

const crdFixture = fileURLToPath(new URL('../fixtures/deploy/monitoring-crds.yaml', import.meta.url));

type SecurityContext = Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
type Container = {
  name: string; image: string; args: string[];
  securityContext: SecurityContext;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  env?: Array<{ name: string; valueFrom?: { secretKeyRef?: Record<string, unknown> } }>;
  livenessProbe?: { httpGet?: { path: string } }; readinessProbe?: { httpGet?: { path: string } };
};
type PodSpec = Record<string, unknown> & {
  containers: Container[]; securityContext: SecurityContext; volumes: Array<{ name: string; configMap?: { name: string } }>;
};
type PodTemplate = { metadata: { labels: Record<string, string> }; spec: PodSpec };

let rendered: KubeManifest[] = [];
const find = (kind: string, name?: string): KubeManifest => {
  const found = rendered.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `expected one ${kind}${name ? ` ${name}` : ''} in the rendered base, found ${found.length}`);
  return found[0] as KubeManifest;
};
const spec = <T>(o: KubeManifest): T => o.spec as T;
const deploymentPod = (): PodTemplate => spec<{ template: PodTemplate }>(find('Deployment', 'headroom')).template;
const cronJobPod = (): PodTemplate => spec<{ jobTemplate: { spec: { template: PodTemplate } } }>(find('CronJob', 'headroom-once')).jobTemplate.spec.template;

before(async () => {
  rendered = (await renderDeploy()).objects;
});

describe('kubectl kustomize deploy/', () => {
  it('renders every kind the base promises, and no Secret', () => {
    const kinds = new Set(rendered.map((o) => o.kind));
    for (const kind of ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding',
      'ConfigMap', 'Deployment', 'Service', 'NetworkPolicy', 'PodDisruptionBudget', 'PrometheusRule',
      'ServiceMonitor', 'CronJob', 'ResourceQuota']) {
      assert.ok(kinds.has(kind), `no ${kind} rendered`);
    }
    assert.ok(!kinds.has('Secret'), 'the base must not ship a Secret');
  });

  it('puts the namespace under Pod Security "restricted"', () => {
    assert.equal(find('Namespace', 'headroom').metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  it('generates headroom-config-<hash> from deploy/headroom.yaml and points both workloads at it', () => {
    const cm = find('ConfigMap');
    assert.match(cm.metadata.name, /^headroom-config-[a-z0-9]{10}$/);
    assert.equal(cm.metadata.namespace, 'headroom');
    assert.equal((cm.data as Record<string, string>)['headroom.yaml'], readFileSync(join(deployDir, 'headroom.yaml'), 'utf8'));
    assert.equal((parse(readFileSync(join(deployDir, 'headroom.yaml'), 'utf8')) as { mode: string }).mode, 'dry-run');
    for (const pod of [deploymentPod(), cronJobPod()]) {
      assert.equal(pod.spec.volumes.find((v) => v.name === 'config')?.configMap?.name, cm.metadata.name);
    }
  });

  for (const [name, pod] of [['Deployment', deploymentPod], ['CronJob', cronJobPod]] as const) {
    it(`${name}: non-root, read-only root, no privilege escalation, no capabilities, seccomp RuntimeDefault`, () => {
      const s = pod().spec;
      assert.equal(s.securityContext.runAsNonRoot, true);
      assert.equal(s.securityContext.runAsUser, 1000);
      assert.deepEqual(s.securityContext.seccompProfile, { type: 'RuntimeDefault' });
      for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) assert.notEqual(s[key], true, key);
      for (const c of s.containers) {
        assert.equal(c.securityContext.readOnlyRootFilesystem, true);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.notEqual(c.securityContext.privileged, true);
        assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] });
        assert.ok(c.resources.requests?.memory && c.resources.limits?.memory, 'memory request and limit');
        assert.ok(c.resources.requests.cpu && c.resources.limits.cpu, 'cpu request and limit');
      }
    });

    it(`${name}: the headroom ServiceAccount, its token mounted, at system-cluster-critical priority`, () => {
      const s = pod().spec;
      assert.equal(s.serviceAccountName, 'headroom');
      assert.equal(s.automountServiceAccountToken, true);
      assert.equal(s.priorityClassName, 'system-cluster-critical');
    });
  }

  it('Deployment: one replica of the released image, serve with probes, the token from Secret headroom-auth', () => {
    const d = find('Deployment', 'headroom');
    assert.equal(spec<{ replicas: number }>(d).replicas, 1);
    const [c] = deploymentPod().spec.containers;
    assert.ok(c);
    assert.equal(c.image, 'ghcr.io/headroom-dev/headroom:0.1.0');
    assert.deepEqual(c.args, ['serve', '--config', '/etc/headroom/headroom.yaml']);
    assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
    assert.deepEqual(c.env?.find((e) => e.name === 'HEADROOM_AUTH_TOKEN')?.valueFrom?.secretKeyRef,
      { name: 'headroom-auth', key: 'token', optional: false });
  });

  it('CronJob: headroom once every 5 minutes, never two at once, suspended until enabled', () => {
    const cj = spec<{ schedule: string; concurrencyPolicy: string; suspend: boolean }>(find('CronJob', 'headroom-once'));
    assert.deepEqual([cj.schedule, cj.concurrencyPolicy, cj.suspend], ['*/5 * * * *', 'Forbid', true]);
    assert.equal(cronJobPod().spec.containers[0]?.args[0], 'once');
  });

  it('PodDisruptionBudget lets a drain move the single replica', () => {
    assert.equal(spec<{ maxUnavailable: number }>(find('PodDisruptionBudget', 'headroom')).maxUnavailable, 1);
  });

  it('NetworkPolicy: in only from Alertmanager and Prometheus; out only to DNS, Prometheus and the API server', () => {
    const np = spec<{
      policyTypes: string[];
      ingress: Array<{ from: Array<Record<string, unknown>>; ports: unknown[] }>;
      egress: Array<{ to: Array<Record<string, unknown>>; ports: Array<{ port: number | string; protocol: string }> }>;
    }>(find('NetworkPolicy', 'headroom'));
    assert.deepEqual(np.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(np.ingress, [{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['alertmanager', 'prometheus'] }] },
      }],
      ports: [{ port: 'http', protocol: 'TCP' }],
    }]);
    const ports = np.egress.map((e) => e.ports.map((p) => `${p.port}/${p.protocol}`).sort().join(','));
    assert.deepEqual(ports, ['53/TCP,53/UDP', '9090/TCP', '443/TCP,6443/TCP']);
  });

  it('the PrometheusRule is deploy/prometheusrule.yaml unchanged, and the ServiceMonitor scrapes /metrics', () => {
    const shipped = parse(readFileSync(join(deployDir, 'prometheusrule.yaml'), 'utf8')) as unknown;
    assert.deepEqual(find('PrometheusRule', 'headroom'), shipped);
    const sm = spec<{ endpoints: Array<{ port: string; path: string }> }>(find('ServiceMonitor', 'headroom'));
    assert.deepEqual(sm.endpoints.map((e) => [e.port, e.path]), [['http', '/metrics']]);
  });
});

describe('an overlay as deploy/README.md shows it', () => {
  it('replaces the config (enforce) and enables the CronJob; both workloads follow the new ConfigMap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-overlay-'));
    try {
      writeFileSync(join(dir, 'headroom.yaml'), readFileSync(join(deployDir, 'headroom.yaml'), 'utf8').replace('mode: dry-run', 'mode: enforce'));
      writeFileSync(join(dir, 'kustomization.yaml'), [
        // kustomize takes a base by relative path only, as an overlay in a user's repository would.
        'resources:', `  - ${relative(dir, deployDir)}`,
        'configMapGenerator:', '  - name: headroom-config', '    namespace: headroom', '    behavior: replace', '    files: [headroom.yaml]',
        'patches:', '  - patch: |-', '      - {op: replace, path: /spec/suspend, value: false}',
        '    target: {kind: CronJob, name: headroom-once}', '',
      ].join('\n'));
      const overlay = (await renderDeploy(dir)).objects;
      const cm = overlay.find((o) => o.kind === 'ConfigMap');
      assert.ok(cm && cm.metadata.name !== find('ConfigMap').metadata.name, 'the ConfigMap name did not change with its content');
      assert.equal((parse((cm.data as Record<string, string>)['headroom.yaml'] ?? '') as { mode: string }).mode, 'enforce');
      const cron = overlay.find((o) => o.kind === 'CronJob');
      assert.equal(cron && spec<{ suspend: boolean }>(cron).suspend, false);
      const volumes = overlay.filter((o) => o.kind === 'Deployment' || o.kind === 'CronJob')
        .map((o) => JSON.stringify(o).match(/headroom-config-[a-z0-9]+/g));
      assert.deepEqual(volumes, [[cm.metadata.name], [cm.metadata.name]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/ against kube-apiserver v1.37.2', () => {
  let cluster: KubeCluster | undefined;
  let kubeconfig = '';
  const api = (): KubeCluster => {
    assert.ok(cluster, 'the cluster did not start');
    return cluster;
  };
  const ctl = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, { kubeconfig, input });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${String(r.code)}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    cluster = await startKubeCluster({ controllerManager: false });
    kubeconfig = join(cluster.tmpDir, 'admin.kubeconfig');
    await cluster.writeKubeconfig(kubeconfig, { token: cluster.adminToken, user: 'admin' });
    await ctl(['apply', '--server-side', '-f', crdFixture]);
    await ctl(['wait', '--for=condition=Established', '--timeout=60s',
      'crd/prometheusrules.monitoring.coreos.com', 'crd/servicemonitors.monitoring.coreos.com']);
    // Created for real: the namespaces the dry-run needs (monitoring stands in for
    // kube-prometheus's), and the RBAC the SubjectAccessReviews below judge.
    const real = rendered.filter((o) => ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(o.kind));
    const monitoring = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } };
    await ctl(['apply', '--server-side', '--field-manager=headroom-test', '-f', '-'],
      [monitoring, ...real].map((o) => stringify(o)).join('---\n'));
  });
  after(async () => {
    await cluster?.stop();
  });

  it('applies every rendered object with kubectl apply --server-side --dry-run=server -k deploy/', async () => {
    const out = await ctl(['apply', '--server-side', '--dry-run=server', '--field-manager=headroom-test', '-k', deployDir, '-o', 'json']);
    const parsed = JSON.parse(out) as KubeManifest & { items?: KubeManifest[] };
    const applied = parsed.items ?? [parsed];
    const id = (o: KubeManifest) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    assert.deepEqual(applied.map(id).sort(), rendered.map(id).sort());
    // Each came back from the server (it has a uid), and the dry-run created nothing.
    for (const o of applied) assert.ok((o.metadata as { uid?: string }).uid, `${id(o)}: no uid in the answer`);
    assert.equal((await api().request('GET', '/apis/apps/v1/namespaces/headroom/deployments/headroom')).status, 404);
    assert.equal((await api().request('GET', '/apis/batch/v1/namespaces/headroom/cronjobs/headroom-once')).status, 404);
  });

  /** Dry-run create of the pod a template would make; returns the status and body. */
  async function createPod(name: string, template: PodTemplate) {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'headroom', labels: template.metadata.labels }, spec: template.spec };
    return api().request<{ spec?: { priority?: number }; message?: string }>('POST', '/api/v1/namespaces/headroom/pods?dryRun=All', pod);
  }

  for (const [name, pod] of [['Deployment', deploymentPod], ['CronJob', cronJobPod]] as const) {
    it(`the ${name}'s pod is admitted under Pod Security "restricted", at priority 2000000000`, async () => {
      const res = await createPod(`check-${name.toLowerCase()}`, pod());
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.spec?.priority, 2_000_000_000);
    });
  }

  it('control: the namespace really refuses a weaker pod, and an unknown priority class', async () => {
    const weak = structuredClone(deploymentPod());
    const c = weak.spec.containers[0];
    assert.ok(c);
    c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true };
    const refused = await createPod('check-weak', weak);
    assert.equal(refused.status, 403);
    assert.match(refused.body.message ?? '', /violates PodSecurity "restricted:latest".*allowPrivilegeEscalation/);
    const unknown = structuredClone(deploymentPod());
    unknown.spec.priorityClassName = 'no-such-class';
    const noClass = await createPod('check-class', unknown);
    assert.equal(noClass.status, 403);
    assert.match(noClass.body.message ?? '', /no PriorityClass with name no-such-class/);
  });

  type Access = { verb: string; resource: string; group?: string; subresource?: string; namespace?: string; name?: string };
  const describeAccess = (a: Access) =>
    `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.group ? `.${a.group}` : ''}${a.name ? ` ${a.name}` : ''}${a.namespace ? ` in ${a.namespace}` : ''}`;

  /** A SubjectAccessReview for a ServiceAccount, asked as admin. */
  async function allowed(serviceAccount: string, a: Access): Promise<boolean> {
    const [ns, sa] = serviceAccount.split('/');
    const res = await api().request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${ns}:${sa}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
        resourceAttributes: { verb: a.verb, group: a.group ?? '', resource: a.resource, subresource: a.subresource ?? '', namespace: a.namespace ?? '', name: a.name ?? '' },
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.status?.allowed === true;
  }

  /** The RBAC authorizer reads bindings through a cache: wait until the first grant shows. */
  async function waitForGrant(serviceAccount: string, a: Access): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await allowed(serviceAccount, a))) {
      assert.ok(Date.now() < deadline, `${serviceAccount} never got ${describeAccess(a)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const headroom = 'headroom/headroom';
  // What headroom does (deploy/rbac.yaml, src/kube/preflight.ts), in any namespace it may act on.
  const needed: Access[] = [
    { verb: 'list', resource: 'nodes' },
    { verb: 'list', resource: 'pods' },
    { verb: 'list', resource: 'pods', namespace: 'shop' },
    { verb: 'create', resource: 'pods', subresource: 'eviction', namespace: 'shop', name: 'web-1' },
    { verb: 'create', resource: 'pods', subresource: 'eviction', namespace: 'default', name: 'batch-7' },
    { verb: 'list', resource: 'poddisruptionbudgets', group: 'policy' },
    { verb: 'list', resource: 'replicasets', group: 'apps' },
    { verb: 'list', resource: 'statefulsets', group: 'apps' },
    { verb: 'create', resource: 'events', namespace: 'shop' },
    { verb: 'create', resource: 'events', namespace: 'default' },
    { verb: 'get', resource: 'configmaps', namespace: 'headroom', name: 'headroom-state' },
    { verb: 'update', resource: 'configmaps', namespace: 'headroom', name: 'headroom-state' },
    { verb: 'create', resource: 'configmaps', namespace: 'headroom' },
    { verb: 'create', resource: 'selfsubjectaccessreviews', group: 'authorization.k8s.io' },
  ];
  // Anything a compromised or buggy headroom must not be able to do.
  const forbidden: Access[] = [
    { verb: 'delete', resource: 'pods', namespace: 'shop', name: 'web-1' },
    { verb: 'deletecollection', resource: 'pods', namespace: 'shop' },
    { verb: 'create', resource: 'pods', namespace: 'shop' },
    { verb: 'update', resource: 'pods', namespace: 'shop', name: 'web-1' },
    { verb: 'patch', resource: 'pods', namespace: 'shop', name: 'web-1' },
    { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web-1' },
    { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop', name: 'web-1' },
    { verb: 'get', resource: 'secrets', namespace: 'headroom', name: 'headroom-auth' },
    { verb: 'list', resource: 'secrets' },
    { verb: 'watch', resource: 'secrets', namespace: 'kube-system' },
    { verb: 'patch', resource: 'nodes', name: 'worker-1' },
    { verb: 'update', resource: 'nodes', name: 'worker-1' },
    { verb: 'delete', resource: 'nodes', name: 'worker-1' },
    { verb: 'patch', resource: 'nodes', subresource: 'status', name: 'worker-1' },
    { verb: 'delete', resource: 'deployments', group: 'apps', namespace: 'shop', name: 'web' },
    { verb: 'patch', resource: 'deployments', group: 'apps', namespace: 'shop', name: 'web' },
    { verb: 'update', resource: 'replicasets', group: 'apps', subresource: 'scale', namespace: 'shop', name: 'web-abc' },
    { verb: 'delete', resource: 'poddisruptionbudgets', group: 'policy', namespace: 'shop', name: 'web' },
    { verb: 'get', resource: 'configmaps', namespace: 'headroom', name: 'other' },
    { verb: 'update', resource: 'configmaps', namespace: 'headroom', name: 'other' },
    { verb: 'delete', resource: 'configmaps', namespace: 'headroom', name: 'headroom-state' },
    { verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'headroom-state' },
    { verb: 'create', resource: 'configmaps', namespace: 'shop' },
    { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'headroom', name: 'headroom' },
    { verb: 'bind', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'cluster-admin' },
    { verb: 'escalate', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'headroom' },
    { verb: 'update', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'headroom' },
    { verb: 'impersonate', resource: 'users', name: 'admin' },
    { verb: 'create', resource: 'subjectaccessreviews', group: 'authorization.k8s.io' },
    // Least privilege, on purpose: headroom lists in pages and caches (deploy/rbac.yaml).
    { verb: 'watch', resource: 'pods' },
    { verb: 'get', resource: 'nodes', name: 'worker-1' },
  ];

  it('the headroom ServiceAccount may do each thing headroom needs', async () => {
    await waitForGrant(headroom, { verb: 'list', resource: 'nodes' });
    await waitForGrant(headroom, { verb: 'create', resource: 'configmaps', namespace: 'headroom' });
    const missing: string[] = [];
    for (const a of needed) if (!(await allowed(headroom, a))) missing.push(describeAccess(a));
    assert.deepEqual(missing, [], `denied: ${missing.join('; ')}`);
  });

  it('the ServiceAccount passes headroom\'s own pre-flight: every permission src/kube/preflight.ts asks for', async () => {
    await waitForGrant(headroom, { verb: 'list', resource: 'nodes' });
    const permissions = requiredPermissions({ namespace: 'headroom', name: STATE_CONFIGMAP });
    assert.ok(permissions.length >= 10);
    const missing: string[] = [];
    for (const p of permissions) if (!(await allowed(headroom, p))) missing.push(describePermission(p));
    assert.deepEqual(missing, [], `denied: ${missing.join('; ')}`);
  });

  it('and nothing else asked about: deleting pods, reading secrets, patching nodes, changing workloads, escalating', async () => {
    await waitForGrant(headroom, { verb: 'list', resource: 'nodes' });
    const granted: string[] = [];
    for (const a of forbidden) if (await allowed(headroom, a)) granted.push(describeAccess(a));
    assert.deepEqual(granted, [], `allowed: ${granted.join('; ')}`);
  });

  it('kube-prometheus\'s Prometheus may discover the headroom Service, in that namespace only and read-only', async () => {
    const prometheus = 'monitoring/prometheus-k8s';
    await waitForGrant(prometheus, { verb: 'list', resource: 'endpoints', namespace: 'headroom' });
    for (const a of [
      { verb: 'list', resource: 'services', namespace: 'headroom' },
      { verb: 'watch', resource: 'pods', namespace: 'headroom' },
      { verb: 'list', resource: 'endpointslices', group: 'discovery.k8s.io', namespace: 'headroom' },
    ]) assert.ok(await allowed(prometheus, a), describeAccess(a));
    for (const a of [
      { verb: 'list', resource: 'endpoints', namespace: 'shop' },
      { verb: 'get', resource: 'secrets', namespace: 'headroom', name: 'headroom-auth' },
      { verb: 'delete', resource: 'pods', namespace: 'headroom', name: 'x' },
    ]) assert.ok(!(await allowed(prometheus, a)), describeAccess(a));
  });
});

// parseManifests is the helper renderDeploy uses; keep it honest on a multi-document stream.
describe('test/stack/kubectl.ts parseManifests', () => {
  it('parses every document and rejects broken YAML', () => {
    assert.equal(parseManifests('a: 1\n---\nb: 2\n').length, 2);
    assert.throws(() => parseManifests('a: [1\n'), /invalid YAML/);
  });
});
