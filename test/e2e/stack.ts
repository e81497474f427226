/**
 * The whole chain on loopback, started once per test file:
 *
 *   exporter (node-exporter + cAdvisor series) -> Prometheus 2.42 (the rules `headroom rules`
 *   renders for the test config) -> Alertmanager 0.25 (the shipped route example) ->
 *   `headroom serve` (enforce, a ServiceAccount's kubeconfig) -> kube-apiserver + etcd +
 *   the disruption controller, with deploy/rbac.yaml applied as a user would.
 *
 * The cluster objects a file needs are written by its `seed` callback before headroom starts, as
 * in a cluster that was running before the incident. `stop()` tears everything down; the temp
 * folder (configs, logs) is removed unless E2E_KEEP is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startAlertmanager, type TestAlertmanager } from '../stack/alertmanager.ts';
import { trackDir } from '../stack/child.ts';
import { startExporter, type TestExporter } from '../stack/exporter.ts';
import { startKubeCluster, type KubeCluster } from '../stack/kube-cluster.ts';
import { deployDir, kubectl } from '../stack/kubectl.ts';
import { freePort } from '../stack/ports.ts';
import { startPrometheus, type TestPrometheus } from '../stack/prometheus.ts';
import { startApiRecorder, type ApiRecorder } from './api-recorder.ts';
import { alertmanagerConfig, headroomConfig, rulesFor, TIMING } from './config.ts';
import { startHeadroom, type HeadroomProcess } from './headroom-process.ts';
import { startLossyAck, type LossyAck } from './lossy-ack.ts';
import { ClusterWriter } from './objects.ts';

/** headroom's ServiceAccount, as deploy/rbac.yaml names it. */
export const SERVICE_ACCOUNT = { namespace: 'headroom', name: 'headroom' } as const;

/** Options of startE2EStack. */
export type E2EOptions = {
  /** Writes the file's nodes and pods (API server and exporter) before headroom starts. */
  seed: (w: ClusterWriter, cluster: KubeCluster) => Promise<void>;
  /**
   * Nodes whose alerts Alertmanager also sends through `receivers` extra receivers pointing at
   * headroom, and (with `lossyFailures`) one more through a relay that forwards to headroom but
   * answers the first `lossyFailures` deliveries with 503, so Alertmanager retries them.
   */
  duplicates?: { nodeRegex: string; receivers: number; lossyFailures?: number };
  /** Put the recording proxy between headroom and the API server (the benchmark's timings). */
  recordApi?: boolean;
  trendEvict?: boolean;
  /** More Alertmanager flags, e.g. `--log.level=debug`. */
  alertmanagerArgs?: string[];
};

/** The running chain. */
export type E2EStack = {
  cluster: KubeCluster;
  exporter: TestExporter;
  prometheus: TestPrometheus;
  alertmanager: TestAlertmanager;
  headroom: HeadroomProcess;
  writer: ClusterWriter;
  recorder: ApiRecorder | null;
  /** The relay of `duplicates.lossyFailures`. */
  lossy: LossyAck | null;
  /** The headroom config file's content. */
  config: Record<string, unknown>;
  /** Milliseconds each part took to start. */
  startup: Record<string, number>;
  stop(): Promise<void>;
};

