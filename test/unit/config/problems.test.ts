import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProblems, parseConfigText, resolveConfig, type ConfigProblem } from '../../../src/config/load.ts';

function problemsOf(raw: Record<string, unknown>): ConfigProblem[] {
  const result = resolveConfig(raw);
  assert.ok(!result.ok, 'expected the config to be rejected');
  return result.problems;
}

function problemAt(problems: readonly ConfigProblem[], key: string): ConfigProblem {
  const found = problems.find((p) => p.key === key);
  assert.ok(found, `no problem for ${key} in ${JSON.stringify(problems)}`);
  return found;
}

describe('config problems: one per mistake, each with key, value and what is allowed', () => {
  const table: Array<{ description: string; raw: Record<string, unknown>; key: string; value: string; allowed: RegExp }> = [
    { description: 'unknown top-level key', raw: { servr: { port: 1 } }, key: 'servr', value: '{"port":1}', allowed: /no such key/ },
    { description: 'unknown nested key', raw: { server: { prot: 8080 } }, key: 'server.prot', value: '8080', allowed: /no such key/ },
    { description: 'unknown key two levels down', raw: { scoring: { weights: { cpu: 0.1 } } }, key: 'scoring.weights.cpu', value: '0.1', allowed: /no such key/ },
    { description: 'unknown key inside a channel', raw: { notifications: { slack: { url: 'https://hooks.slack.com/x', chanel: '#ops' } } }, key: 'notifications.slack.chanel', value: '(redacted)', allowed: /no such key/ },
    { description: 'unknown channel', raw: { notifications: { pager: { url: 'https://x.example' } } }, key: 'notifications.pager', value: '(redacted)', allowed: /no such key/ },
    { description: 'port as a string', raw: { server: { port: '8080' } }, key: 'server.port', value: '"8080"', allowed: /number/ },
    { description: 'port out of range', raw: { server: { port: 70000 } }, key: 'server.port', value: '70000', allowed: /65535/ },
    { description: 'port not an integer', raw: { server: { port: 80.5 } }, key: 'server.port', value: '80.5', allowed: /int/i },
    { description: 'mode not one of the two', raw: { mode: 'yolo' }, key: 'mode', value: '"yolo"', allowed: /dry-run.*enforce/ },
    { description: 'boolean given as a string', raw: { protection: { respect_pdb: 'yes' } }, key: 'protection.respect_pdb', value: '"yes"', allowed: /boolean/ },
    { description: 'list given as a string', raw: { eviction: { alertnames: 'NodeMemoryPressureCritical' } }, key: 'eviction.alertnames', value: '"NodeMemoryPressureCritical"', allowed: /array/ },
    { description: 'section given as a scalar', raw: { dedup: 5 }, key: 'dedup', value: '5', allowed: /object/ },
    { description: 'percentage above 100', raw: { thresholds: { memory_eviction: 101 } }, key: 'thresholds.memory_eviction', value: '101', allowed: /100/ },
    { description: 'percentage below 0', raw: { thresholds: { target_memory_usage: -5 } }, key: 'thresholds.target_memory_usage', value: '-5', allowed: /0/ },
    { description: 'target node usage above 100', raw: { eviction: { target_node_max_usage: 150 } }, key: 'eviction.target_node_max_usage', value: '150', allowed: /100/ },
    { description: 'weight above 1', raw: { scoring: { weights: { qos: 2 } } }, key: 'scoring.weights.qos', value: '2', allowed: /1/ },
    { description: 'negative silence period', raw: { dedup: { silence_period: -1 } }, key: 'dedup.silence_period', value: '-1', allowed: /0/ },
    { description: 'escalate_after zero', raw: { dedup: { escalate_after: 0 } }, key: 'dedup.escalate_after', value: '0', allowed: /1/ },
    { description: 'max_entries zero', raw: { dedup: { max_entries: 0 } }, key: 'dedup.max_entries', value: '0', allowed: /1/ },
    { description: 'body limit below 1 KiB', raw: { server: { body_limit: 10 } }, key: 'server.body_limit', value: '10', allowed: /1024/ },
    { description: 'prometheus url not http', raw: { prometheus: { url: 'ftp://prom' } }, key: 'prometheus.url', value: '"ftp://prom"', allowed: /URL/i },
    { description: 'channel url not a URL', raw: { notifications: { slack: { url: 'not a url' } } }, key: 'notifications.slack.url', value: '(redacted)', allowed: /URL/i },
    { description: 'channel without url', raw: { notifications: { slack: { min_priority: 'critical' } } }, key: 'notifications.slack.url', value: '(missing)', allowed: /string/i },
    { description: 'channel min_priority unknown', raw: { notifications: { slack: { url: 'https://hooks.slack.com/x', min_priority: 'urgent' } } }, key: 'notifications.slack.min_priority', value: '"urgent"', allowed: /info.*warning.*critical.*emergency/ },
    { description: 'node label that is not a label name', raw: { eviction: { node_labels: ['kubernetes.io/hostname'] } }, key: 'eviction.node_labels.0', value: '"kubernetes.io/hostname"', allowed: /.+/ },
    { description: 'empty node_labels list', raw: { eviction: { node_labels: [] } }, key: 'eviction.node_labels', value: '[]', allowed: /1/ },
    { description: 'protected label with a bad shape', raw: { protection: { pod_labels: ['a=b=c'] } }, key: 'protection.pod_labels.0', value: '"a=b=c"', allowed: /key=value/ },
    { description: 'auth token too short', raw: { server: { auth_token: 'short' } }, key: 'server.auth_token', value: '(redacted)', allowed: /16/ },
    {
      description: 'weights not summing to 1',
      raw: { scoring: { weights: { qos: 0.5, memory: 0.3, age: 0.2, replicas: 0.1 } } },
      key: 'scoring.weights',
      value: 'sum 1.1',
      allowed: /= 1/,
    },
    {
      description: 'memory_alert equal to memory_eviction',
      raw: { thresholds: { memory_alert: 93, memory_eviction: 93 } },
      key: 'thresholds.memory_alert',
      value: '93',
      allowed: /less than thresholds.memory_eviction \(93\)/,
    },
    {
      description: 'memory_alert above memory_eviction',
      raw: { thresholds: { memory_alert: 95 } },
      key: 'thresholds.memory_alert',
      value: '95',
      allowed: /less than thresholds.memory_eviction \(93\)/,
    },
    {
      description: 'target usage at the eviction threshold',
      raw: { thresholds: { target_memory_usage: 93 } },
      key: 'thresholds.target_memory_usage',
      value: '93',
      allowed: /less than thresholds.memory_eviction \(93\)/,
    },
  ];
  for (const row of table) {
    it(row.description, () => {
      const problems = problemsOf(row.raw);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      const p = problemAt(problems, row.key);
      assert.equal(p.value, row.value);
      assert.match(p.allowed, row.allowed);
    });
  }

  it('lists every problem of one file at once, schema and cross-field alike', () => {
    const problems = problemsOf({
      servr: 1,
      server: { port: 'x', bogus: true },
      thresholds: { memory_alert: 95, memory_eviction: 90, target_memory_usage: 91 },
      scoring: { weights: { qos: 0.9 } },
      dedup: { silence_period: -1 },
      notifications: { slack: { url: 'https://hooks.slack.com/x', extra: 1 } },
    });
    assert.deepEqual(problems.map((p) => p.key).sort(), [
      'dedup.silence_period',
      'notifications.slack.extra',
      'scoring.weights',
      'server.bogus',
      'server.port',
      'servr',
      'thresholds.memory_alert',
      'thresholds.target_memory_usage',
    ]);
  });

  it('still reports threshold and weight conflicts when another section has a type error', () => {
    const problems = problemsOf({ server: { port: 'eighty' }, thresholds: { memory_alert: 95 }, scoring: { weights: { qos: 0.6 } } });
    assert.deepEqual(problems.map((p) => p.key).sort(), ['scoring.weights', 'server.port', 'thresholds.memory_alert']);
  });

  it('does not invent cross-field problems from a section that is itself invalid', () => {
    const problems = problemsOf({ thresholds: { memory_alert: 'high', memory_eviction: 50 } });
    assert.deepEqual(
      problems.map((p) => p.key),
      ['thresholds.memory_alert'],
    );
  });

  it('formats one line per problem with key, value and allowed', () => {
    const text = formatProblems([
      { key: 'server.port', value: '"x"', allowed: 'a number' },
      { key: 'mode', value: '"yolo"', allowed: 'dry-run or enforce' },
    ]);
    assert.equal(text, 'config: server.port: got "x"; allowed: a number\nconfig: mode: got "yolo"; allowed: dry-run or enforce');
  });
});

