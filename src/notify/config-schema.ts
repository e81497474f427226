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
  secret: z.string().min(1).max(4096).optional(),
  min_priority: priority.default('warning'),
  /** Who to mention on escalated messages: user ids, or `all`. */
  mention: z.array(z.string().min(1).max(256)).max(100).default([]),
  /** Seconds to wait for the channel to answer one request. */
  timeout: z.number().min(0.1).max(120).default(10),
};

const channel = z.strictObject(channelBase);

/** Every supported channel; each is optional. */
export const notificationsSchema = z.strictObject({
  dingtalk: channel.optional(),
  slack: channel.optional(),
  wecom: channel.optional(),
  feishu: channel.optional(),
  teams: channel.optional(),
  webhook: z.strictObject({ ...channelBase, bearer_token: z.string().min(1).max(4096).optional() }).optional(),
});

/** Names of the channels, as config keys. */
export type ChannelName = keyof z.infer<typeof notificationsSchema>;
