/**
 * Shared pieces of the act/live unit tests: a logger whose lines can be read back, fresh
 * metrics, and a plan built from pod names.
 */
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createMetrics, type Metrics } from '../../../src/http/metrics.ts';
import { createLogger } from '../../../src/log.ts';
import type { Plan, PlannedPod } from '../../../src/plan/index.ts';

export const GiB = 2 ** 30;

/** A logger writing JSON lines into `lines`. */
export function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** Metrics without process collectors. */
export function metrics(): Metrics {
  return createMetrics({ processMetrics: false });
}

/** A planned pod `shop/<name>` using `gib` GiB. */
export function planned(name: string, gib = 1): PlannedPod {
  return { namespace: 'shop', name, score: 50, scores: { qos: 50, memory: 50, age: 50, replicas: 50 }, memoryBytes: gib * GiB, requestBytes: GiB / 2, targets: ['n1', 'n2'] };
}

/** A plan for `n0` (16 GiB, `usedGiB` used, target 80%) whose candidates are `pods`, the first `chosen` as evictions. */
export function makePlan(pods: PlannedPod[], chosen: number, usedGiB = 15): Plan {
  const total = 16 * GiB;
  return {
    node: 'n0',
    memory: { totalBytes: total, usedBytes: usedGiB * GiB, usage: (usedGiB / 16) * 100, target: 80, projectedUsage: 0 },
    evictions: pods.slice(0, chosen),
    candidates: pods,
    protected: [],
    reachedTarget: true,
  };
}

/** Value of a counter with these labels. */
export async function counter(m: Metrics, labels: { mode: string; result: string }): Promise<number> {
  const v = (await m.evictions.get()).values.find((x) => x.labels.mode === labels.mode && x.labels.result === labels.result);
  return v?.value ?? 0;
}
