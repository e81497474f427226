import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfigFile } from '../../../src/config/file.ts';

describe('loadConfigFile', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, text: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('uses the built-in defaults with neither --config nor HEADROOM_CONFIG', async () => {
    const result = await loadConfigFile(undefined, {});
    assert.ok(result.ok);
    assert.equal(result.source, '(built-in defaults)');
    assert.equal(result.config.server.port, 8080);
  });

  it('treats an empty HEADROOM_CONFIG as unset', async () => {
    const result = await loadConfigFile(undefined, { HEADROOM_CONFIG: '' });
    assert.ok(result.ok);
    assert.equal(result.source, '(built-in defaults)');
  });

  it('reads the --config file', async () => {
    const path = await file('serve.yaml', 'mode: enforce\nserver:\n  port: 9100\n');
    const result = await loadConfigFile(path, {});
    assert.ok(result.ok);
    assert.equal(result.source, path);
    assert.equal(result.config.mode, 'enforce');
    assert.equal(result.config.server.port, 9100);
  });

  it('reads HEADROOM_CONFIG when --config is absent', async () => {
    const path = await file('env.yaml', 'dedup:\n  silence_period: 42\n');
    const result = await loadConfigFile(undefined, { HEADROOM_CONFIG: path });
    assert.ok(result.ok);
    assert.equal(result.config.dedup.silence_period, 42);
  });

  it('prefers --config over HEADROOM_CONFIG', async () => {
    const flag = await file('flag.yaml', 'server:\n  port: 1111\n');
    const env = await file('from-env.yaml', 'server:\n  port: 2222\n');
    const result = await loadConfigFile(flag, { HEADROOM_CONFIG: env });
    assert.ok(result.ok);
    assert.equal(result.config.server.port, 1111);
  });

  it('adds secrets from the environment on top of the file', async () => {
    const path = await file('secrets.yaml', 'notifications:\n  dingtalk:\n    url: https://oapi.dingtalk.com/robot/send?access_token=x\n');
    const result = await loadConfigFile(path, { HEADROOM_AUTH_TOKEN: 'sixteen-chars-token', HEADROOM_DINGTALK_SECRET: 'SEC', HEADROOM_WECOM_SECRET: 'unused' });
    assert.ok(result.ok);
    assert.equal(result.config.server.auth_token, 'sixteen-chars-token');
    assert.equal(result.config.notifications.dingtalk?.secret, 'SEC');
    assert.equal(result.config.notifications.wecom, undefined);
  });

  const failures: Array<{ description: string; make: () => Promise<string>; value: RegExp; allowed: RegExp }> = [
    { description: 'a missing file', make: async () => join(dir, 'nope.yaml'), value: /\(file\)/, allowed: /readable file: ENOENT/ },
    { description: 'a directory', make: async () => dir, value: /\(file\)/, allowed: /readable file: EISDIR/ },
    { description: 'an oversized file', make: () => file('big.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\n`), value: /^\d+ bytes$/, allowed: /at most 1048576 bytes/ },
    { description: 'an endless device', make: async () => '/dev/zero', value: /more than 1048576 bytes/, allowed: /at most 1048576 bytes/ },
    { description: 'malformed YAML', make: () => file('bad.yaml', 'server: {port: 1\n'), value: /\(file\)/, allowed: /valid YAML/ },
    { description: 'a YAML list', make: () => file('list.yaml', '- a\n- b\n'), value: /\["a","b"\]/, allowed: /mapping/ },
    { description: 'a duplicate key', make: () => file('dup.yaml', 'mode: enforce\nmode: dry-run\n'), value: /\(file\)/, allowed: /unique/i },
  ];
  for (const row of failures) {
    it(`reports ${row.description} as one problem naming the file`, async () => {
      const path = await row.make();
      const result = await loadConfigFile(path, {});
      assert.ok(!result.ok);
      assert.equal(result.source, path);
      assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
      assert.equal(result.problems[0]?.key, path);
      assert.match(result.problems[0]?.value ?? '', row.value);
      assert.match(result.problems[0]?.allowed ?? '', row.allowed);
    });
  }

  it('lists every schema problem of a file', async () => {
    const path = await file('many.yaml', 'mode: yolo\nserver:\n  port: -1\n  prot: 1\nthresholds:\n  memory_alert: 99\n');
    const result = await loadConfigFile(path, {});
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => p.key).sort(), ['mode', 'server.port', 'server.prot', 'thresholds.memory_alert']);
  });

  it('accepts a file just under the size limit', async () => {
    const path = await file('padded.yaml', `mode: enforce\n# ${'x'.repeat(1024 * 1024 - 100)}\n`);
    const result = await loadConfigFile(path, {});
    assert.ok(result.ok, JSON.stringify(result.ok ? null : result.problems));
  });
});