describe('config problems never echo secrets', () => {
  const secret = 'hunter2-short';
  const table: Array<{ description: string; raw: Record<string, unknown>; key: string }> = [
    { description: 'a short auth token', raw: { server: { auth_token: secret } }, key: 'server.auth_token' },
    { description: 'a long auth token', raw: { server: { auth_token: `${secret}${'x'.repeat(5000)}` } }, key: 'server.auth_token' },
    { description: 'an auth token of the wrong type', raw: { server: { auth_token: [secret] } }, key: 'server.auth_token' },
    { description: 'a channel url with a token in it', raw: { notifications: { dingtalk: { url: `ftp://oapi.dingtalk.com/robot/send?access_token=${secret}` } } }, key: 'notifications.dingtalk.url' },
    { description: 'a channel secret of the wrong type', raw: { notifications: { dingtalk: { url: 'https://oapi.dingtalk.com/robot/send', secret: { value: secret } } } }, key: 'notifications.dingtalk.secret' },
    { description: 'a webhook bearer token that is empty-ish', raw: { notifications: { webhook: { url: 'https://x.example', bearer_token: [secret] } } }, key: 'notifications.webhook.bearer_token' },
    { description: 'a whole unknown channel block with a secret', raw: { notifications: { pager: { url: 'https://x.example', secret } } }, key: 'notifications.pager' },
    { description: 'an unknown key inside a channel', raw: { notifications: { slack: { url: 'https://hooks.slack.com/x', token: secret } } }, key: 'notifications.slack.token' },
    { description: 'a misspelt token key outside notifications', raw: { server: { authtoken: secret } }, key: 'server.authtoken' },
  ];
  for (const row of table) {
    it(row.description, () => {
      const problems = problemsOf(row.raw);
      assert.equal(problemAt(problems, row.key).value, '(redacted)');
      assert.doesNotMatch(formatProblems(problems), /hunter2/);
    });
  }

  it('still shows plain channel settings', () => {
    const problems = problemsOf({ notifications: { slack: { url: 'https://hooks.slack.com/x', timeout: 'slow' } } });
    assert.equal(problemAt(problems, 'notifications.slack.timeout').value, '"slow"');
  });

  it('reports a value of the wrong type once, without the size checks after it', () => {
    const problems = problemsOf({ server: { auth_token: ['a'] } });
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.allowed ?? '', /string/);
  });
});

