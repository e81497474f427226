/**
 * Shared by the rule tests: resolve a config (failing the test when it does not) and read the
 * rendered rule group back as data.
 */
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { resolveConfig, type Config } from '../../../src/config/load.ts';
import type { AlertingRule, RuleGroup } from '../../../src/rules/group.ts';
import { renderRules } from '../../../src/rules/render.ts';

/** A resolved config from raw keys, asserting it is valid. */
export function configOf(raw: Record<string, unknown>): Config {
  const result = resolveConfig(raw);
  assert.ok(result.ok, `expected a valid config, got ${JSON.stringify(result.ok ? null : result.problems)}`);
  return result.config;
}

/** The groups of `renderRules(config, 'rules')`, parsed back from YAML. */
export function renderedGroups(config: Config): RuleGroup[] {
  const doc = parse(renderRules(config, 'rules')) as { groups: RuleGroup[] };
  return doc.groups;
}

/** One alerting rule of the rendered group, by name. */
export function renderedAlert(config: Config, name: string): AlertingRule {
  const rules = renderedGroups(config)[0]?.rules ?? [];
  const found = rules.find((r): r is AlertingRule => 'alert' in r && r.alert === name);
  assert.ok(found, `no alert ${name} in the rendered rules`);
  return found;
}
