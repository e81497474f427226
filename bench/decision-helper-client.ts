/**
 * The measured process's side of the helper (`decision-helper.ts`): starts it, calls it, and
 * converts its epoch timestamps to this process's, with the clock offset estimated from the
 * round trip of a few clock readings (IPC on loopback: well under a millisecond).
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Hop } from './decision-proxy.ts';

/** A proxy hop with what it was for. */
export type KindedHop = Hop & { kind: string };

/** A node's or pod's memory as the exporter should serve it. */
export type NodeMemory = { name: string; total: number; used: number };
/** A pod's working set and memory request. */
export type PodMemory = { namespace: string; name: string; node: string; bytes: number; request: number };

/** Requests to the helper. */
export type HelperRequest = { id: number } & (
  | { op: 'memory'; nodes: NodeMemory[]; pods: PodMemory[] }
  | { op: 'render' }
  | { op: 'proxies'; kubeUrl: string; caFile: string; promUrl: string }
  | { op: 'hops'; from: number; to: number }
  | { op: 'in-flight' }
  | { op: 'clock' }
  | { op: 'post'; url: string; body: string; headers: Record<string, string> }
  | { op: 'stop' }
);

/** The helper's answer to `post`: its clock when the request left and when the answer was in. */
export type Posted = { sentAt: number; answeredAt: number; status: number; text: string };

/** One answer per request. */
export type HelperReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

type Op = HelperRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;
type Args<O extends Op> = Omit<Extract<HelperRequest, { op: O }>, 'id' | 'op'>;

/** The running helper. Times it returns are on this process's epoch clock. */
export type Helper = {
  /** `host:port` of the exporter, for Prometheus. */
  target: string;
  /** Helper clock minus ours, in ms (subtracted from every time it reports). */
  offsetMs: number;
  call<T>(op: Op, args?: Args<Op>): Promise<T>;
  hops(from: number, to: number): Promise<KindedHop[]>;
  stop(): Promise<void>;
};

/** Epoch milliseconds with sub-millisecond precision, this process's clock. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** Forks the helper and waits for its exporter. */
export async function startHelper(): Promise<Helper> {
  const child: ChildProcess = fork(new URL('./decision-helper.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ready: (target: string) => void = () => undefined;
  const started = new Promise<string>((resolve) => (ready = resolve));
  child.on('message', (m: HelperReply) => {
    if (m.id === 0 && m.ok) return ready(String(m.value));
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(`helper: ${m.error}`));
  });
  child.once('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`helper exited (${code})`));
    pending.clear();
  });
  const call = <T>(op: Op, args: object = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: (v) => resolve(v as T), reject });
      child.send({ id, op, ...args });
    });
  const target = await started;
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const t1 = epochNow();
    const theirs = await call<number>('clock');
    const t3 = epochNow();
    if (t3 - t1 < best.rtt) best = { rtt: t3 - t1, offset: theirs - (t1 + t3) / 2 };
  }
  const offsetMs = best.offset;
  return {
    target,
    offsetMs,
    call,
    hops: async (from, to) =>
      (await call<KindedHop[]>('hops', { from: from + offsetMs, to: to + offsetMs })).map((h) => ({ ...h, startMs: h.startMs - offsetMs, endMs: h.endMs === null ? null : h.endMs - offsetMs })),
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call('stop').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
