/**
 * The markdown dialect DingTalk, WeCom and Feishu cards share (headings, bold, lists, quotes),
 * built from a {@link Message}. External text has `<` and `>` neutralised so it cannot forge
 * vendor tags; everything else is shown as given.
 */
import type { Message } from './model.ts';
import { neutraliseTags, omittedNote } from './fit.ts';

/** Options for the few places the dialects differ. */
export type MarkdownStyle = {
  /** Wraps the title line, e.g. `### ` or a WeCom `<font>` tag. */
  title: (title: string) => string;
  /** Appended after the footer: the vendor's mention syntax, already built. */
  mentionLine?: string;
  /** Whether to include the title at all (Feishu cards carry it in the header). */
  withTitle?: boolean;
};

/** Renders the message body as markdown. */
export function toMarkdown(m: Message, style: MarkdownStyle): string {
  const out: string[] = [];
  if (style.withTitle ?? true) out.push(style.title(neutraliseTags(m.title)), '');
  for (const [k, v] of m.facts) out.push(`- **${k}:** ${neutraliseTags(v)}`);
  if (m.text !== '') out.push('', neutraliseTags(m.text));
  if (m.items.length > 0 || m.omitted > 0) {
    out.push('', `**${m.itemsLabel}**`, '');
    for (const item of m.items) out.push(`- ${neutraliseTags(item)}`);
    if (m.omitted > 0) out.push('', `*${omittedNote(m)}*`);
  }
  out.push('', `> ${neutraliseTags(m.footer)}`);
  if (style.mentionLine !== undefined && style.mentionLine !== '') out.push('', style.mentionLine);
  return out.join('\n');
}
