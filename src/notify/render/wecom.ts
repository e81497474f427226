/**
 * WeCom (企业微信) group robot: a markdown message whose content is at most 4,096 bytes, 20
 * messages a minute per robot. Mentions use WeCom's `<@userid>` syntax inside the markdown (the
 * markdown type has no "everyone"). WeCom answers HTTP 200 with `errcode`; 45009 (rate limit)
 * and -1 (busy) are worth retrying.
 */
import type { ChannelDefinition } from '../channel.ts';
import { judgeErrcode } from '../channel.ts';
import type { ChannelConfig } from '../config-schema.ts';
import { bytes, fit } from './fit.ts';
import { toMarkdown } from './markdown.ts';
import { mentionsFor } from './mention.ts';
import { describe, type Message, type Tone } from './model.ts';

const RETRYABLE = new Set([45009, -1]);
/** WeCom's limit on `markdown.content`, in UTF-8 bytes. */
export const WECOM_CONTENT_BYTES = 4096;
const FONT: Record<Tone, string> = { bad: 'warning', warn: 'warning', good: 'info', info: 'comment' };

/** The WeCom channel. */
export const wecom: ChannelDefinition = {
  name: 'wecom',
  create(config: ChannelConfig) {
    return {
      name: 'wecom',
      limits: { perMinute: 20, maxBytes: 3 * WECOM_CONTENT_BYTES },
      render(event) {
        const mentionLine = mentionsFor(event, config).users.map((u) => `<@${u}>`).join(' ');
        const build = (m: Message): { content: string; body: string } => {
          const content = toMarkdown(m, { title: (t) => `<font color="${FONT[m.tone]}">**${t}**</font>`, mentionLine });
          return { content, body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }) };
        };
        const { body } = fit(describe(event), build, (b) => bytes(b.content) <= WECOM_CONTENT_BYTES);
        return { url: config.url, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
      },
      judge: (_status, body) => judgeErrcode(body, 'errcode', RETRYABLE),
    };
  },
};
