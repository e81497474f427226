/**
 * One call to assemble the live side for `headroom serve` and `headroom once`: the Kubernetes
 * API over a loaded KubeConfig, the LiveEvaluator (with its facts caches and stored limits) and
 * the RBAC pre-flight probe for `/readyz`, all pointing at headroom's own namespace.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/load.ts';
import type { UsageSource } from '../facts/gather-usage.ts';
import type { Metrics } from '../http/metrics.ts';
import { createKubeApi, type KubeApiOptions } from '../kube/client.ts';
import type { KubeConnect } from '../kube/connect.ts';
import { headroomNamespace } from '../kube/namespace.ts';
import { type PreflightCheck, preflightProbe } from '../kube/preflight.ts';
import type { KubeApi } from '../kube/types.ts';
import { STATE_CONFIGMAP } from '../act/limits-store.ts';
import { LiveEvaluator } from './evaluator.ts';

/** The pieces the service and `once` use. */
export type Live = Readonly<{
  api: KubeApi;
  evaluator: LiveEvaluator;
  /** RBAC checks for `/readyz` (cached; see `preflightProbe`). */
  preflight: () => Promise<PreflightCheck[]>;
  /** Where the limits are stored. */
  state: Readonly<{ namespace: string; name: string }>;
}>;

/** Inputs of `buildLive`; `env` is only read for the namespace (HEADROOM_NAMESPACE, POD_NAMESPACE). */
export type BuildLiveOptions = Readonly<{
  config: Config;
  kube: Extract<KubeConnect, { ok: true }>;
  usage: UsageSource;
  logger: Logger;
  metrics: Metrics;
  env: Readonly<Record<string, string | undefined>>;
  /** `once --dry-run` */
  mode?: 'dry-run' | 'enforce';
  /** `once --target-usage` */
  targetUsage?: number;
  kubeOptions?: KubeApiOptions;
}>;

/** Builds the live side; call `evaluator.init()` before serving so cooldowns survive restarts. */
export function buildLive(o: BuildLiveOptions): Live {
  const api = createKubeApi(o.kube.kc, o.kubeOptions);
  const state = { namespace: headroomNamespace(o.env), name: STATE_CONFIGMAP };
  const evaluator = new LiveEvaluator({ config: o.config, api, usage: o.usage, logger: o.logger, metrics: o.metrics, stateNamespace: state.namespace, stateName: state.name, mode: o.mode, targetUsage: o.targetUsage });
  return { api, evaluator, preflight: preflightProbe(api, state), state };
}
