/**
 * Prometheus duration text (the subset the config accepts: one number and one unit) to seconds, so
 * the renderer can pass a horizon to `predict_linear` and size the trend's sample guard.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds in a duration like `15s`, `10m`, `1h` or `500ms`; throws on anything else. */
export function durationSeconds(text: string): number {
  const match = /^([0-9]+)(ms|s|m|h)$/.exec(text);
  const unit = match?.[2];
  const factor = unit === undefined ? undefined : UNIT_SECONDS[unit];
  if (match === null || factor === undefined) {
    throw new Error(`not a Prometheus duration like 30s, 5m or 1h: ${JSON.stringify(text)}`);
  }
  return Number(match[1]) * factor;
}
