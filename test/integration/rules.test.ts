/**
 * The shipped rules and routing example against the real tools: `promtool` (Prometheus 2.42,
 * Debian's `prometheus` package) and `amtool` (Debian's `prometheus-alertmanager`). Each test
 * fails with the tool's own output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { resolveConfig } from '../../src/config/load.ts';
import { renderRules } from '../../src/rules/render.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'headroom-rules-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs a tool from the repository root; fails with its output unless it exits 0. */
function run(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    assert.fail(`${tool} is not installed: apt-get install -y prometheus prometheus-alertmanager`);
  }
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.status, 0, `${tool} ${args.join(' ')} exited ${String(result.status)}:\n${output}`);
  return output;
}

describe('alert rules with promtool', () => {
  it('promtool check rules --lint=all passes on alert-rules/headroom.rules.yml', () => {
    const output = run('promtool', ['check', 'rules', '--lint=all', 'alert-rules/headroom.rules.yml']);
    assert.match(output, /SUCCESS: 4 rules found/);
  });

  it('promtool test rules passes on test/rules/*.test.yml', () => {
    const files = readdirSync(join(root, 'test/rules'))
      .filter((f) => f.endsWith('.test.yml'))
      .sort()
      .map((f) => `test/rules/${f}`);
    assert.ok(files.length >= 4, `expected the promtool test files, found ${files.join(', ')}`);
    run('promtool', ['test', 'rules', ...files]);
  });

  it('rules rendered from a non-default config also pass promtool check rules', () => {
    const resolved = resolveConfig({
      thresholds: { preset: 'small', alert_floor: 60 },
      rules: { evaluation_interval: '30s', warning_for: '5m', trend: { window: '30m', min_rate: 0.2, horizon: '1h', evict: true } },
    });
    assert.ok(resolved.ok);
    const file = join(work, 'custom.rules.yml');
    writeFileSync(file, renderRules(resolved.config, 'rules'));
    run('promtool', ['check', 'rules', '--lint=all', file]);
  });
});

describe('Alertmanager route example with amtool', () => {
  it('amtool check-config passes on a complete alertmanager.yml built around it', () => {
    const fragment = parse(readFileSync(join(root, 'deploy/alertmanager/headroom-route.yaml'), 'utf8')) as Record<string, unknown[]>;
    const config = {
      route: { receiver: 'default', group_by: ['alertname'], routes: fragment.routes },
      receivers: [{ name: 'default' }, ...(fragment.receivers ?? [])],
      inhibit_rules: fragment.inhibit_rules,
    };
    const file = join(work, 'alertmanager.yml');
    writeFileSync(file, stringify(config));
    const output = run('amtool', ['check-config', file]);
    assert.match(output, /SUCCESS/);
  });
});
