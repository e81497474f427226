import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { durationSeconds } from '../../../src/rules/duration.ts';
import { ALERT_NAMES } from '../../../src/rules/group.ts';
import { configOf } from './helpers.ts';

type Route = {
  receiver: string;
  matchers: string[];
  group_by: string[];
  group_wait: string;
  group_interval: string;
  repeat_interval: string;
  continue?: boolean;
};
type WebhookConfig = {
  url: string;
  send_resolved?: boolean;
  max_alerts?: number;
  http_config?: { authorization?: { type?: string; credentials_file?: string; credentials?: string } };
};
type Fragment = { routes: Route[]; receivers: Array<{ name: string; webhook_configs: WebhookConfig[] }> };

const fragment = parse(readFileSync(new URL('../../../deploy/alertmanager/headroom-route.yaml', import.meta.url), 'utf8')) as Fragment;

describe('Alertmanager route example', () => {
  const route = fragment.routes[0];
  const webhook = fragment.receivers.find((r) => r.name === 'headroom')?.webhook_configs[0];

  it('routes exactly the three headroom alerts, one group per alert and node', () => {
    assert.ok(route);
    assert.equal(route.receiver, 'headroom');
    assert.deepEqual(route.group_by, ['alertname', 'node']);
    const matcher = /^alertname=~"(.*)"$/.exec(route.matchers[0] ?? '');
    assert.ok(matcher?.[1], 'expected one alertname=~"..." matcher');
    assert.deepEqual(matcher[1].split('|').sort(), [...ALERT_NAMES].sort());
    assert.equal(route.continue, true);
  });

  it('waits only a few seconds before the first notification', () => {
    assert.ok(route);
    assert.ok(durationSeconds(route.group_wait) <= 10, `group_wait ${route.group_wait}`);
  });

  it('re-sends a still-firing alert after, and soon after, the default cooldown', () => {
    assert.ok(route);
    const cooldown = configOf({}).eviction.cooldown_period;
    const interval = durationSeconds(route.group_interval);
    const repeat = durationSeconds(route.repeat_interval);
    // Alertmanager re-sends on the first group_interval tick at which more than repeat_interval
    // has passed since the last notification was logged (a moment after its own tick).
    const resentAfter = (Math.floor(repeat / interval) + 1) * interval;
    assert.ok(resentAfter > cooldown, `re-sent after ${resentAfter}s, inside the ${cooldown}s cooldown`);
    assert.ok(resentAfter <= cooldown + 2 * interval, `re-sent after ${resentAfter}s, long after the ${cooldown}s cooldown`);
  });

  it('sends resolutions and a bearer token from a file, with no alert limit', () => {
    assert.ok(webhook);
    assert.match(webhook.url, /\/webhook$/);
    assert.equal(webhook.send_resolved, true);
    assert.equal(webhook.http_config?.authorization?.type, 'Bearer');
    assert.ok(webhook.http_config?.authorization?.credentials_file);
    assert.equal(webhook.http_config?.authorization?.credentials, undefined);
    assert.equal('max_alerts' in webhook, false);
  });
});
