/**
 * Feishu/Lark custom bot: an interactive card (or plain text), the signed mode (`timestamp` in
 * seconds and `sign` in the body), `<at>` mentions when escalated. 100 messages a minute and 5 a
 * second per bot, request body under 20 KB. Feishu answers with `code`; 11232 (rate limited)
 * is worth retrying.
 */
import type { ChannelDefinition } from '../channel.ts';
import { judgeErrcode } from '../channel.ts';
import type { FeishuConfig } from '../config-schema.ts';
import type { NotifyEvent } from '../events.ts';
import { feishuSign } from '../sign.ts';
import { bytes, fit, neutraliseTags, omittedNote } from './fit.ts';
import { toMarkdown } from './markdown.ts';
import { mentionsFor } from './mention.ts';
import { describe, type Message, type Tone } from './model.ts';

const RETRYABLE = new Set([11232]);
const MAX_BYTES = 19_000;
const TEMPLATE: Record<Tone, string> = { bad: 'red', warn: 'orange', good: 'green', info: 'blue' };

/** The Feishu/Lark channel. */
export const feishu: ChannelDefinition<FeishuConfig> = {
  name: 'feishu',
  create(config) {
    return {
      name: 'feishu',
      limits: { perMinute: 100, perSecond: 5, maxBytes: MAX_BYTES },
      render(event, ctx) {
        const signature = signatureFields(config.secret, ctx.now);
        const content = config.format === 'text' ? textContent(event, config) : cardContent(event, config);
        const body = fit(describe(event), (m) => JSON.stringify({ ...signature, ...content(m) }), (b) => bytes(b) <= MAX_BYTES);
        return { url: config.url, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
      },
      judge: (_status, body) => judgeErrcode(body, 'code', RETRYABLE),
    };
  },
};

function signatureFields(secret: string | undefined, nowMs: number): Record<string, string> {
  if (secret === undefined) return {};
  const seconds = Math.floor(nowMs / 1000);
  return { timestamp: String(seconds), sign: feishuSign(secret, seconds) };
}

function cardContent(event: NotifyEvent, config: FeishuConfig): (m: Message) => Record<string, unknown> {
  const who = mentionsFor(event, config);
  const mentionLine = [...(who.all ? ['<at id=all></at>'] : []), ...who.users.map((u) => `<at id=${u}></at>`)].join(' ');
  return (m) => ({
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: m.title }, template: TEMPLATE[m.tone] },
      elements: [{ tag: 'div', text: { tag: 'lark_md', content: toMarkdown(m, { title: (t) => t, withTitle: false, mentionLine }) } }],
    },
  });
}

function textContent(event: NotifyEvent, config: FeishuConfig): (m: Message) => Record<string, unknown> {
  const who = mentionsFor(event, config);
  const mentions = [...(who.all ? ['<at user_id="all">all</at>'] : []), ...who.users.map((u) => `<at user_id="${u}"></at>`)].join(' ');
  return (m) => {
    const lines = [m.title, '', ...m.facts.map(([k, v]) => `${k}: ${v}`)];
    if (m.text !== '') lines.push('', m.text);
    if (m.items.length > 0 || m.omitted > 0) lines.push('', `${m.itemsLabel}:`, ...m.items.map((i) => `- ${i}`));
    if (m.omitted > 0) lines.push(omittedNote(m));
    lines.push('', m.footer);
    const text = neutraliseTags(lines.join('\n')) + (mentions !== '' ? `\n${mentions}` : '');
    return { msg_type: 'text', content: { text } };
  };
}
