/**
 * Keeping a message under a vendor's limit without ever cutting it mid-structure: the renderer
 * rebuilds the whole body from a smaller {@link Message} until it fits. First per-pod lines are
 * left out (the counts stay, and the message says how many were left out), then long free text
 * is clipped, then only the title and short facts remain.
 */
import type { Message } from './model.ts';

/** UTF-8 length, the unit vendors count in. */
export function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Shortens to at most `max` characters (code points, so no surrogate pair is split). */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Builds with the largest message that passes `fits`. `build` must render a complete body from
 * any message; the result of the smallest attempt is returned even if it still does not fit, so
 * the caller's final size guard decides.
 */
export function fit<T>(message: Message, build: (m: Message) => T, fits: (body: T) => boolean): T {
  const full = build(message);
  if (fits(full)) return full;
  const total = message.items.length;
  const withItems = (k: number): Message => ({ ...message, items: message.items.slice(0, k), omitted: message.omitted + total - k });
  let lo = 0;
  let hi = total - 1;
  let best: T | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const body = build(withItems(mid));
    if (fits(body)) {
      best = body;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (best !== null) return best;
  const clipped: Message = { ...withItems(0), text: clip(message.text, 500), facts: message.facts.map(([k, v]) => [k, clip(v, 200)] as const) };
  const second = build(clipped);
  if (fits(second)) return second;
  return build({ ...clipped, title: clip(message.title, 120), text: '', facts: clipped.facts.map(([k, v]) => [k, clip(v, 60)] as const) });
}

/** The sentence that says what was left out. */
export function omittedNote(m: Message): string {
  return `${m.omitted} more ${m.omitted === 1 ? 'line' : 'lines'} not listed (message size limit; the counts above are complete)`;
}

/**
 * Neutralises `<` and `>` in text that came from outside (alert annotations, pod names, API
 * messages), so it cannot forge vendor tags such as WeCom `<@userid>` or Feishu `<at id=all>`.
 */
export function neutraliseTags(text: string): string {
  return text.replaceAll('<', '‹').replaceAll('>', '›');
}
