/**
 * Who a message mentions. Escalation (S1.5) raises an alert's priority; at or above the channel's
 * `mention_min_priority` the configured people are mentioned. Good news (a resolved alert) never
 * mentions anyone.
 */
import { atLeast } from '../../core/priority.ts';
import type { ChannelConfig } from '../config-schema.ts';
import type { NotifyEvent } from '../events.ts';

/** True when this event should mention people on this channel. */
export function shouldMention(event: NotifyEvent, config: Pick<ChannelConfig, 'mention_min_priority'>): boolean {
  if (event.type === 'alert' && event.delivery.alert.status === 'resolved') return false;
  return atLeast(event.priority, config.mention_min_priority);
}

/** The configured mentions split into "everyone" and named users, or none when not due. */
export function mentionsFor(event: NotifyEvent, config: Pick<ChannelConfig, 'mention' | 'mention_min_priority'>): { all: boolean; users: string[] } {
  if (!shouldMention(event, config)) return { all: false, users: [] };
  const all = config.mention.some((m) => m.toLowerCase() === 'all' || m === '@all');
  const users = config.mention.filter((m) => m.toLowerCase() !== 'all' && m !== '@all');
  return { all, users };
}
