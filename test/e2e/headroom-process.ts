/**
 * `headroom serve` as a child process of the end-to-end suite: started from src/main.ts with
 * Node 24 (type stripping, no build), its JSON log appended to one file across restarts, so a
 * test reads every line any incarnation wrote. Restarts keep the port: Alertmanager's URL stays.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hasExited, logTail, startChild, stopChild, waitForChild, type StackChild } from '../stack/child.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const MAIN = join(ROOT, 'src/main.ts');

/** One parsed log line; `time` is pino's epoch milliseconds, `incarnation` counts restarts. */
export type LogLine = Record<string, unknown> & { time: number; event?: string; msg?: string; incarnation: number };

/** A running (or restartable) headroom. */
export type HeadroomProcess = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The log file shared by every incarnation. */
  log: string;
  /** Every JSON line logged so far, in order. */
  lines(): Promise<LogLine[]>;
  /** Lines with this `event`, optionally filtered. */
  events(event: string, where?: (l: LogLine) => boolean): Promise<LogLine[]>;
  /** SIGTERM (bounded drain), then a fresh process on the same port, ready again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

/** Options of startHeadroom. */
export type HeadroomOptions = { configFile: string; port: number; home: string; logFile: string; env?: Record<string, string>; readyTimeoutMs?: number };

/** Starts headroom and waits until `/readyz` answers 200 (Prometheus, Kubernetes and config fine). */
export async function startHeadroom(o: HeadroomOptions): Promise<HeadroomProcess> {
  const url = `http://127.0.0.1:${o.port}`;
  let child: StackChild | undefined;
  let incarnation = 0;
  /** Byte offsets in the log where each incarnation starts. */
  const starts: number[] = [];

  const launch = async (): Promise<void> => {
    incarnation += 1;
    starts.push(Buffer.byteLength(await readFile(o.logFile, 'utf8').catch(() => '')));
    // A clean environment: no KUBECONFIG, no HOME kubeconfig; the config file names everything.
    // `env -i` execs node in place (same pid, so signals reach it) with only these variables.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: o.home, ...o.env };
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    child = startChild(`headroom#${incarnation}`, '/usr/bin/env', ['-i', ...vars, NODE, MAIN, 'serve', '--config', o.configFile], o.logFile);
    await waitForChild(child, '/readyz 200', o.readyTimeoutMs ?? 30_000, async () => {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      return res.status === 200;
    }, 200);
  };

  const lines = async (): Promise<LogLine[]> => {
    const text = await readFile(o.logFile);
    const out: LogLine[] = [];
    let offset = 0;
    for (const raw of text.toString('utf8').split('\n')) {
      const at = offset;
      offset += Buffer.byteLength(raw) + 1;
      if (!raw.startsWith('{')) continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        continue;
      }
      const n = starts.filter((s) => s <= at).length;
      out.push({ ...parsed, time: Number(parsed.time), incarnation: n });
    }
    return out;
  };

  await launch();
  return {
    url,
    log: o.logFile,
    lines,
    async events(event, where = () => true) {
      return (await lines()).filter((l) => l.event === event && where(l));
    },
    async restart() {
      if (child !== undefined) await stopChild(child, 10_000);
      await launch();
    },
    async stop() {
      if (child !== undefined && !hasExited(child)) await stopChild(child, 10_000);
    },
  };
}

/** The last lines of headroom's log, for assertion messages. */
export function headroomTail(p: HeadroomProcess, lines = 40): Promise<string> {
  return logTail(p.log, lines);
}
