/**
 * Kubernetes Events for what headroom did (`HeadroomEviction`) and chose not to do
 * (`HeadroomSkipped`), on the pod acted on or on the node when nothing could be done, so
 * `kubectl describe` tells the story without headroom's logs. Recording is best effort: a failed
 * Event is logged and never blocks or undoes an eviction.
 */
import type { Logger } from 'pino';
import type { EventSpec, KubeApi } from '../kube/types.ts';
import type { PodOutcome } from './outcome.ts';

/** Records Events; never throws. */
export type EventWriter = { record(event: EventSpec): Promise<void> };

/** An EventWriter over the API that logs (warn) the Events it could not write. */
export function eventWriter(api: Pick<KubeApi, 'createEvent'>, logger: Logger, signal?: AbortSignal): EventWriter {
  return {
    async record(event) {
      const r = await api.createEvent(event, signal);
      if (!r.ok) logger.warn({ event: 'event-not-recorded', reason: event.reason, involved: event.involved, err: r.failure.message }, `could not record Event ${event.reason} on ${event.involved.kind} ${event.involved.name}`);
    },
  };
}

/** The Event on a pod an eviction request was made for. */
export function podEvent(pod: { namespace: string; name: string }, out: PodOutcome, message: string): EventSpec {
  const ok = out.result === 'evicted';
  return {
    involved: { kind: 'Pod', namespace: pod.namespace, name: pod.name },
    reason: ok ? 'HeadroomEviction' : 'HeadroomSkipped',
    type: ok && !out.dryRun ? 'Warning' : 'Normal',
    message,
    action: ok ? (out.dryRun ? 'DryRunEvict' : 'Evict') : 'Skip',
  };
}

/** The Event on a node when headroom decided not to (or could not) evict anything there. */
export function nodeSkippedEvent(node: string, message: string, warning: boolean): EventSpec {
  return { involved: { kind: 'Node', name: node }, reason: 'HeadroomSkipped', type: warning ? 'Warning' : 'Normal', message, action: 'Skip' };
}
