/**
 * From wire alerts to `Alert` values: which node an alert is about and whether it asks for an
 * eviction. Both rules are configuration, so they live here and nowhere else.
 */
import type { Alert } from '../core/alert.ts';
import { timeOrNull, type PayloadAlert } from './payload.ts';

/** The rules for reading an alert, from `eviction.node_labels` and `eviction.alertnames`. */
export type AlertReading = { nodeLabels: readonly string[]; evictAlertnames: ReadonlySet<string> };

/**
 * The node named by the first present label of `nodeLabels`. `instance` values usually carry a
 * port (`10.0.0.1:9100`, `node-1:9100`, `[::1]:9100`), which is stripped.
 */
export function nodeFromLabels(labels: Readonly<Record<string, string>>, nodeLabels: readonly string[]): string | null {
  for (const key of nodeLabels) {
    const value = labels[key];
    if (value === undefined || value === '') continue;
    const node = stripPort(value);
    if (node !== '') return node;
  }
  return null;
}

function stripPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1] ?? '';
  const colons = value.split(':').length - 1;
  // Exactly one colon followed by digits is host:port; more colons is a bare IPv6 address.
  return colons === 1 ? value.replace(/:\d+$/, '') : value;
}

/** Converts one wire alert into an `Alert`. */
export function normalizeAlert(a: PayloadAlert, reading: AlertReading): Alert {
  const alertname = a.labels.alertname ?? '';
  return {
    status: a.status,
    labels: a.labels,
    annotations: a.annotations ?? {},
    startsAt: timeOrNull(a.startsAt),
    endsAt: timeOrNull(a.endsAt),
    generatorURL: a.generatorURL ?? '',
    node: nodeFromLabels(a.labels, reading.nodeLabels),
    wantsEviction: a.labels.headroom_action === 'evict' || reading.evictAlertnames.has(alertname),
  };
}
