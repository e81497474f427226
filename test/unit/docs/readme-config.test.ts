import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { configSchema } from '../../../src/config/schema.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('<!-- config-table -->'), readme.indexOf('<!-- /config-table -->'));

/** Dotted keys of every leaf of the schema, unwrapping defaults and optionals. */
function leafKeys(schema: z.ZodType, prefix: string): string[] {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> } } })._zod.def;
  if (['default', 'prefault', 'optional'].includes(def.type) && def.innerType) return leafKeys(def.innerType, prefix);
  if (def.type === 'object' && def.shape) return Object.entries(def.shape).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

/** A key is documented when the table names it, or a `{a,b}` group or `section.*` row covers it. */
function documented(key: string): boolean {
  if (table.includes(`\`${key}\``)) return true;
  const parts = key.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const head = parts.slice(0, i).join('.');
    if (table.includes(`\`${head}.*\``) || table.includes(`\`${head}.<channel>\``)) return true;
    if (new RegExp(`\`${head.replace(/\./g, '\\.')}\\.\\{[^}]*\\b${parts[i]}\\b[^}]*\\}\``).test(table)) return true;
  }
  return false;
}

describe('README configuration table', () => {
  it('documents every key of the config schema', () => {
    const missing = leafKeys(configSchema, '').filter((k) => !documented(k));
    assert.deepEqual(missing, [], `undocumented config keys: ${missing.join(', ')}`);
  });
});
