/**
 * headroom's own metrics, with the names fixed by the contract. One registry per app instance,
 * so tests can build several apps in one process without metric-name collisions.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric headroom exports, created on one registry. */
export type Metrics = {
  registry: Registry;
  alertsReceived: Counter<'status'>;
  alertsDeduplicated: Counter;
  alertsEscalated: Counter;
  evictions: Counter<'mode' | 'result'>;
  evaluations: Counter<'result'>;
  notifications: Counter<'channel' | 'result'>;
  evaluationDuration: Histogram;
};

/** Creates the registry; `processMetrics` adds the default process and Node.js metrics. */
export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    alertsReceived: new Counter({ name: 'headroom_alerts_received_total', help: 'Alerts received on /webhook, by alert status.', labelNames: ['status'], registers }),
    alertsDeduplicated: new Counter({ name: 'headroom_alerts_deduplicated_total', help: 'Alerts not notified again inside the silence period.', registers }),
    alertsEscalated: new Counter({ name: 'headroom_alerts_escalated_total', help: 'Alerts whose priority was raised by repetition.', registers }),
    evictions: new Counter({ name: 'headroom_evictions_total', help: 'Eviction requests by mode (dry-run, enforce) and result.', labelNames: ['mode', 'result'], registers }),
    evaluations: new Counter({ name: 'headroom_evaluations_total', help: 'Node evaluations by result.', labelNames: ['result'], registers }),
    notifications: new Counter({ name: 'headroom_notifications_total', help: 'Notifications by channel and result.', labelNames: ['channel', 'result'], registers }),
    evaluationDuration: new Histogram({
      name: 'headroom_evaluation_duration_seconds',
      help: 'Time to evaluate a node: facts, plan and action.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}
