/**
 * Notification priorities, lowest first. Escalation (S1.5) raises an alert one level each time it
 * repeats `dedup.escalate_after` times; channels only receive messages at or above their
 * `min_priority`.
 */
export const PRIORITIES = ['info', 'warning', 'critical', 'emergency'] as const;

/** One of {@link PRIORITIES}. */
export type Priority = (typeof PRIORITIES)[number];

/** Raises a priority by `levels`, saturating at `emergency`. */
export function raisePriority(p: Priority, levels: number): Priority {
  const i = Math.min(PRIORITIES.indexOf(p) + Math.max(0, levels), PRIORITIES.length - 1);
  return PRIORITIES[i] ?? 'emergency';
}

/** True when `p` is at least `min`. */
export function atLeast(p: Priority, min: Priority): boolean {
  return PRIORITIES.indexOf(p) >= PRIORITIES.indexOf(min);
}

/** Maps an alert's `severity` label to its starting priority; unknown severities are `info`. */
export function priorityFromSeverity(severity: string | undefined): Priority {
  switch (severity) {
    case 'critical':
      return 'critical';
    case 'emergency':
    case 'page':
      return 'emergency';
    case 'warning':
      return 'warning';
    default:
      return 'info';
  }
}
