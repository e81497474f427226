import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepMerge, resolveConfig, resolveWithOverride, withSecretsFromEnv } from '../../../src/config/load.ts';

const TOKEN = 'a-token-of-at-least-16-chars';

describe('secrets from the environment', () => {
  const table: Array<{ description: string; raw: Record<string, unknown>; env: Record<string, string | undefined>; expected: Record<string, unknown> }> = [
    { description: 'no secrets: the raw config unchanged', raw: { mode: 'enforce' }, env: {}, expected: { mode: 'enforce' } },
    { description: 'HEADROOM_AUTH_TOKEN fills server.auth_token', raw: {}, env: { HEADROOM_AUTH_TOKEN: TOKEN }, expected: { server: { auth_token: TOKEN } } },
    {
      description: 'HEADROOM_AUTH_TOKEN wins over the file',
      raw: { server: { port: 9000, auth_token: 'from-the-file-0123456' } },
      env: { HEADROOM_AUTH_TOKEN: TOKEN },
      expected: { server: { port: 9000, auth_token: TOKEN } },
    },
    { description: 'an empty channel variable is ignored', raw: {}, env: { HEADROOM_SLACK_URL: '' }, expected: {} },
    { description: 'an empty HEADROOM_AUTH_TOKEN is kept, so start-up refuses it', raw: {}, env: { HEADROOM_AUTH_TOKEN: '' }, expected: { server: { auth_token: '' } } },
    {
      description: 'HEADROOM_SLACK_URL enables slack',
      raw: {},
      env: { HEADROOM_SLACK_URL: 'https://hooks.slack.com/services/T/B/x' },
      expected: { notifications: { slack: { url: 'https://hooks.slack.com/services/T/B/x' } } },
    },
    { description: 'a channel secret alone does not enable its channel', raw: {}, env: { HEADROOM_DINGTALK_SECRET: 'SEC123' }, expected: {} },
    {
      description: 'a channel secret fills a channel the file enables',
      raw: { notifications: { dingtalk: { url: 'https://oapi.dingtalk.com/robot/send?access_token=x' } } },
      env: { HEADROOM_DINGTALK_SECRET: 'SEC123' },
      expected: { notifications: { dingtalk: { url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'SEC123' } } },
    },
    {
      description: 'a channel secret fills a channel whose URL comes from the environment too',
      raw: {},
      env: { HEADROOM_FEISHU_URL: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', HEADROOM_FEISHU_SECRET: 's' },
      expected: { notifications: { feishu: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', secret: 's' } } },
    },
    {
      description: 'the webhook bearer token alone does not enable the webhook channel',
      raw: {},
      env: { HEADROOM_WEBHOOK_BEARER_TOKEN: 'tok' },
      expected: {},
    },
    {
      description: 'the webhook bearer token fills an enabled webhook channel',
      raw: { notifications: { webhook: { url: 'https://hooks.example/headroom' } } },
      env: { HEADROOM_WEBHOOK_BEARER_TOKEN: 'tok' },
      expected: { notifications: { webhook: { url: 'https://hooks.example/headroom', bearer_token: 'tok' } } },
    },
    { description: 'unrelated variables are ignored', raw: {}, env: { HOME: '/root', HEADROOM_PORT: '1' }, expected: {} },
  ];
  for (const row of table) {
    it(row.description, () => {
      assert.deepEqual(withSecretsFromEnv(row.raw, row.env), row.expected);
    });
  }

  it('refuses to start with an empty HEADROOM_AUTH_TOKEN instead of serving without auth', () => {
    const result = resolveConfig(withSecretsFromEnv({}, { HEADROOM_AUTH_TOKEN: '' }));
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.problems.some((p) => p.key === 'server.auth_token'));
  });

  it('does not modify the raw object it is given', () => {
    const raw = { server: { port: 1 } };
    withSecretsFromEnv(raw, { HEADROOM_AUTH_TOKEN: TOKEN });
    assert.deepEqual(raw, { server: { port: 1 } });
  });

  it('resolves: slack enabled from the environment alone, with its defaults', () => {
    const result = resolveConfig(withSecretsFromEnv({}, { HEADROOM_SLACK_URL: 'https://hooks.slack.com/x', HEADROOM_AUTH_TOKEN: TOKEN }));
    assert.ok(result.ok);
    assert.equal(result.config.notifications.slack?.url, 'https://hooks.slack.com/x');
    assert.equal(result.config.notifications.slack?.min_priority, 'warning');
    assert.equal(result.config.notifications.dingtalk, undefined);
    assert.equal(result.config.server.auth_token, TOKEN);
  });

  it('replaces a section that is not an object instead of crashing', () => {
    assert.deepEqual(withSecretsFromEnv({ server: 'oops' }, { HEADROOM_AUTH_TOKEN: TOKEN }), { server: { auth_token: TOKEN } });
  });
});

describe('resolveWithOverride: deep merge of a per-call override', () => {
  const table: Array<{ description: string; raw: Record<string, unknown>; override: Record<string, unknown>; expected: Record<string, unknown> }> = [
    { description: 'an empty override keeps the raw config', raw: { mode: 'enforce' }, override: {}, expected: { mode: 'enforce' } },
    {
      description: 'nested keys merge, siblings stay',
      raw: { thresholds: { memory_alert: 85, target_memory_usage: 75 } },
      override: { thresholds: { target_memory_usage: 70 } },
      expected: { thresholds: { memory_alert: 85, target_memory_usage: 70 } },
    },
    {
      description: 'arrays are replaced, not concatenated',
      raw: { protection: { namespaces: ['a', 'b'] } },
      override: { protection: { namespaces: ['c'] } },
      expected: { protection: { namespaces: ['c'] } },
    },
    { description: 'a scalar replaces an object', raw: { server: { port: 1 } }, override: { server: 5 }, expected: { server: 5 } },
    { description: 'an object replaces a scalar', raw: { server: 5 }, override: { server: { port: 1 } }, expected: { server: { port: 1 } } },
    {
      description: '__proto__, constructor and prototype keys are ignored',
      raw: { mode: 'dry-run' },
      override: JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "prototype": 1, "dedup": {"__proto__": {"polluted": 1}}}') as Record<string, unknown>,
      expected: { mode: 'dry-run', dedup: {} },
    },
  ];
  for (const row of table) {
    it(row.description, () => {
      assert.deepEqual(deepMerge(row.raw, row.override), row.expected);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  it('resolves the merged config: the override wins, the base keeps the rest', () => {
    const result = resolveWithOverride({ thresholds: { preset: 'large' }, protection: { namespaces: ['payments'] } }, { thresholds: { target_memory_usage: 70 }, protection: { namespaces: ['batch'] } });
    assert.ok(result.ok);
    assert.equal(result.config.thresholds.memory_eviction, 95);
    assert.equal(result.config.thresholds.target_memory_usage, 70);
    assert.ok(result.config.protection.namespaces.includes('batch'));
    assert.ok(!result.config.protection.namespaces.includes('payments'));
    assert.ok(result.config.protection.namespaces.includes('kube-system'));
  });

  it('reports an override that breaks the config like a file would', () => {
    const result = resolveWithOverride({}, { thresholds: { target_memory_usage: 99 } });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => p.key),
      ['thresholds.target_memory_usage'],
    );
  });

  it('does not modify the base or the override', () => {
    const base = { protection: { namespaces: ['a'] }, dedup: { silence_period: 10 } };
    const override = { protection: { namespaces: ['b'] }, eviction: { alertnames: ['X'] } };
    const result = resolveWithOverride(base, override);
    assert.ok(result.ok);
    result.config.protection.namespaces.push('mutated');
    result.config.eviction.alertnames.push('mutated');
    assert.deepEqual(base, { protection: { namespaces: ['a'] }, dedup: { silence_period: 10 } });
    assert.deepEqual(override, { protection: { namespaces: ['b'] }, eviction: { alertnames: ['X'] } });
  });

  it('ignores a __proto__ override through the whole resolution and pollutes nothing', () => {
    const override = JSON.parse('{"__proto__": {"mode": "enforce", "polluted": true}}') as Record<string, unknown>;
    const result = resolveWithOverride({}, override);
    assert.ok(result.ok);
    assert.equal(result.config.mode, 'dry-run');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
