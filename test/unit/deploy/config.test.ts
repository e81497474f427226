/**
 * The config shipped in deploy/ (kustomize turns deploy/headroom.yaml into the ConfigMap
 * headroom-config): it must load exactly as `headroom serve --config` loads it, keep the safe
 * defaults the install instructions promise, and agree with the shipped PrometheusRule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../../src/config/file.ts';
import { renderRules } from '../../../src/rules/render.ts';

const configPath = fileURLToPath(new URL('../../../deploy/headroom.yaml', import.meta.url));
const prometheusRule = readFileSync(new URL('../../../deploy/prometheusrule.yaml', import.meta.url), 'utf8');

async function load(env: Record<string, string> = {}) {
  const loaded = await loadConfigFile(configPath, env);
  assert.ok(loaded.ok, `deploy/headroom.yaml does not load: ${JSON.stringify(loaded.ok ? null : loaded.problems)}`);
  return loaded.config;
}

describe('deploy/headroom.yaml', () => {
  it('loads with the real loader and starts in dry-run mode', async () => {
    const config = await load();
    assert.equal(config.mode, 'dry-run');
  });

  it('points at kube-prometheus and protects headroom\'s own namespace', async () => {
    const config = await load();
    assert.equal(config.prometheus.url, 'http://prometheus-k8s.monitoring.svc:9090');
    assert.ok(config.protection.namespaces.includes('headroom'));
  });

  it('holds no secret: the webhook token comes only from HEADROOM_AUTH_TOKEN', async () => {
    assert.equal((await load()).server.auth_token, undefined);
    const token = 'a-token-of-at-least-16-chars';
    assert.equal((await load({ HEADROOM_AUTH_TOKEN: token })).server.auth_token, token);
  });

  it('renders exactly the shipped PrometheusRule, so the alerts and the service agree on thresholds', async () => {
    assert.equal(renderRules(await load(), 'prometheusrule'), prometheusRule);
  });
});
