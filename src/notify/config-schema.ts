/**
 * Config of the notification channels (S6.2), one optional block per channel under
 * `notifications`. A channel is enabled by giving it a `url`; secrets may instead come from the
 * environment (see `config/load.ts`), so files in ConfigMaps never hold them.
 */
import { z } from 'zod';
import { PRIORITIES } from '../core/priority.ts';

const priority = z.enum(PRIORITIES);

/** Fields every channel shares. */
export const channelBase = {
  url: z.url({ protocol: /^https?$/ }).max(4096),
  /** Signing secret (DingTalk, Feishu/Lark, generic webhook HMAC); unused by the others. */
  secret: z.string().min(1).max(4096).optional(),
  min_priority: priority.default('warning'),
  /** Who to mention on escalated messages: user ids, or `all`. */
  mention: z.array(z.string().min(1).max(256)).max(100).default([]),
  /** Messages at or above this priority carry the mentions (escalation raises priority, S1.5). */
  mention_min_priority: priority.default('critical'),
  /** Seconds to wait for the channel to answer one request. */
  timeout: z.number().min(0.1).max(120).default(10),
  /** Messages waiting for this channel; when full the oldest is dropped (and counted). */
  queue_size: z.number().int().min(1).max(10_000).default(100),
  /** Further attempts after a retryable failure (5xx, 429, network error, vendor rate limit). */
  max_retries: z.number().int().min(0).max(20).default(5),
};

const channel = z.strictObject(channelBase);

/** The shared shape of one channel's config, as every channel definition receives it. */
export type ChannelConfig = z.infer<typeof channel>;

const dingtalk = z.strictObject({
  ...channelBase,
  /** Phone numbers to mention (`atMobiles`); `mention` holds DingTalk user ids or `all`. */
  mention_mobiles: z.array(z.string().regex(/^\+?[0-9][0-9-]{4,19}$/, 'expected a phone number')).max(100).default([]),
});

const feishu = z.strictObject({
  ...channelBase,
  /** `card` (interactive card, the default) or `text`. */
  format: z.enum(['card', 'text']).default('card'),
});

const webhook = z.strictObject({
  ...channelBase,
  /** Sent as `Authorization: Bearer <token>`. */
  bearer_token: z.string().min(1).max(4096).optional(),
});

/** Every supported channel; each is optional. */
export const notificationsSchema = z.strictObject({
  dingtalk: dingtalk.optional(),
  slack: channel.optional(),
  wecom: channel.optional(),
  feishu: feishu.optional(),
  teams: channel.optional(),
  webhook: webhook.optional(),
});

/** The parsed `notifications` block. */
export type NotificationsConfig = z.infer<typeof notificationsSchema>;

/** Names of the channels, as config keys. */
export type ChannelName = keyof NotificationsConfig;

/** DingTalk's block, with its extra keys. */
export type DingtalkConfig = z.infer<typeof dingtalk>;
/** Feishu/Lark's block, with its extra keys. */
export type FeishuConfig = z.infer<typeof feishu>;
/** The generic webhook's block, with its extra keys. */
export type WebhookConfig = z.infer<typeof webhook>;
