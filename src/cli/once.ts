/**
 * `headroom once`: one pass over every node at or over the eviction threshold (or `--node`), for a
 * CronJob (S5.2) or a maintenance window (`--target-usage`, S5.3). Prints a table of what it did;
 * the exit code is non-zero only when the pass could not run at all. What it did is notified like
 * the service's evaluations, and flushed before the process ends.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/load.ts';
import { createMetrics } from '../http/metrics.ts';
import type { LiveEvaluation } from '../live/evaluator.ts';
import { eventOf } from '../live/notifying.ts';
import { formatOnceTable, runOnce } from '../live/once.ts';
import { setUpLive } from './live-setup.ts';
import { serviceNotifier } from './notifier.ts';

/** What `once` was asked. */
export type OnceCommand = { node?: string; targetUsage?: number; dryRun: boolean };

/** Runs the pass; returns the exit code and the text for stdout or stderr. */
export async function runOnceCommand(config: Config, cmd: OnceCommand, logger: Logger, env: Readonly<Record<string, string | undefined>>): Promise<{ code: number; stdout: string; stderr: string }> {
  if (cmd.targetUsage !== undefined && cmd.targetUsage >= config.thresholds.memory_eviction) {
    return { code: 2, stdout: '', stderr: `--target-usage ${cmd.targetUsage} must be below thresholds.memory_eviction (${config.thresholds.memory_eviction})\n` };
  }
  const metrics = createMetrics({ processMetrics: false });
  const notifier = serviceNotifier(config.notifications, config.server.shutdown_timeout, metrics, logger);
  const setup = setUpLive(config, logger, metrics, env, { mode: cmd.dryRun ? 'dry-run' : config.mode, ...(cmd.targetUsage === undefined ? {} : { targetUsage: cmd.targetUsage }) });
  try {
    if (!setup.live) return { code: 1, stdout: '', stderr: `headroom once: Kubernetes: ${setup.kubeProblem ?? 'not configured'}\n` };
    const live = setup.live;
    const onEvaluation = (e: LiveEvaluation): void => {
      const event = eventOf(e, live.evaluator.mode, new Date().toISOString());
      if (event) notifier.notify(event);
    };
    const result = await runOnce({ evaluator: live.evaluator, usage: setup.usage, onEvaluation, ...(cmd.node === undefined ? {} : { node: cmd.node }) });
    if (!result.ok) return { code: 1, stdout: '', stderr: `headroom once: ${result.message}\n` };
    return { code: 0, stdout: formatOnceTable(result), stderr: '' };
  } finally {
    // A CronJob's pod ends with the process: flush what the pass reported first.
    await notifier.afterDrain();
    await setup.prometheus.close();
  }
}
