/**
 * An alert as headroom understands it, decoupled from the Alertmanager wire format so the dedup,
 * queue and notification code never touch raw payloads.
 */
import type { Priority } from './priority.ts';

/** One alert from an Alertmanager group, normalised. */
export type Alert = {
  status: 'firing' | 'resolved';
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAt: string | null;
  /** `null` when Alertmanager sent the zero time (`0001-01-01T00:00:00Z`): no end known. */
  endsAt: string | null;
  generatorURL: string;
  /** The node the alert is about, from the configured labels; `null` when none names one. */
  node: string | null;
  /** True when the alert asks for eviction (`headroom_action="evict"` or a configured alertname). */
  wantsEviction: boolean;
};

/** What dedup decided about one alert, carried to the notifier. */
export type AlertDelivery = {
  alert: Alert;
  fingerprint: string;
  priority: Priority;
  /** How many consecutive deliveries of this fingerprint have been seen, this one included. */
  count: number;
  verdict: 'sent' | 'duplicate' | 'escalated';
};
