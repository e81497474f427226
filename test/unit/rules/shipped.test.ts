import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderRules } from '../../../src/rules/render.ts';
import { SHIPPED_RULE_FILES, defaultRuleConfig } from '../../../src/rules/shipped.ts';

const root = new URL('../../../', import.meta.url);

describe('shipped rule files', () => {
  for (const { path, format } of SHIPPED_RULE_FILES) {
    it(`${path} is renderRules(defaults, '${format}')`, () => {
      const shipped = readFileSync(new URL(path, root), 'utf8');
      const rendered = renderRules(defaultRuleConfig(), format);
      assert.ok(shipped === rendered, `${path} differs from the renderer's output: run \`npm run rules:render\` and commit the result`);
    });
  }
});
