/**
 * The built-in channels by config key. A new channel is one file under `render/` exporting a
 * `ChannelDefinition`, its block in `config-schema.ts`, and one line here.
 */
import type { ChannelRegistry } from './channel.ts';
import { dingtalk } from './render/dingtalk.ts';
import { feishu } from './render/feishu.ts';
import { slack } from './render/slack.ts';
import { teams } from './render/teams.ts';
import { webhook } from './render/webhook.ts';
import { wecom } from './render/wecom.ts';

/** Every channel headroom ships, keyed as under `notifications` in the config. */
export const BUILTIN_CHANNELS: ChannelRegistry = { dingtalk, slack, wecom, feishu, teams, webhook };
