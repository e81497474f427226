/**
 * One evaluation scene on the real API server, isolated by name prefix: a namespace, four 16 GiB
 * nodes (`<p>-n0` at 15 GiB used, 93.75%, the others at 4 GiB), three Deployments with a pod on
 * n0 each (`guarded-1` BestEffort, 3 GiB, behind a PDB that allows no disruption; `web-1` and
 * `api-1`, 1.5 GiB each), and a LiveEvaluator over a fake usage source.
 */
import type { Config } from '../../src/config/load.ts';
import { resolveConfig } from '../../src/config/load.ts';
import type { Metrics } from '../../src/http/metrics.ts';
import type { KubeApi } from '../../src/kube/types.ts';
import { LiveEvaluator } from '../../src/live/evaluator.ts';
import type { KubeCluster } from '../stack/kube-cluster.ts';
import { GiB, metrics, recordingLogger } from '../unit/act/helpers.ts';
import { FakeUsage } from '../unit/kube/fake-usage.ts';
import { namespace, processedPdb, readyNode, replicaSet, runningPod } from './kube-fixtures.ts';

/** What a test gets. */
export type Scene = {
  ns: string;
  node: string;
  usage: FakeUsage;
  lines: Array<Record<string, unknown>>;
  metrics: Metrics;
  /** A new evaluator (a "restart") sharing the cluster, usage and limits ConfigMap (in `ns` unless told). */
  evaluator: (o?: { api?: KubeApi; mode?: 'dry-run' | 'enforce'; stateNamespace?: string }) => LiveEvaluator;
};

/** Builds the scene; `config` is merged over `{mode: enforce}`. */
export async function scene(cluster: KubeCluster, api: KubeApi, p: string, config: Record<string, unknown> = {}): Promise<Scene> {
  await namespace(cluster, p);
  for (let i = 0; i < 4; i++) await readyNode(cluster, `${p}-n${i}`);
  const node = `${p}-n0`;
  const guarded = await replicaSet(cluster, p, 'guarded', 2);
  await runningPod(cluster, p, 'guarded-1', { node, app: 'guarded', rs: guarded, request: null });
  await runningPod(cluster, p, 'guarded-2', { node: `${p}-n1`, app: 'guarded', rs: guarded, request: null });
  for (const app of ['web', 'api']) await runningPod(cluster, p, `${app}-1`, { node, app, rs: await replicaSet(cluster, p, app, 3) });
  await processedPdb(cluster, p, 'guarded', 2, 2);

  const usage = new FakeUsage();
  usage.nodes = new Map([[node, 15 * GiB], [`${p}-n1`, 4 * GiB], [`${p}-n2`, 4 * GiB], [`${p}-n3`, 4 * GiB]]);
  usage.pods = new Map([[`${p}/guarded-1`, 3 * GiB], [`${p}/guarded-2`, 3 * GiB], [`${p}/web-1`, 1.5 * GiB], [`${p}/api-1`, 1.5 * GiB]]);
  const resolved = resolveConfig({ mode: 'enforce', ...config });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  const cfg: Config = resolved.config;
  const { logger, lines } = recordingLogger();
  const m = metrics();
  return {
    ns: p,
    node,
    usage,
    lines,
    metrics: m,
    evaluator: (o = {}) => new LiveEvaluator({ config: cfg, api: o.api ?? api, usage, logger, metrics: m, stateNamespace: o.stateNamespace ?? p, mode: o.mode }),
  };
}

/** An evaluation request for `node`. */
export function alert(node: string): { node: string; alertnames: string[]; requestedAt: Date } {
  return { node, alertnames: ['NodeMemoryPressureCritical'], requestedAt: new Date() };
}
