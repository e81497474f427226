/**
 * The notifier as the service uses it: created from the config, fed every alert delivery that
 * dedup lets through, and flushed at shutdown after the evaluations that may still report.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/load.ts';
import type { AlertDelivery } from '../core/alert.ts';
import type { Metrics } from '../http/metrics.ts';
import { createNotifier, type Notifier } from '../notify/dispatcher.ts';
import { alertEvent, type NotifyEvent } from '../notify/events.ts';

/** The pieces `buildApp` and the evaluators take. */
export type ServiceNotifier = {
  notify: (event: NotifyEvent) => void;
  onDelivery: (delivery: AlertDelivery) => void;
  afterDrain: () => Promise<void>;
  channels: readonly string[];
};

/** Creates the notifier for `notifications` (an empty block means no channel: nothing is sent). */
export function serviceNotifier(notifications: Config['notifications'], shutdownSeconds: number, metrics: Metrics, logger: Logger, now: () => Date = () => new Date()): ServiceNotifier {
  const notifier: Notifier = createNotifier({ config: notifications, metrics, logger });
  return {
    notify: (event) => notifier.notify(event),
    onDelivery: (delivery) => {
      const event = alertEvent(delivery, now().toISOString());
      if (event) notifier.notify(event);
    },
    afterDrain: () => notifier.close(shutdownSeconds * 1000),
    channels: notifier.channels,
  };
}
