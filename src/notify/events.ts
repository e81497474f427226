/**
 * What headroom tells people about, as plain data. The webhook path, the evaluator and the
 * readiness checks build these; the notifier renders them per channel. Nothing here does I/O.
 */
import type { AlertDelivery } from '../core/alert.ts';
import type { Priority } from '../core/priority.ts';

/** Fields every event carries. */
export type EventBase = {
  priority: Priority;
  node?: string;
  /** When it happened, ISO 8601. */
  at: string;
  /** The cluster's name, when the operator configured one. */
  cluster?: string;
};

/** How acting on one pod ended (mirrors the act step's outcomes). */
export type PodOutcome = {
  namespace: string;
  name: string;
  outcome: 'evicted' | 'pdb-refused' | 'gone' | 'failed';
  score: number;
  reasons?: readonly string[];
  message?: string;
};

/** A pod that may not be evicted, with every reason (CONTRACT: protection reason codes). */
export type ProtectedPod = { namespace: string; name: string; reasons: readonly string[] };

/** An alert that dedup decided to send: first firing, escalated, or resolved. */
export type AlertEvent = EventBase & { type: 'alert'; delivery: AlertDelivery };

/** An eviction plan was carried out (or dry-run) on a node. Usages are percentages 0-100. */
export type EvictionExecutedEvent = EventBase & {
  type: 'eviction-executed';
  node: string;
  mode: 'dry-run' | 'enforce';
  outcomes: readonly PodOutcome[];
  usage?: number;
  projectedUsage?: number;
  target?: number;
};

/** headroom decided not to act on a node (cooldown, budget, stale metrics, ...). */
export type EvictionSkippedEvent = EventBase & {
  type: 'eviction-skipped';
  node: string;
  reason: string;
  protected?: readonly ProtectedPod[];
};

/** The node is under pressure but every pod on it is protected or has nowhere to go. */
export type NothingEvictableEvent = EventBase & { type: 'nothing-evictable'; node: string; protected: readonly ProtectedPod[] };

/** Prometheus or Kubernetes does not answer; headroom cannot decide safely. */
export type DependencyFailingEvent = EventBase & { type: 'dependency-failing'; which: 'prometheus' | 'kubernetes'; message: string };

/** Everything the notifier can be asked to send. */
export type NotifyEvent = AlertEvent | EvictionExecutedEvent | EvictionSkippedEvent | NothingEvictableEvent | DependencyFailingEvent;

/** The `type` values of {@link NotifyEvent}. */
export type NotifyEventType = NotifyEvent['type'];

/** How an alert event reads to people: escalation and resolution are what they care about. */
export type AlertKind = 'firing' | 'escalated' | 'resolved';

/** Classifies an alert delivery for rendering. */
export function alertKind(delivery: AlertDelivery): AlertKind {
  if (delivery.alert.status === 'resolved') return 'resolved';
  return delivery.verdict === 'escalated' ? 'escalated' : 'firing';
}

/**
 * Turns what dedup decided into an event, or `null` for a duplicate: de-duplication decides what
 * is sent at all, so duplicates never reach a channel.
 */
export function alertEvent(delivery: AlertDelivery, at: string, cluster?: string): AlertEvent | null {
  if (delivery.verdict === 'duplicate') return null;
  const event: AlertEvent = { type: 'alert', priority: delivery.priority, at, delivery };
  if (delivery.alert.node !== null) event.node = delivery.alert.node;
  if (cluster !== undefined) event.cluster = cluster;
  return event;
}
