/**
 * Cross-references inside deploy/ that kubectl would accept even when wrong: a selector that
 * matches no pod, an image tag behind the release, args the CLI refuses, a grace period shorter
 * than headroom's own shutdown. Read straight from the files; test/integration/deploy.test.ts
 * renders and applies them for real.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { parseCommand } from '../../../src/cli/args.ts';
import { resolveConfig } from '../../../src/config/load.ts';

const dir = new URL('../../../deploy/', import.meta.url);
type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown> };
type Container = {
  image: string; args: string[]; ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }>;
  livenessProbe?: { httpGet: { path: string; port: string } }; readinessProbe?: { httpGet: { path: string; port: string }; timeoutSeconds: number };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  volumeMounts: Array<{ name: string; mountPath: string }>;
};
type PodSpec = { containers: Container[]; volumes: Array<{ name: string; configMap?: { name: string } }>; terminationGracePeriodSeconds?: number };
type PodTemplate = { metadata: { labels: Record<string, string> }; spec: PodSpec };

function objects(file: string): Obj[] {
  return parseAllDocuments(readFileSync(new URL(file, dir), 'utf8')).map((d) => d.toJSON() as Obj).filter(Boolean);
}
function one(file: string, kind: string): Obj {
  const found = objects(file).filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `${file}: expected one ${kind}`);
  return found[0] as Obj;
}
const kustomization = objects('kustomization.yaml')[0] as unknown as {
  resources: string[]; patches: Array<{ path: string }>; configMapGenerator: Array<{ name: string; namespace: string; files: string[] }>;
};
const deployment = one('deployment.yaml', 'Deployment');
const podTemplate = deployment.spec?.template as PodTemplate;
const server = podTemplate.spec.containers[0] as Container;
const cronjob = one('cronjob.yaml', 'CronJob');
const cronTemplate = (cronjob.spec?.jobTemplate as { spec: { template: PodTemplate } }).spec.template;
const onceContainer = cronTemplate.spec.containers[0] as Container;
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/kustomization.yaml', () => {
  it('uses every manifest in deploy/, as a resource or a patch (nothing shipped is left out)', () => {
    const manifests = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'headroom.yaml');
    assert.deepEqual([...kustomization.resources, ...kustomization.patches.map((p) => p.path)].sort(), manifests.sort());
  });

  it('generates headroom-config in the headroom namespace from headroom.yaml, which both workloads mount', () => {
    const gen = kustomization.configMapGenerator.find((g) => g.name === 'headroom-config');
    assert.deepEqual(gen && { ns: gen.namespace, files: gen.files }, { ns: 'headroom', files: ['headroom.yaml'] });
    for (const spec of [podTemplate.spec, cronTemplate.spec]) {
      assert.deepEqual(spec.volumes.find((v) => v.name === 'config')?.configMap, { name: 'headroom-config' });
    }
  });
});

describe('the workloads run the CLI as the contract defines it', () => {
  for (const [name, container, command] of [['Deployment', server, 'serve'], ['CronJob', onceContainer, 'once']] as const) {
    it(`${name}: the image is the released version and the args parse as "${command}" with the mounted config`, () => {
      assert.equal(container.image, `ghcr.io/headroom-dev/headroom:${pkg.version}`);
      const parsed = parseCommand(container.args);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
      assert.equal(parsed.value.command, command);
      const mount = container.volumeMounts.find((m) => m.name === 'config')?.mountPath;
      assert.equal('config' in parsed.value ? parsed.value.config : undefined, `${mount}/headroom.yaml`);
    });

    it(`${name}: Guaranteed QoS (requests equal limits), so the OOM killer spares it`, () => {
      assert.deepEqual(container.resources.requests, container.resources.limits);
      assert.deepEqual(Object.keys(container.resources.limits).sort(), ['cpu', 'memory']);
    });
  }

  it('serves on the port the config listens on, with the liveness and readiness routes', () => {
    const config = resolveConfig(objects('headroom.yaml')[0] as unknown as Record<string, unknown>);
    assert.ok(config.ok);
    assert.deepEqual(server.ports, [{ name: 'http', containerPort: config.config.server.port, protocol: 'TCP' }]);
    assert.deepEqual(server.livenessProbe?.httpGet, { path: '/healthz', port: 'http' });
    assert.deepEqual(server.readinessProbe?.httpGet, { path: '/readyz', port: 'http' });
    // /readyz waits up to 5 s for Prometheus and the API server.
    assert.ok((server.readinessProbe?.timeoutSeconds ?? 0) > 5);
    // serve exits at most shutdown_timeout + 5 s after SIGTERM; SIGKILL must come later.
    assert.ok((podTemplate.spec.terminationGracePeriodSeconds ?? 30) > config.config.server.shutdown_timeout + 5);
  });

  it('reads the token from Secret headroom-auth (required); the CronJob, which serves nothing, does not', () => {
    const env = server.env?.find((e) => e.name === 'HEADROOM_AUTH_TOKEN');
    assert.deepEqual(env?.valueFrom?.secretKeyRef, { name: 'headroom-auth', key: 'token', optional: false });
    assert.equal(onceContainer.env?.some((e) => e.name === 'HEADROOM_AUTH_TOKEN') ?? false, false);
  });

  it('ships no Secret object anywhere: the token is the user\'s to create', () => {
    for (const file of kustomization.resources) {
      assert.ok(!objects(file).some((o) => o.kind === 'Secret'), `${file} holds a Secret`);
    }
  });
});

describe('selectors find the pods they are meant for', () => {
  const podLabels = podTemplate.metadata.labels;
  const service = one('service.yaml', 'Service');

  it('Deployment, Service and PodDisruptionBudget select the server pods, not the CronJob\'s', () => {
    const selectors = [
      (deployment.spec?.selector as { matchLabels: Record<string, string> }).matchLabels,
      service.spec?.selector as Record<string, string>,
      (one('pdb.yaml', 'PodDisruptionBudget').spec?.selector as { matchLabels: Record<string, string> }).matchLabels,
    ];
    for (const s of selectors) {
      assert.ok(matches(s, podLabels), `${JSON.stringify(s)} does not match the server pods`);
      assert.ok(!matches(s, cronTemplate.metadata.labels), `${JSON.stringify(s)} also matches the CronJob pods`);
    }
  });

  it('the Service targets the container\'s named port, and the ServiceMonitor scrapes it', () => {
    const ports = service.spec?.ports as Array<{ name: string; port: number; targetPort: string }>;
    assert.deepEqual(ports.map((p) => [p.name, p.port, p.targetPort]), [['http', 8080, 'http']]);
    const monitor = one('servicemonitor.yaml', 'ServiceMonitor').spec as { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> };
    assert.ok(matches(monitor.selector.matchLabels, service.metadata.labels ?? {}));
    assert.deepEqual(monitor.endpoints.map((e) => [e.port, e.path]), [['http', '/metrics']]);
  });

  it('the NetworkPolicy covers the server and the CronJob pods alike', () => {
    const policy = objects('networkpolicy.yaml').find((o) => o.metadata.name === 'headroom') as Obj;
    const selector = (policy.spec?.podSelector as { matchLabels: Record<string, string> }).matchLabels;
    assert.ok(matches(selector, podLabels) && matches(selector, cronTemplate.metadata.labels));
  });
});