/** Starts the chain; on failure stops what was started and rethrows. */
export async function startE2EStack(o: E2EOptions): Promise<E2EStack> {
  const t0 = Date.now();
  const startup: Record<string, number> = {};
  const dir = await mkdtemp(join(tmpdir(), `headroom-e2e-${process.pid}-`));
  const tracked = process.env.E2E_KEEP ? { forget: () => undefined } : trackDir(dir);
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    if (!process.env.E2E_KEEP) await rm(dir, { recursive: true, force: true });
    tracked.forget();
  };
  try {
    const saToken = randomBytes(24).toString('hex');
    const authToken = randomBytes(24).toString('hex');
    const port = await freePort();
    const webhookUrl = `http://127.0.0.1:${port}/webhook`;

    const exporter = await startExporter();
    stops.push(() => exporter.stop());

    // The slow part (the control plane) starts while Alertmanager and Prometheus do.
    const kubeStarted = Date.now();
    const kube = startKubeCluster({
      extraTokens: [{ token: saToken, user: `system:serviceaccount:${SERVICE_ACCOUNT.namespace}:${SERVICE_ACCOUNT.name}`, uid: 'headroom-sa', groups: ['system:serviceaccounts', `system:serviceaccounts:${SERVICE_ACCOUNT.namespace}`] }],
    }).then((c) => {
      startup.kube = Date.now() - kubeStarted;
      stops.push(() => c.stop());
      return c;
    });
    kube.catch(() => undefined);

    const tokenFile = join(dir, 'headroom-webhook-token');
    await writeFile(tokenFile, authToken, { mode: 0o600 });
    const duplicateUrls = Array.from({ length: o.duplicates?.receivers ?? 0 }, () => webhookUrl);
    let lossy: LossyAck | null = null;
    if (o.duplicates?.lossyFailures !== undefined) {
      const relay = await startLossyAck(webhookUrl, o.duplicates.lossyFailures);
      lossy = relay;
      stops.push(() => relay.close());
      duplicateUrls.push(relay.url);
    }
    const amYaml = await alertmanagerConfig({ webhookUrl, tokenFile, ...(o.duplicates ? { duplicates: { nodeRegex: o.duplicates.nodeRegex, urls: duplicateUrls } } : {}) });
    const alertmanager = await startAlertmanager({ configYaml: amYaml, extraArgs: o.alertmanagerArgs ?? [] });
    stops.push(() => alertmanager.stop());
    startup.alertmanager = alertmanager.startupMs;

    const kubeconfigFile = join(dir, 'headroom.kubeconfig');
    const configFor = (prometheusUrl: string) => headroomConfig({ port, prometheusUrl, kubeconfig: kubeconfigFile, authToken, trendEvict: o.trendEvict ?? false });
    const rulesFile = join(dir, 'headroom.rules.yml');
    // The rules do not depend on Prometheus's URL, which is known only once it runs.
    await writeFile(rulesFile, rulesFor(configFor('http://127.0.0.1:9090')));
    const prometheus = await startPrometheus({
      scrapeTargets: [exporter.target],
      scrapeInterval: TIMING.scrapeInterval,
      evaluationInterval: TIMING.evaluationInterval,
      ruleFiles: [rulesFile],
      alertmanagerUrl: alertmanager.url,
      extraArgs: [`--rules.alert.resend-delay=${TIMING.resendDelay}`],
    });
    stops.push(() => prometheus.stop());
    startup.prometheus = prometheus.startupMs;
    const config = configFor(prometheus.url);

    const cluster = await kube;
    const adminKubeconfig = join(dir, 'admin.kubeconfig');
    await cluster.writeKubeconfig(adminKubeconfig, { token: cluster.adminToken, user: 'admin' });
    const applied = await kubectl(['apply', '-f', join(deployDir, 'rbac.yaml')], { kubeconfig: adminKubeconfig });
    if (applied.code !== 0) throw new Error(`kubectl apply -f deploy/rbac.yaml failed: ${applied.stderr}`);

    const writer = new ClusterWriter(cluster, exporter);
    const seeded = Date.now();
    await o.seed(writer, cluster);
    startup.seed = Date.now() - seeded;

    let recorder: ApiRecorder | null = null;
    let kubeconfigText = cluster.kubeconfigFor(saToken, 'headroom');
    if (o.recordApi) {
      const r = await startApiRecorder(cluster);
      recorder = r;
      stops.push(() => r.close());
      kubeconfigText = kubeconfigText.replace(`server: ${cluster.url}`, `server: ${r.url}`).replace(/ {4}certificate-authority: .*\n/, '    insecure-skip-tls-verify: true\n');
    }
    await writeFile(kubeconfigFile, kubeconfigText, { mode: 0o600 });
    const configFile = join(dir, 'headroom.yaml');
    await writeFile(configFile, stringify(config));
    const home = join(dir, 'home');
    await mkdir(home);
    const hStarted = Date.now();
    const headroom = await startHeadroom({ configFile, port, home, logFile: join(dir, 'headroom.log'), env: { POD_NAMESPACE: SERVICE_ACCOUNT.namespace } });
    stops.push(() => headroom.stop());
    startup.headroom = Date.now() - hStarted;
    startup.total = Date.now() - t0;
    return { cluster, exporter, prometheus, alertmanager, headroom, writer, recorder, lossy, config, startup, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
