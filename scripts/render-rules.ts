/**
 * Regenerates the shipped rule files from the default config: `npm run rules:render`.
 * `alert-rules/headroom.rules.yml` is `headroom rules`, `deploy/prometheusrule.yaml` is
 * `headroom rules --format prometheusrule`; a unit test fails when they drift.
 */
import { writeFileSync } from 'node:fs';
import { SHIPPED_RULE_FILES, defaultRuleConfig } from '../src/rules/shipped.ts';
import { renderRules } from '../src/rules/render.ts';

const root = new URL('../', import.meta.url);
const config = defaultRuleConfig();
for (const { path, format } of SHIPPED_RULE_FILES) {
  writeFileSync(new URL(path, root), renderRules(config, format));
  console.log(`wrote ${path}`);
}
