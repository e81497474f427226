/**
 * The rule files shipped in the repository: each is `renderRules` of the default config in one
 * format. Shared by `scripts/render-rules.ts`, which writes them, and the test that checks them.
 */
import { resolveConfig, type Config } from '../config/load.ts';
import type { RuleFormat } from './render.ts';

/** Paths relative to the repository root, and the format each holds. */
export const SHIPPED_RULE_FILES: ReadonlyArray<{ path: string; format: RuleFormat }> = [
  { path: 'alert-rules/headroom.rules.yml', format: 'rules' },
  { path: 'deploy/prometheusrule.yaml', format: 'prometheusrule' },
];

/** The built-in default config, which the shipped files are rendered from. */
export function defaultRuleConfig(): Config {
  const result = resolveConfig({});
  if (!result.ok) throw new Error('the built-in default config does not resolve');
  return result.config;
}
