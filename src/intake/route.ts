/**
 * `POST /webhook`: Alertmanager's door. Everything here is fast and synchronous (parse, dedup,
 * enqueue) so the answer leaves within milliseconds; evaluation happens later, in the queue.
 * A request that fails validation or finds the queue full changes no state at all.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Alert, AlertDelivery } from '../core/alert.ts';
import type { DedupLedger } from '../dedup/ledger.ts';
import { sendError } from '../http/errors.ts';
import type { Metrics } from '../http/metrics.ts';
import type { NodeQueue } from '../queue/node-queue.ts';
import { normalizeAlert, type AlertReading } from './normalize.ts';
import { webhookPayloadJsonSchema, type WebhookPayload } from './payload.ts';

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
  app.post<{ Body: WebhookPayload }>('/webhook', { schema: { body: webhookPayloadJsonSchema } }, async (request, reply) => {
    // The body was validated by the compiled schema (errors answer 400 through errors.ts).
    const payload = request.body;
    const alerts = payload.alerts.map((a) => normalizeAlert(a, deps.reading));

    const needed = newNodesNeeded(alerts, deps.queue);
    if (needed > deps.queue.freeSlots) {
      reply.header('retry-after', '10');
      return sendError(reply, 503, 'queue-full', `evaluation queue is full (${needed} new nodes, ${deps.queue.freeSlots} free places); Alertmanager will retry`);
    }
    const answer: WebhookAnswer = { received: alerts.length, deduplicated: 0, escalated: 0, queued: 0 };
    const notes = newNotes();
    for (const alert of alerts) handleAlert(alert, deps, answer, notes);
    countMetrics(deps.metrics, alerts, answer);
    logNotes(request.log, payload.groupKey, answer, notes);
    return answer;
  });
}

/** Decisions of one request, logged as one line per kind rather than one per alert. */
type Notes = Record<'alert-deduplicated' | 'alert-escalated' | 'alert-no-node' | 'eviction-skipped', object[]>;

const newNotes = (): Notes => ({ 'alert-deduplicated': [], 'alert-escalated': [], 'alert-no-node': [], 'eviction-skipped': [] });

/** Most entries listed per log line; the count is always exact. */
const MAX_LISTED = 50;

function handleAlert(alert: Alert, deps: WebhookDeps, answer: WebhookAnswer, notes: Notes): void {
  const delivery = deps.ledger.record(alert);
  const alertname = alert.labels.alertname ?? '(unnamed)';
  if (delivery.verdict === 'duplicate') {
    answer.deduplicated += 1;
    notes['alert-deduplicated'].push({ alertname, node: alert.node, fingerprint: delivery.fingerprint, count: delivery.count });
  } else {
    if (delivery.verdict === 'escalated') {
      answer.escalated += 1;
      notes['alert-escalated'].push({ alertname, node: alert.node, fingerprint: delivery.fingerprint, count: delivery.count, priority: delivery.priority });
    }
    deps.onDelivery(delivery);
  }
  if (alert.node === null) {
    notes['alert-no-node'].push({ alertname });
    return;
  }
  if (alert.status !== 'firing' || !alert.wantsEviction) return;
  const offered = deps.queue.offer(alert.node, alertname);
  if (offered === 'queued') answer.queued += 1;
  else notes['eviction-skipped'].push({ node: alert.node, alertname, reason: offered });
}

/** Counts the request's alerts once per metric (label lookups per alert cost on this hot path). */
function countMetrics(metrics: Metrics, alerts: readonly Alert[], answer: WebhookAnswer): void {
  let resolved = 0;
  for (const a of alerts) if (a.status === 'resolved') resolved += 1;
  if (alerts.length > resolved) metrics.alertsReceived.inc({ status: 'firing' }, alerts.length - resolved);
  if (resolved > 0) metrics.alertsReceived.inc({ status: 'resolved' }, resolved);
  if (answer.deduplicated > 0) metrics.alertsDeduplicated.inc(answer.deduplicated);
  if (answer.escalated > 0) metrics.alertsEscalated.inc(answer.escalated);
}

const MESSAGES: Record<keyof Notes, string> = {
  'alert-deduplicated': 'repeats inside the silence period: not notified again',
  'alert-escalated': 'alerts escalated: priority raised',
  'alert-no-node': 'alerts name no node: notified only',
  'eviction-skipped': 'nodes not queued (coalesced with running work, or in cooldown)',
};

function logNotes(log: FastifyBaseLogger, groupKey: string | undefined, answer: WebhookAnswer, notes: Notes): void {
  for (const [event, entries] of Object.entries(notes) as Array<[keyof Notes, object[]]>) {
    if (entries.length > 0) log.info({ event, groupKey, total: entries.length, alerts: entries.slice(0, MAX_LISTED) }, MESSAGES[event]);
  }
  log.info({ event: 'webhook', groupKey, ...answer }, 'alerts received');
}

/**
 * Distinct nodes these alerts would add to the queue: not already waiting or running, and not in
 * cooldown (those are skipped by `offer` and take no place, so they must not cause a 503).
 */
function newNodesNeeded(alerts: readonly Alert[], queue: NodeQueue): number {
  const seen = new Set<string>();
  let needed = 0;
  for (const a of alerts) {
    if (a.status !== 'firing' || !a.wantsEviction || a.node === null || seen.has(a.node)) continue;
    seen.add(a.node);
    if (queue.wouldTakePlace(a.node)) needed += 1;
  }
  return needed;
}
