/**
 * A steady memory rise on one node, as a leak looks: node-exporter's used memory and the leaking
 * pod's working set grow by the same bytes per second, updated every 200 ms (five times per
 * scrape, so Prometheus sees a straight line). The moment the rise crosses a threshold is
 * computed, not guessed.
 */
import type { ClusterWriter } from './objects.ts';

/** Where the rise happens and how fast. */
export type RampSpec = {
  node: string;
  pod: { namespace: string; name: string; startGiB: number };
  startGiB: number;
  gibPerSecond: number;
  /** The rise stops here (GiB). */
  capGiB: number;
};

/** A running rise. */
export type Ramp = {
  /** Epoch ms when the rise started. */
  startedAt: number;
  /** Epoch ms when node usage reaches `percent` of 16 GiB (the exporter switches at most 200 ms later). */
  crossesAt(percent: number): number;
  /** Stops rising and sets the node to `usedGiB` (relief); the pod's series stays as it was. */
  stop(usedGiB?: number): void;
};

/** Starts the rise now. */
export function startRamp(w: ClusterWriter, r: RampSpec, nodeGiB = 16): Ramp {
  const startedAt = Date.now();
  const tick = (): void => {
    const grown = Math.min(r.capGiB - r.startGiB, ((Date.now() - startedAt) / 1000) * r.gibPerSecond);
    w.setNodeUsed(r.node, r.startGiB + grown);
    w.setPodUsed(r.pod.namespace, r.pod.name, r.node, r.pod.startGiB + grown);
  };
  tick();
  const timer = setInterval(tick, 200);
  return {
    startedAt,
    crossesAt: (percent) => startedAt + (((percent / 100) * nodeGiB - r.startGiB) / r.gibPerSecond) * 1000,
    stop(usedGiB) {
      clearInterval(timer);
      if (usedGiB !== undefined) w.setNodeUsed(r.node, usedGiB);
    },
  };
}
