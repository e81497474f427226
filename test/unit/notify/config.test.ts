/** The `notifications` config block: defaults, strictness, and the per-channel extras. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notificationsSchema } from '../../../src/notify/config-schema.ts';

describe('notifications config', () => {
  it('fills defaults for an enabled channel', () => {
    assert.deepEqual(notificationsSchema.parse({ slack: { url: 'https://hooks.slack.com/services/T/B/X' } }).slack, {
      url: 'https://hooks.slack.com/services/T/B/X',
      min_priority: 'warning',
      mention: [],
      mention_min_priority: 'critical',
      timeout: 10,
      queue_size: 100,
      max_retries: 5,
    });
  });

  it('rejects unknown keys and keys that belong to another channel', () => {
    const cases = [{ slakc: { url: 'https://x.example/' } }, { slack: { url: 'https://x.example/', bearer_token: 't' } }, { slack: { url: 'https://x.example/', format: 'text' } }];
    for (const c of cases) assert.equal(notificationsSchema.safeParse(c).success, false, JSON.stringify(c));
  });

  it('validates values', () => {
    const bad = [
      { slack: { url: 'ftp://x.example/' } },
      { slack: { url: 'https://x.example/', min_priority: 'urgent' } },
      { slack: { url: 'https://x.example/', queue_size: 0 } },
      { dingtalk: { url: 'https://x.example/', mention_mobiles: ['not-a-phone'] } },
      { feishu: { url: 'https://x.example/', format: 'post' } },
    ];
    for (const c of bad) assert.equal(notificationsSchema.safeParse(c).success, false, JSON.stringify(c));
  });

  it('accepts the per-channel extras', () => {
    const parsed = notificationsSchema.parse({
      dingtalk: { url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'SECx', mention: ['all'], mention_mobiles: ['+86-13800000000'] },
      feishu: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', format: 'text' },
      webhook: { url: 'https://hooks.example.com/headroom', bearer_token: 'b', secret: 's' },
    });
    assert.deepEqual(parsed.dingtalk?.mention_mobiles, ['+86-13800000000']);
    assert.equal(parsed.feishu?.format, 'text');
    assert.equal(parsed.webhook?.bearer_token, 'b');
  });
});
