/**
 * Scoring (S2.1): how cheap a pod is to evict, 0-100 per dimension, weighted. Higher goes first.
 * Curves, as resolved in the requirements: QoS BestEffort 100 / Burstable 60 / Guaranteed 0;
 * memory share of the node's capacity (capped at 100); age 100 up to 1 h, 0 from 24 h, linear in
 * between; replicas 1 -> 0, 4 or more -> 100, linear in between (an unknown count counts as 1).
 */
import type { PodFacts, QosClass } from '../facts/types.ts';
import type { Scores } from './types.ts';

const QOS: Readonly<Record<QosClass, number>> = { BestEffort: 100, Burstable: 60, Guaranteed: 0 };
const HOUR_MS = 3_600_000;
const YOUNG_MS = HOUR_MS;
const OLD_MS = 24 * HOUR_MS;

/** QoS dimension: the kubelet's own eviction order, BestEffort first. */
export function qosScore(qos: QosClass): number {
  return QOS[qos];
}

/** Memory dimension: evicting a big pod relieves more; 0 when the capacity is unknown. */
export function memoryScore(usageBytes: number, capacityBytes: number): number {
  return capacityBytes > 0 ? Math.min(100, (usageBytes / capacityBytes) * 100) : 0;
}

/**
 * Age dimension: a young pod has the least warm state to lose. From `startTime`, else
 * `creationTimestamp`; a pod with neither scores 0 (not preferred on a guess). A start in the
 * future (clock skew) counts as brand new.
 */
export function ageScore(startTime: string | null, creationTimestamp: string | null, now: Date): number {
  const started = Date.parse(startTime ?? creationTimestamp ?? '');
  if (Number.isNaN(started)) return 0;
  const age = now.getTime() - started;
  if (age <= YOUNG_MS) return 100;
  if (age >= OLD_MS) return 0;
  return ((OLD_MS - age) / (OLD_MS - YOUNG_MS)) * 100;
}

/** Replicas dimension: the more replicas, the less one missing hurts. */
export function replicasScore(replicas: number | null): number {
  const r = replicas ?? 1;
  if (r <= 1) return 0;
  if (r >= 4) return 100;
  return ((r - 1) / 3) * 100;
}

/** All four dimensions and the weighted total, at full precision. */
export function scorePod(pod: PodFacts, capacityBytes: number, weights: Readonly<Scores>, now: Date): { score: number; scores: Scores } {
  const scores: Scores = {
    qos: qosScore(pod.qosClass),
    memory: memoryScore(pod.usageBytes, capacityBytes),
    age: ageScore(pod.startTime, pod.creationTimestamp, now),
    replicas: replicasScore(pod.replicas),
  };
  const score = weights.qos * scores.qos + weights.memory * scores.memory + weights.age * scores.age + weights.replicas * scores.replicas;
  return { score, scores };
}
