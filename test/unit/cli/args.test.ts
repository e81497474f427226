import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand, USAGE, type Command } from '../../../src/cli/args.ts';

describe('parseCommand: valid command lines', () => {
  const table: Array<{ description: string; argv: string[]; expected: Command }> = [
    { description: 'nothing: help', argv: [], expected: { command: 'help' } },
    { description: 'help', argv: ['help'], expected: { command: 'help' } },
    { description: '--help', argv: ['--help'], expected: { command: 'help' } },
    { description: '-h', argv: ['-h'], expected: { command: 'help' } },
    { description: 'serve --help', argv: ['serve', '--help'], expected: { command: 'help' } },
    { description: 'once -h', argv: ['once', '-h'], expected: { command: 'help' } },
    { description: 'serve', argv: ['serve'], expected: { command: 'serve', config: undefined, port: undefined } },
    { description: 'serve --config --port', argv: ['serve', '--config', 'headroom.yaml', '--port', '9090'], expected: { command: 'serve', config: 'headroom.yaml', port: 9090 } },
    { description: 'serve --port=0 (any free port)', argv: ['serve', '--port=0'], expected: { command: 'serve', config: undefined, port: 0 } },
    { description: 'serve --port 65535', argv: ['serve', '--port', '65535'], expected: { command: 'serve', config: undefined, port: 65535 } },
    { description: 'demo', argv: ['demo'], expected: { command: 'demo', port: undefined, notifyUrl: undefined } },
    { description: 'demo --port --notify-url', argv: ['demo', '--port', '8081', '--notify-url', 'http://localhost:9999/hook'], expected: { command: 'demo', port: 8081, notifyUrl: 'http://localhost:9999/hook' } },
    { description: 'once', argv: ['once'], expected: { command: 'once', config: undefined, node: undefined, targetUsage: undefined, dryRun: false } },
    {
      description: 'once with every flag',
      argv: ['once', '--node', 'ip-10-0-1-2.eu-west-1.compute.internal', '--target-usage', '75.5', '--dry-run', '--config', '/etc/headroom/config.yaml'],
      expected: { command: 'once', config: '/etc/headroom/config.yaml', node: 'ip-10-0-1-2.eu-west-1.compute.internal', targetUsage: 75.5, dryRun: true },
    },
    { description: 'once --target-usage 0 and 100 are in range', argv: ['once', '--target-usage', '100'], expected: { command: 'once', config: undefined, node: undefined, targetUsage: 100, dryRun: false } },
    { description: 'once --node of one character', argv: ['once', '--node', 'a'], expected: { command: 'once', config: undefined, node: 'a', targetUsage: undefined, dryRun: false } },
    { description: 'rules', argv: ['rules'], expected: { command: 'rules', config: undefined, format: 'rules' } },
    { description: 'rules --format prometheusrule', argv: ['rules', '--format', 'prometheusrule', '--config', 'c.yaml'], expected: { command: 'rules', config: 'c.yaml', format: 'prometheusrule' } },
    { description: 'rules --format rules', argv: ['rules', '--format=rules'], expected: { command: 'rules', config: undefined, format: 'rules' } },
  ];
  for (const row of table) {
    it(row.description, () => {
      const result = parseCommand(row.argv);
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.deepEqual(result.value, row.expected);
    });
  }
});

