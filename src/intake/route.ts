/**
 * `POST /webhook`: Alertmanager's door. Everything here is fast and synchronous (parse, dedup,
 * enqueue) so the answer leaves within milliseconds; evaluation happens later, in the queue.
 * A request that fails validation or finds the queue full changes no state at all.
 */
import type { FastifyInstance } from 'fastify';
import type { Alert, AlertDelivery } from '../core/alert.ts';
import type { DedupLedger } from '../dedup/ledger.ts';
import { sendError } from '../http/errors.ts';
import type { Metrics } from '../http/metrics.ts';
import type { NodeQueue } from '../queue/node-queue.ts';
import { normalizeAlert, type AlertReading } from './normalize.ts';
import { describeIssues, webhookPayloadSchema } from './payload.ts';

/** What the webhook route needs. */
export type WebhookDeps = {
  ledger: DedupLedger;
  queue: NodeQueue;
  metrics: Metrics;
  reading: AlertReading;
  /** Called for every delivery that is sent or escalated (the notifier). Must not throw or block. */
  onDelivery: (delivery: AlertDelivery) => void;
};

/** The answer Alertmanager gets. */
export type WebhookAnswer = { received: number; deduplicated: number; escalated: number; queued: number };

/** Registers `POST /webhook`. */
export function registerWebhookRoute(app: FastifyInstance, deps: WebhookDeps): void {
  app.post('/webhook', async (request, reply) => {
    const parsed = webhookPayloadSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'invalid-payload', describeIssues(parsed.error));
    const alerts = parsed.data.alerts.map((a) => normalizeAlert(a, deps.reading));

    const needed = newNodesNeeded(alerts, deps.queue);
    if (needed > deps.queue.freeSlots) {
      reply.header('retry-after', '10');
      return sendError(reply, 503, 'queue-full', `evaluation queue is full (${needed} new nodes, ${deps.queue.freeSlots} free places); Alertmanager will retry`);
    }
    const answer: WebhookAnswer = { received: alerts.length, deduplicated: 0, escalated: 0, queued: 0 };
    for (const alert of alerts) handleAlert(alert, deps, answer, request.log);
    request.log.info({ event: 'webhook', groupKey: parsed.data.groupKey, ...answer }, 'alerts received');
    return answer;
  });
}

function handleAlert(alert: Alert, deps: WebhookDeps, answer: WebhookAnswer, log: { info: (o: object, m: string) => void }): void {
  deps.metrics.alertsReceived.inc({ status: alert.status });
  const delivery = deps.ledger.record(alert);
  const alertname = alert.labels.alertname ?? '(unnamed)';
  if (delivery.verdict === 'duplicate') {
    answer.deduplicated += 1;
    deps.metrics.alertsDeduplicated.inc();
    log.info({ event: 'alert-deduplicated', alertname, node: alert.node, fingerprint: delivery.fingerprint, count: delivery.count }, 'repeat inside the silence period: not notified');
  } else {
    if (delivery.verdict === 'escalated') {
      answer.escalated += 1;
      deps.metrics.alertsEscalated.inc();
      log.info({ event: 'alert-escalated', alertname, node: alert.node, fingerprint: delivery.fingerprint, count: delivery.count, priority: delivery.priority }, 'alert escalated');
    }
    deps.onDelivery(delivery);
  }
  if (alert.node === null) {
    log.info({ event: 'alert-no-node', alertname }, 'alert names no node: notified only');
    return;
  }
  if (alert.status !== 'firing' || !alert.wantsEviction) return;
  const offered = deps.queue.offer(alert.node, alertname);
  if (offered === 'queued') answer.queued += 1;
  else log.info({ event: 'eviction-skipped', node: alert.node, alertname, reason: offered }, `node not queued: ${offered}`);
}

/** Distinct nodes these alerts would add to the queue (not already waiting or running). */
function newNodesNeeded(alerts: readonly Alert[], queue: NodeQueue): number {
  const nodes = new Set<string>();
  for (const a of alerts) {
    if (a.status === 'firing' && a.wantsEviction && a.node !== null && !queue.isTracked(a.node)) nodes.add(a.node);
  }
  return nodes.size;
}
