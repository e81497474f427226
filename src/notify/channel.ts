/**
 * The one seam every notification channel implements. A channel is pure: it turns an event into
 * an HTTP request (or declines it) and judges a 2xx answer; the dispatcher owns queueing, rate
 * limits, timeouts and retries. Adding a channel is one file exporting a {@link ChannelDefinition}
 * plus its entry in `config-schema.ts` and in the registry.
 */
import type { ChannelConfig } from './config-schema.ts';
import type { NotifyEvent } from './events.ts';

/** One HTTP POST, fully rendered. `url` may carry a signature (DingTalk) and is a secret. */
export type OutgoingRequest = { url: string; headers: Readonly<Record<string, string>>; body: string };

/** What the vendor allows: the dispatcher holds the rates, the renderer keeps under `maxBytes`. */
export type ChannelLimits = { perSecond?: number; perMinute?: number; maxBytes: number };

/** Per-attempt facts a renderer may need: the clock (for signatures) and a stable delivery id. */
export type RenderContext = { now: number; deliveryId: string };

/** How a 2xx answer reads: some vendors answer 200 with an error code in the body. */
export type AnswerVerdict = { ok: true } | { ok: false; retry: boolean; reason: string };

/** A configured channel, ready to render. */
export type Channel = {
  name: string;
  limits: ChannelLimits;
  /** `null` when this channel has nothing to say about the event. */
  render(event: NotifyEvent, ctx: RenderContext): OutgoingRequest | null;
  /** Judges a 2xx answer's body; absent means every 2xx is success. */
  judge?(status: number, body: string): AnswerVerdict;
};

/** Builds a channel from its config block; registered under its config key. */
export type ChannelDefinition<C extends ChannelConfig = ChannelConfig> = {
  name: string;
  create(config: C): Channel;
};

/** Channel definitions by config key. */
export type ChannelRegistry = Readonly<Record<string, ChannelDefinition>>;

/**
 * Judges the `{errcode|code, errmsg|msg}` answers of DingTalk, WeCom and Feishu: zero is success,
 * codes in `retryable` are the vendor's rate-limit or busy codes, anything else is a failure. A
 * body that is not JSON counts as success, since the HTTP status already said 2xx.
 */
export function judgeErrcode(body: string, field: 'errcode' | 'code', retryable: ReadonlySet<number>): AnswerVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: true };
  }
  if (parsed === null || typeof parsed !== 'object') return { ok: true };
  const record = parsed as Record<string, unknown>;
  const code = record[field] ?? record.StatusCode;
  if (code === undefined || code === 0) return { ok: true };
  const message = record.errmsg ?? record.msg ?? record.StatusMessage;
  const shown = typeof code === 'number' || typeof code === 'string' ? String(code) : JSON.stringify(code);
  const reason = `${field} ${shown}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}`;
  return { ok: false, retry: typeof code === 'number' && retryable.has(code), reason };
}
