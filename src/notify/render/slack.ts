/**
 * Slack incoming webhook: `text` (the notification fallback) plus Block Kit blocks. About one
 * message a second per webhook. Block limits are held by construction: at most 50 blocks, 10
 * fields of 2,000 characters, sections of 3,000. Slack signals errors by HTTP status alone.
 */
import type { ChannelDefinition } from '../channel.ts';
import type { ChannelConfig } from '../config-schema.ts';
import { bytes, clip, fit, omittedNote } from './fit.ts';
import { mentionsFor } from './mention.ts';
import { describe, type Message } from './model.ts';

const MAX_BYTES = 40_000;
const SECTION_CHARS = 3000;

type Block = Record<string, unknown>;

/** Escapes the three characters Slack's mrkdwn reserves. */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The Slack channel. */
export const slack: ChannelDefinition = {
  name: 'slack',
  create(config: ChannelConfig) {
    return {
      name: 'slack',
      limits: { perSecond: 1, maxBytes: MAX_BYTES },
      render(event) {
        const who = mentionsFor(event, config);
        const mentions = [...(who.all ? ['<!channel>'] : []), ...who.users.map((u) => `<@${u}>`)].join(' ');
        const build = (m: Message): string => JSON.stringify(body(m, mentions));
        const fits = (b: string): boolean => bytes(b) <= MAX_BYTES && (JSON.parse(b) as { blocks: unknown[] }).blocks.length <= 50;
        return { url: config.url, headers: { 'content-type': 'application/json; charset=utf-8' }, body: fit(describe(event), build, fits) };
      },
    };
  },
};

function body(m: Message, mentions: string): { text: string; blocks: Block[] } {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip(m.title, 150), emoji: true } }];
  if (mentions !== '') blocks.push(section(mentions));
  if (m.facts.length > 0) {
    blocks.push({ type: 'section', fields: m.facts.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${k}*\n${slackEscape(v)}`, 2000) })) });
  }
  if (m.text !== '') blocks.push(section(clip(slackEscape(m.text), SECTION_CHARS)));
  if (m.items.length > 0 || m.omitted > 0) blocks.push(...itemSections(m));
  if (m.omitted > 0) blocks.push(context(omittedNote(m)));
  blocks.push(context(slackEscape(m.footer)));
  const text = slackEscape(m.title) + (mentions !== '' ? ` ${mentions}` : '');
  return { text, blocks };
}

function itemSections(m: Message): Block[] {
  const out: Block[] = [];
  let chunk = `*${m.itemsLabel}*`;
  for (const item of m.items) {
    const line = `\n• ${clip(slackEscape(item), 500)}`;
    if (chunk.length + line.length > SECTION_CHARS) {
      out.push(section(chunk));
      chunk = line.slice(1);
    } else {
      chunk += line;
    }
  }
  out.push(section(chunk));
  return out;
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 2000) }] };
}
