/**
 * Command-line parsing for `headroom <command> [flags]`. Strict: an unknown flag or a bad value
 * stops with a message naming it, before anything starts.
 */
import { parseArgs } from 'node:util';

/** A parsed command line, or the message explaining why it is wrong. */
export type Command =
  | { command: 'serve'; config?: string; port?: number }
  | { command: 'demo'; port?: number; notifyUrl?: string }
  | { command: 'once'; config?: string; node?: string; targetUsage?: number; dryRun: boolean }
  | { command: 'rules'; config?: string; format: 'rules' | 'prometheusrule' }
  | { command: 'help' };

/** The usage text printed by `headroom help` and after a command-line error. */
export const USAGE = `usage:
  headroom serve [--config FILE] [--port N]      run the webhook service
  headroom demo [--port N] [--notify-url URL]    run against a bundled simulated cluster
  headroom once [--node NAME] [--target-usage PCT] [--dry-run] [--config FILE]
                                                 one pass over the nodes (CronJob, maintenance)
  headroom rules [--config FILE] [--format rules|prometheusrule]
                                                 print the Prometheus alert rules for a config
config: --config, else $HEADROOM_CONFIG, else built-in defaults`;

const FLAGS = {
  config: { type: 'string' },
  port: { type: 'string' },
  node: { type: 'string' },
  'target-usage': { type: 'string' },
  'dry-run': { type: 'boolean' },
  format: { type: 'string' },
  'notify-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALLOWED: Record<string, readonly string[]> = {
  serve: ['config', 'port'],
  demo: ['port', 'notify-url'],
  once: ['config', 'node', 'target-usage', 'dry-run'],
  rules: ['config', 'format'],
};

/** Parses argv (without the node binary and script). */
export function parseCommand(argv: readonly string[]): { ok: true; value: Command } | { ok: false; message: string } {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { ok: true, value: { command: 'help' } };
  const allowed = ALLOWED[command];
  if (!allowed) return { ok: false, message: `unknown command ${JSON.stringify(command)}; expected serve, demo, once or rules` };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...rest], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  if (values.help) return { ok: true, value: { command: 'help' } };
  const extra = Object.keys(values).find((k) => !allowed.includes(k));
  if (extra) return { ok: false, message: `--${extra} is not a flag of "${command}" (flags: ${allowed.map((f) => `--${f}`).join(', ')})` };
  return build(command, values);
}

function build(command: string, v: Record<string, string | boolean | undefined>): { ok: true; value: Command } | { ok: false; message: string } {
  const str = (k: string): string | undefined => {
    const x = v[k];
    return typeof x === 'string' ? x : undefined;
  };
  const empty = Object.keys(v).find((k) => v[k] === '');
  if (empty !== undefined) return { ok: false, message: `--${empty} needs a value` };
  const notifyUrl = str('notify-url');
  if (notifyUrl !== undefined && !/^https?:$/.test(URL.parse(notifyUrl)?.protocol ?? '')) {
    return { ok: false, message: `--notify-url ${JSON.stringify(notifyUrl)}: expected an http or https URL` };
  }
  const port = numberFlag(str('port'), 'port', 0, 65535, true);
  if (typeof port === 'string') return { ok: false, message: port };
  switch (command) {
    case 'serve':
      return { ok: true, value: { command, config: str('config'), port } };
    case 'demo':
      return { ok: true, value: { command, port, notifyUrl } };
    case 'once': {
      const targetUsage = numberFlag(str('target-usage'), 'target-usage', 0, 100, false);
      if (typeof targetUsage === 'string') return { ok: false, message: targetUsage };
      const node = str('node');
      if (node !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(node)) return { ok: false, message: `--node ${JSON.stringify(node)} is not a valid node name` };
      return { ok: true, value: { command, config: str('config'), node, targetUsage, dryRun: v['dry-run'] === true } };
    }
    default: {
      const format = str('format') ?? 'rules';
      if (format !== 'rules' && format !== 'prometheusrule') return { ok: false, message: `--format ${JSON.stringify(format)}: allowed are rules, prometheusrule` };
      return { ok: true, value: { command: 'rules', config: str('config'), format } };
    }
  }
}

function numberFlag(text: string | undefined, name: string, min: number, max: number, integer: boolean): number | undefined | string {
  if (text === undefined) return undefined;
  const n = Number(text);
  // Plain decimals only: Number() also takes "0x50", "1e2", " 80 " and "", none of which is meant.
  const decimal = integer ? /^[0-9]+$/ : /^[0-9]+(\.[0-9]+)?$/;
  if (!decimal.test(text) || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    return `--${name} ${JSON.stringify(text)}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  }
  return n;
}
