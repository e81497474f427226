/**
 * The generic webhook: a documented, versioned JSON body (`version: "1"`) for people who build on
 * headroom. Optional `Authorization: Bearer`, and with a secret an HMAC-SHA256 signature
 * (`X-Headroom-Signature: sha256=<hex>` over `<X-Headroom-Timestamp>.<raw body>`). The schema is
 * described in the README (Notifications); fields are only ever added within a version.
 */
import type { ChannelDefinition } from '../channel.ts';
import type { WebhookConfig } from '../config-schema.ts';
import { alertKind, type NotifyEvent } from '../events.ts';
import { webhookSignature } from '../sign.ts';
import { bytes, clip } from './fit.ts';
import { describe, outcomeCounts } from './model.ts';

/** The body version; a breaking change would bump it. */
export const WEBHOOK_VERSION = '1';
const MAX_BYTES = 256 * 1024;

/** The generic webhook channel. */
export const webhook: ChannelDefinition<WebhookConfig> = {
  name: 'webhook',
  create(config) {
    return {
      name: 'webhook',
      limits: { perSecond: 10, maxBytes: MAX_BYTES },
      render(event, ctx) {
        const body = fitBody(event, ctx.deliveryId);
        const seconds = Math.floor(ctx.now / 1000);
        const headers: Record<string, string> = {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'headroom',
          'x-headroom-event': event.type,
          'x-headroom-delivery': ctx.deliveryId,
          'x-headroom-timestamp': String(seconds),
        };
        if (config.bearer_token !== undefined) headers.authorization = `Bearer ${config.bearer_token}`;
        if (config.secret !== undefined) headers['x-headroom-signature'] = `sha256=${webhookSignature(config.secret, seconds, body)}`;
        return { url: config.url, headers, body };
      },
    };
  },
};

/** Builds the body, leaving out list entries (counted in `omitted`) when it would exceed the limit. */
export function fitBody(event: NotifyEvent, deliveryId: string, maxBytes = MAX_BYTES): string {
  const full = JSON.stringify(webhookBody(event, deliveryId));
  if (bytes(full) <= maxBytes) return full;
  let lo = 0;
  let hi = listLength(event) - 1;
  let best = JSON.stringify(webhookBody(event, deliveryId, 0, 1000));
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const body = JSON.stringify(webhookBody(event, deliveryId, mid));
    if (bytes(body) <= maxBytes) {
      best = body;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

function listLength(event: NotifyEvent): number {
  if (event.type === 'eviction-executed') return event.outcomes.length;
  if (event.type === 'eviction-skipped' || event.type === 'nothing-evictable') return event.protected?.length ?? 0;
  return 0;
}

/** The version-1 body; `keep` limits list entries, `textMax` clips free text (last resort). */
export function webhookBody(event: NotifyEvent, deliveryId: string, keep = Infinity, textMax = Infinity): Record<string, unknown> {
  const head = { version: WEBHOOK_VERSION, id: deliveryId, event: event.type, priority: event.priority, node: event.node ?? null, cluster: event.cluster ?? null, at: event.at, title: describe(event).title };
  const text = (s: string): string => (textMax === Infinity ? s : clip(s, textMax));
  const omitted = Math.max(0, listLength(event) - keep);
  switch (event.type) {
    case 'alert': {
      const { alert, fingerprint, count } = event.delivery;
      const annotations = Object.fromEntries(Object.entries(alert.annotations).map(([k, v]) => [k, text(v)]));
      return { ...head, status: alertKind(event.delivery), alert: { name: alert.labels.alertname ?? null, fingerprint, count, labels: alert.labels, annotations, startsAt: alert.startsAt, endsAt: alert.endsAt, generatorURL: alert.generatorURL, wantsEviction: alert.wantsEviction }, omitted };
    }
    case 'eviction-executed':
      return { ...head, mode: event.mode, usage: event.usage ?? null, projectedUsage: event.projectedUsage ?? null, target: event.target ?? null, counts: outcomeCounts(event.outcomes), outcomes: event.outcomes.slice(0, keep).map((o) => ({ ...o, score: Math.round(o.score * 10) / 10, message: o.message === undefined ? undefined : text(o.message) })), omitted };
    case 'eviction-skipped':
      return { ...head, reason: text(event.reason), protectedCount: event.protected?.length ?? 0, protected: (event.protected ?? []).slice(0, keep), omitted };
    case 'nothing-evictable':
      return { ...head, protectedCount: event.protected.length, protected: event.protected.slice(0, keep), omitted };
    case 'dependency-failing':
      return { ...head, which: event.which, message: text(event.message), omitted };
  }
}