describe('parseCommand: bad command lines name what is wrong', () => {
  const table: Array<{ description: string; argv: string[]; message: RegExp }> = [
    { description: 'an unknown command', argv: ['start'], message: /unknown command "start".*serve, demo, once or rules/ },
    { description: 'a flag instead of a command', argv: ['--port', '80'], message: /unknown command "--port"/ },
    { description: 'a command in capitals', argv: ['SERVE'], message: /unknown command "SERVE"/ },
    { description: 'an unknown flag', argv: ['serve', '--verbose'], message: /verbose/ },
    { description: 'a positional argument', argv: ['serve', 'extra'], message: /extra/ },
    { description: 'a flag of another command: serve --node', argv: ['serve', '--node', 'w'], message: /--node is not a flag of "serve".*--config, --port/ },
    { description: 'a flag of another command: demo --config', argv: ['demo', '--config', 'c.yaml'], message: /--config is not a flag of "demo"/ },
    { description: 'a flag of another command: rules --port', argv: ['rules', '--port', '80'], message: /--port is not a flag of "rules"/ },
    { description: 'a flag of another command: once --format', argv: ['once', '--format', 'rules'], message: /--format is not a flag of "once"/ },
    { description: 'a flag of another command: serve --dry-run', argv: ['serve', '--dry-run'], message: /--dry-run is not a flag of "serve"/ },
    { description: 'a value for a boolean flag', argv: ['once', '--dry-run=yes'], message: /dry-run/ },
    { description: 'a string flag without its value', argv: ['serve', '--config'], message: /config/ },
    { description: '--port -1', argv: ['serve', '--port=-1'], message: /--port "-1": expected an integer from 0 to 65535/ },
    { description: '--port -1 as a separate argument', argv: ['serve', '--port', '-1'], message: /port/ },
    { description: '--port 70000', argv: ['serve', '--port', '70000'], message: /--port "70000": expected an integer from 0 to 65535/ },
    { description: '--port 1.5', argv: ['serve', '--port', '1.5'], message: /--port "1.5"/ },
    { description: '--port abc', argv: ['serve', '--port', 'abc'], message: /--port "abc"/ },
    { description: '--port empty', argv: ['serve', '--port', ''], message: /--port/ },
    { description: '--port with spaces', argv: ['serve', '--port', ' 80 '], message: /--port " 80 "/ },
    { description: '--port in hex', argv: ['serve', '--port', '0x50'], message: /--port "0x50"/ },
    { description: '--port with an exponent', argv: ['serve', '--port', '8e3'], message: /--port "8e3"/ },
    { description: '--port Infinity', argv: ['demo', '--port', 'Infinity'], message: /--port "Infinity"/ },
    { description: '--target-usage 101', argv: ['once', '--target-usage', '101'], message: /--target-usage "101": expected a number from 0 to 100/ },
    { description: '--target-usage -1', argv: ['once', '--target-usage=-1'], message: /--target-usage "-1"/ },
    { description: '--target-usage x', argv: ['once', '--target-usage', 'x'], message: /--target-usage "x"/ },
    { description: '--target-usage NaN', argv: ['once', '--target-usage', 'NaN'], message: /--target-usage "NaN"/ },
    { description: '--target-usage 80%', argv: ['once', '--target-usage', '80%'], message: /--target-usage "80%"/ },
    { description: '--node with capitals', argv: ['once', '--node', 'Worker-1'], message: /--node "Worker-1" is not a valid node name/ },
    { description: '--node with an underscore', argv: ['once', '--node', 'worker_1'], message: /--node "worker_1"/ },
    { description: '--node starting with a dash', argv: ['once', '--node=-worker'], message: /--node "-worker"/ },
    { description: '--node ending with a dot', argv: ['once', '--node', 'worker.'], message: /--node "worker."/ },
    { description: '--node with a slash', argv: ['once', '--node', 'default/worker'], message: /--node "default\/worker"/ },
    { description: '--node longer than 253', argv: ['once', '--node', 'a'.repeat(254)], message: /--node "a+" is not a valid node name/ },
    { description: '--node empty', argv: ['once', '--node', ''], message: /--node/ },
    { description: '--format yaml', argv: ['rules', '--format', 'yaml'], message: /--format "yaml": allowed are rules, prometheusrule/ },
    { description: '--format in capitals', argv: ['rules', '--format', 'PrometheusRule'], message: /--format "PrometheusRule"/ },
    { description: '--config empty', argv: ['serve', '--config', ''], message: /--config needs a value/ },
    { description: '--notify-url not a URL', argv: ['demo', '--notify-url', 'localhost:9999'], message: /--notify-url "localhost:9999"/ },
    { description: '--notify-url not http', argv: ['demo', '--notify-url', 'file:///etc/passwd'], message: /--notify-url/ },
  ];
  for (const row of table) {
    it(row.description, () => {
      const result = parseCommand(row.argv);
      assert.ok(!result.ok, `accepted: ${JSON.stringify(result)}`);
      assert.match(result.message, row.message);
    });
  }
});

describe('USAGE', () => {
  it('names every command and flag', () => {
    for (const word of ['serve', 'demo', 'once', 'rules', '--config', '--port', '--node', '--target-usage', '--dry-run', '--format', '--notify-url', 'HEADROOM_CONFIG']) {
      assert.ok(USAGE.includes(word), word);
    }
  });
});
