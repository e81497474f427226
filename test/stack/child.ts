/**
 * Child processes for the test stack (Prometheus, Alertmanager): output goes to a log file whose
 * tail is quoted when startup fails, the child dies with the test process (even on SIGKILL, via
 * `setpriv --pdeathsig`), and readiness is polled against a deadline while watching for an exit.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

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
