/**
 * The live side as `serve` and `once` build it: Prometheus for usage, the Kubernetes API for
 * everything else, and the evaluator that joins them. One function so both commands read the
 * same truth the same way.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/load.ts';
import type { UsageSource } from '../facts/gather-usage.ts';
import type { Metrics } from '../http/metrics.ts';
import { loadKubeConfig, type KubeConnect } from '../kube/connect.ts';
import { buildLive, type Live } from '../live/build.ts';
import { usageFromPrometheus } from '../live/prometheus-usage.ts';
import { createPrometheusClient, type PrometheusClient } from '../prometheus/client.ts';
import { createUsageReader, type UsageReader } from '../prometheus/usage.ts';

/** The live side, or why Kubernetes could not be configured (Prometheus is always built). */
export type LiveSetup = {
  prometheus: PrometheusClient;
  reader: UsageReader;
  usage: UsageSource;
  live: Live | null;
  /** The loaded client config, for the readiness probe of the API server. */
  kubeConfig: Extract<KubeConnect, { ok: true }>['kc'] | null;
  /** Why `live` is null. */
  kubeProblem: string | null;
};

/** Builds the live side; never throws for a missing cluster (serve still starts, not ready). */
export function setUpLive(config: Config, logger: Logger, metrics: Metrics, env: Readonly<Record<string, string | undefined>>, overrides: { mode?: 'dry-run' | 'enforce'; targetUsage?: number } = {}): LiveSetup {
  const prometheus = createPrometheusClient({ url: config.prometheus.url, timeoutSeconds: config.prometheus.timeout });
  const reader = createUsageReader(prometheus, config.prometheus);
  const usage = usageFromPrometheus(reader);
  const kube = loadKubeConfig(config.kubernetes, env);
  if (!kube.ok) return { prometheus, reader, usage, live: null, kubeConfig: null, kubeProblem: kube.message };
  const live = buildLive({ config, kube, usage, logger, metrics, env, ...overrides });
  return { prometheus, reader, usage, live, kubeConfig: kube.kc, kubeProblem: null };
}
