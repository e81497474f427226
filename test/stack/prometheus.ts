/**
 * A real Prometheus (Debian's 2.42, /usr/bin/prometheus) for tests: its own config, TSDB and
 * log in a temp folder, a free loopback port, short intervals. Resolves once `/-/ready` answers
 * and every scrape target has been scraped successfully (`up == 1`).
 *
 * Prometheus 2.42 applies new scrape targets at most every 5 s (the scrape manager's reload
 * tick, not configurable before 2.46), so the first scrape lands 5-6 s after start whatever the
 * scrape interval: start one per suite, not per test.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createPrometheusClient } from '../../src/prometheus/client.ts';
import { httpOk, startService, waitForChild, type StackService } from './child.ts';

/** Options of startPrometheus. */
export type PrometheusOptions = {
  /** `host:port` targets scraped at `/metrics` by one job, `headroom-test`, with honor_labels. */
  scrapeTargets: string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
  /** Rule files (absolute paths), as `rule_files`. */
  ruleFiles?: string[];
  /** Alertmanager base URL, e.g. `http://127.0.0.1:9093`, to send alerts to (API v2). */
  alertmanagerUrl?: string;
  /** More flags, e.g. `--rules.alert.resend-delay=5s`. */
  extraArgs?: string[];
  /** Wait for `/-/ready` and the first scrapes at most this long (default 30 000 ms). */
  readyTimeoutMs?: number;
  /** Skip waiting for `up == 1` (e.g. when the targets are meant to be down). */
  skipScrapeWait?: boolean;
};

/** A running Prometheus (its folder holds prometheus.yml, data/, prometheus.log). */
export type TestPrometheus = StackService;

function configYaml(o: PrometheusOptions): string {
  const interval = o.scrapeInterval ?? '1s';
  const config: Record<string, unknown> = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: o.evaluationInterval ?? '1s' },
    scrape_configs: [{ job_name: 'headroom-test', honor_labels: true, static_configs: [{ targets: o.scrapeTargets }] }],
  };
  if (o.ruleFiles !== undefined && o.ruleFiles.length > 0) config.rule_files = o.ruleFiles;
  if (o.alertmanagerUrl !== undefined) {
    const am = new URL(o.alertmanagerUrl);
    config.alerting = {
      alertmanagers: [{
        api_version: 'v2',
        scheme: am.protocol.replace(':', ''),
        ...(am.pathname !== '/' ? { path_prefix: am.pathname } : {}),
        static_configs: [{ targets: [am.host] }],
      }],
    };
  }
  return stringify(config);
}

/** Starts Prometheus; on failure the error quotes the end of its log. */
export function startPrometheus(opts: PrometheusOptions): Promise<TestPrometheus> {
  const started = Date.now();
  const timeout = opts.readyTimeoutMs ?? 30_000;
  return startService({
    name: 'prometheus',
    bin: '/usr/bin/prometheus',
    config: { file: 'prometheus.yml', text: configYaml(opts) },
    args: ({ dir, port, configFile }) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      // Debian's defaults point at /etc/prometheus; the test instance needs none of them.
      `--web.console.templates=${dir}`,
      `--web.console.libraries=${dir}`,
      ...(opts.extraArgs ?? []),
    ],
    ready: async (child, url) => {
      await waitForChild(child, '/-/ready', timeout, () => httpOk(`${url}/-/ready`));
      if (opts.skipScrapeWait || opts.scrapeTargets.length === 0) return;
      const want = opts.scrapeTargets.length;
      const client = createPrometheusClient({ url, timeoutSeconds: 2 });
      try {
        await waitForChild(child, `up == 1 for ${want} target(s)`, timeout - (Date.now() - started), async () => {
          const r = await client.query('count(up{job="headroom-test"} == 1)');
          return r.ok && r.resultType === 'vector' && r.samples[0]?.value === want;
        });
      } finally {
        await client.close();
      }
    },
  });
}
