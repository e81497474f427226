/**
 * DingTalk custom robot: a markdown message, `at` mentions when escalated, and the signed mode
 * (`&timestamp=<ms>&sign=<base64 HMAC>` on the URL). At most 20 messages a minute per robot; the
 * body stays under 20,000 bytes. DingTalk answers HTTP 200 with `errcode`; 130101 ("send too
 * fast") and -1 (busy) are worth retrying.
 */
import type { ChannelDefinition } from '../channel.ts';
import { judgeErrcode } from '../channel.ts';
import type { DingtalkConfig } from '../config-schema.ts';
import { dingtalkSign } from '../sign.ts';
import { bytes, fit } from './fit.ts';
import { toMarkdown } from './markdown.ts';
import { mentionsFor, shouldMention } from './mention.ts';
import { describe } from './model.ts';

const RETRYABLE = new Set([130101, -1]);
const MAX_BYTES = 19_000;

/** The DingTalk channel. */
export const dingtalk: ChannelDefinition<DingtalkConfig> = {
  name: 'dingtalk',
  create(config) {
    return {
      name: 'dingtalk',
      limits: { perMinute: 20, maxBytes: MAX_BYTES },
      render(event, ctx) {
        const who = mentionsFor(event, config);
        const mobiles = shouldMention(event, config) ? [...config.mention_mobiles] : [];
        const at = { atMobiles: mobiles, atUserIds: who.users, isAtAll: who.all };
        const mentionLine = [...mobiles, ...who.users].map((m) => `@${m}`).join(' ');
        const build = (m: ReturnType<typeof describe>): string =>
          JSON.stringify({ msgtype: 'markdown', markdown: { title: m.title, text: toMarkdown(m, { title: (t) => `### ${t}`, mentionLine }) }, at });
        const body = fit(describe(event), build, (b) => bytes(b) <= MAX_BYTES);
        return { url: signedUrl(config.url, config.secret, ctx.now), headers: { 'content-type': 'application/json; charset=utf-8' }, body };
      },
      judge: (_status, body) => judgeErrcode(body, 'errcode', RETRYABLE),
    };
  },
};

/** Adds DingTalk's `timestamp` and `sign` query parameters when a secret is configured. */
export function signedUrl(url: string, secret: string | undefined, nowMs: number): string {
  if (secret === undefined) return url;
  const u = new URL(url);
  u.searchParams.set('timestamp', String(nowMs));
  u.searchParams.set('sign', dingtalkSign(secret, nowMs));
  return u.toString();
}
