/**
 * A real Alertmanager (Debian's 0.25, /usr/bin/prometheus-alertmanager) for tests: the given
 * config, its own storage and log in a temp folder, a free loopback port, clustering off (an
 * empty `--cluster.listen-address`, else it gossips on 0.0.0.0:9094 and waits to settle).
 * Resolves once `/-/ready` answers.
 */
import { join } from 'node:path';
import { httpOk, startService, waitForChild, type StackService } from './child.ts';

/** Options of startAlertmanager. */
export type AlertmanagerOptions = {
  /** The whole alertmanager.yml. */
  configYaml: string;
  /** More flags, e.g. `--log.level=debug`. */
  extraArgs?: string[];
  /** Wait for `/-/ready` at most this long (default 20 000 ms). */
  readyTimeoutMs?: number;
};

/** A running Alertmanager (its folder holds alertmanager.yml, data/, alertmanager.log). */
export type TestAlertmanager = StackService;

/** Starts Alertmanager; a bad config fails with the end of its log. */
export function startAlertmanager(opts: AlertmanagerOptions): Promise<TestAlertmanager> {
  return startService({
    name: 'alertmanager',
    bin: '/usr/bin/prometheus-alertmanager',
    config: { file: 'alertmanager.yml', text: opts.configYaml },
    args: ({ dir, port, url, configFile }) => [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
      ...(opts.extraArgs ?? []),
    ],
    ready: (child, url) => waitForChild(child, '/-/ready', opts.readyTimeoutMs ?? 20_000, () => httpOk(`${url}/-/ready`)),
  });
}