describe('YAML text', () => {
  const table: Array<{ description: string; text: string; ok: boolean; value?: string; allowed?: RegExp }> = [
    { description: 'an empty file is the defaults', text: '', ok: true },
    { description: 'a file of comments is the defaults', text: '# nothing here\n', ok: true },
    { description: 'a mapping', text: 'mode: enforce\nserver:\n  port: 9000\n', ok: true },
    { description: 'malformed YAML', text: 'server: [1, 2\n', ok: false, value: '(file)', allowed: /valid YAML/ },
    { description: 'bad indentation', text: 'server:\n  port: 1\n host: x\n', ok: false, value: '(file)', allowed: /valid YAML/ },
    { description: 'a list at the top', text: '- mode\n- server\n', ok: false, value: '["mode","server"]', allowed: /mapping/ },
    { description: 'a number at the top', text: '42\n', ok: false, value: '42', allowed: /mapping/ },
    { description: 'a string at the top', text: 'just words\n', ok: false, value: '"just words"', allowed: /mapping/ },
    { description: 'a duplicate key', text: 'mode: dry-run\nmode: enforce\n', ok: false, value: '(file)', allowed: /unique/i },
    { description: 'a duplicate nested key', text: 'server:\n  port: 1\n  port: 2\n', ok: false, value: '(file)', allowed: /unique/i },
  ];
  for (const row of table) {
    it(row.description, () => {
      const result = parseConfigText(row.text, 'headroom.yaml');
      assert.equal(result.ok, row.ok, JSON.stringify(result));
      if (!result.ok) {
        assert.equal(result.problems.length, 1);
        assert.equal(result.problems[0]?.key, 'headroom.yaml');
        assert.equal(result.problems[0]?.value, row.value);
        assert.match(result.problems[0]?.allowed ?? '', row.allowed ?? /./);
      }
    });
  }

  it('parses a full file into a config that resolves', () => {
    const parsed = parseConfigText('mode: enforce\nthresholds:\n  preset: large\ndedup:\n  silence_period: 60\n', 'f.yaml');
    assert.ok(parsed.ok);
    const result = resolveConfig(parsed.raw);
    assert.ok(result.ok);
    assert.equal(result.config.mode, 'enforce');
    assert.equal(result.config.thresholds.memory_eviction, 95);
    assert.equal(result.config.dedup.silence_period, 60);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h']] as const) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = performance.now();
    const result = parseConfigText(lines.join('\n'), 'bomb.yaml');
    assert.ok(!result.ok);
    assert.match(result.problems[0]?.allowed ?? '', /alias/i);
    assert.ok(performance.now() - started < 2000, 'the bomb was expanded');
  });

  it('accepts a few ordinary aliases', () => {
    const result = parseConfigText('protection:\n  namespaces: &ns [payments]\n  excluded_nodes: *ns\n', 'f.yaml');
    assert.ok(result.ok);
    assert.deepEqual(result.raw, { protection: { namespaces: ['payments'], excluded_nodes: ['payments'] } });
  });

  it('treats a __proto__ key as an unknown key and pollutes nothing', () => {
    const parsed = parseConfigText('__proto__:\n  polluted: yes\nserver:\n  __proto__:\n    polluted: yes\n', 'f.yaml');
    assert.ok(parsed.ok);
    const result = resolveConfig(parsed.raw);
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => p.key).sort(), ['__proto__', 'server.__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  it('treats constructor and prototype keys as unknown keys', () => {
    const parsed = parseConfigText('constructor:\n  prototype:\n    polluted: yes\n', 'f.yaml');
    assert.ok(parsed.ok);
    const result = resolveConfig(parsed.raw);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => p.key),
      ['constructor'],
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('cuts a huge value short in the problem message', () => {
    const result = resolveConfig({ server: { host: 'h'.repeat(500_000) } });
    assert.ok(!result.ok);
    const p = problemAt(result.problems, 'server.host');
    assert.ok(p.value.length <= 80, `value is ${p.value.length} characters`);
    assert.match(p.allowed, /255/);
  });

  it('rejects huge lists with one problem, not one per entry', () => {
    const result = resolveConfig({ protection: { namespaces: Array.from({ length: 5000 }, (_, i) => `ns-${i}`) } });
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.key, 'protection.namespaces');
  });
});
