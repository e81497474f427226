/**
 * A real Alertmanager (Debian's 0.25, /usr/bin/prometheus-alertmanager) for tests: the given
 * config, its own storage and log in a temp folder, a free loopback port, clustering off (an
 * empty `--cluster.listen-address`, else it gossips on 0.0.0.0:9094 and waits to settle).
 * Resolves once `/-/ready` answers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpOk, startChild, stopChild, trackDir, waitForChild } from './child.ts';
import { freePort } from './ports.ts';

/** Options of startAlertmanager. */
export type AlertmanagerOptions = {
  /** The whole alertmanager.yml. */
  configYaml: string;
  /** More flags, e.g. `--log.level=debug`. */
  extraArgs?: string[];
  /** Wait for `/-/ready` at most this long (default 20 000 ms). */
  readyTimeoutMs?: number;
};

/** A running Alertmanager. */
export type TestAlertmanager = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The temp folder: alertmanager.yml, data/, alertmanager.log. */
  dir: string;
  log: string;
  /** Milliseconds from spawn to ready. */
  startupMs: number;
  /** SIGTERM (SIGKILL after 5 s) and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
};

/** Starts Alertmanager; a bad config fails with the end of its log. */
export async function startAlertmanager(opts: AlertmanagerOptions): Promise<TestAlertmanager> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), `headroom-alertmanager-${process.pid}-`));
  const tracked = trackDir(dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, opts.configYaml);
  const child = startChild('alertmanager', '/usr/bin/prometheus-alertmanager', [
    `--config.file=${configFile}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${url}`,
    '--cluster.listen-address=',
    ...(opts.extraArgs ?? []),
  ], join(dir, 'alertmanager.log'));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    tracked.forget();
  };
  try {
    await waitForChild(child, '/-/ready', opts.readyTimeoutMs ?? 20_000, () => httpOk(`${url}/-/ready`));
    return { url, dir, log: child.log, startupMs: Date.now() - started, stop };
  } catch (err) {
    // Keep the folder: the error quotes the log's end, the whole log stays for reading.
    stopped = true;
    await stopChild(child);
    tracked.forget();
    throw err;
  }
}
