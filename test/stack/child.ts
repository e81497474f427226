/**
 * Child processes for the test stack (Prometheus, Alertmanager, the kube control plane), and
 * `startService` for a component living in a temp folder of its own: output goes to a log file whose
 * tail is quoted when startup fails, the child dies with the test process (even on SIGKILL, via
 * `setpriv --pdeathsig`), and readiness is polled against a deadline while watching for an exit.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './ports.ts';

/** A running child with its log file. */
export interface StackChild {
  name: string;
  proc: ChildProcess;
  /** Path of the file that receives stdout and stderr. */
  log: string;
  /** Resolves when the process has exited (or failed to spawn). */
  exited: Promise<void>;
}

const live = new Set<StackChild>();
const dirs = new Set<string>();
let hooked = false;

/** Kills leftovers and removes their folders when the test process exits without stop(). */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of live) c.proc.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
}

/** Registers a temp folder for removal at exit; `forget` when it was removed normally. */
export function trackDir(dir: string): { forget(): void } {
  hookExit();
  dirs.add(dir);
  return { forget: () => void dirs.delete(dir) };
}

/** Spawns `bin args` with output appended to `log`. */
export function startChild(name: string, bin: string, args: readonly string[], log: string): StackChild {
  hookExit();
  const fd = openSync(log, 'a');
  const guard = existsSync('/usr/bin/setpriv');
  const proc = guard
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'KILL', '--', bin, ...args], { stdio: ['ignore', fd, fd] })
    : spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.once('error', () => resolve());
  });
  const child: StackChild = { name, proc, log, exited };
  live.add(child);
  void exited.then(() => live.delete(child));
  return child;
}

/** True once the child has exited. */
export function hasExited(c: StackChild): boolean {
  return c.proc.exitCode !== null || c.proc.signalCode !== null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export async function stopChild(c: StackChild, graceMs = 5000): Promise<void> {
  if (hasExited(c)) return;
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
}

/** The last `lines` lines of a log file ('' when it cannot be read). */
export async function logTail(file: string, lines = 30): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Polls `probe` every `everyMs` until it returns true; throws with the log tail when the deadline
 * passes or the child exits first. A probe that throws counts as "not yet".
 */
export async function waitForChild(c: StackChild, what: string, timeoutMs: number, probe: () => Promise<boolean>, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(c)) {
      throw new Error(`${c.name} exited (${String(c.proc.exitCode ?? c.proc.signalCode)}) before ${what}; ${c.log}:\n${await logTail(c.log)}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() >= deadline) throw new Error(`${c.name}: no ${what} after ${timeoutMs} ms; ${c.log}:\n${await logTail(c.log)}`);
    await delay(everyMs);
  }
}

/** True when `url` answers 2xx; the body is drained so no socket is left open. */
export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.ok;
}

/** A component running from a temp folder of its own on a loopback port. */
export type StackService = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The temp folder: the config file, data/, the log. */
  dir: string;
  log: string;
  /** Milliseconds from spawn to ready. */
  startupMs: number;
  /** SIGTERM (SIGKILL after 5 s) and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
};

/** How to start one: its config file, its flags (given where it lives), and when it is ready. */
export type ServiceSpec = {
  name: string;
  bin: string;
  config: { file: string; text: string };
  args: (at: { dir: string; port: number; url: string; configFile: string }) => string[];
  ready: (child: StackChild, url: string) => Promise<void>;
};

/**
 * Starts `spec.bin` with its config and log in a new temp folder (removed at exit if the test
 * process dies) on a free loopback port; resolves once `spec.ready` does. On failure the child is
 * stopped and the folder kept: the error quotes the log's end, the whole log stays for reading.
 */
export async function startService(spec: ServiceSpec): Promise<StackService> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), `headroom-${spec.name}-${process.pid}-`));
  const tracked = trackDir(dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(dir, spec.config.file);
  await writeFile(configFile, spec.config.text);
  const child = startChild(spec.name, spec.bin, spec.args({ dir, port, url, configFile }), join(dir, `${spec.name}.log`));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    tracked.forget();
  };
  try {
    await spec.ready(child, url);
    return { url, dir, log: child.log, startupMs: Date.now() - started, stop };
  } catch (err) {
    stopped = true;
    await stopChild(child);
    tracked.forget();
    throw err;
  }
}
