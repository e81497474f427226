/**
 * An in-memory `UsageSource` (the Prometheus side has its own tests): usage per node and per pod
 * that a test sets and changes, failures it injects, and a count of the queries made.
 */
import type { UsageFailure, UsageReading, UsageSource } from '../../../src/facts/gather-usage.ts';

/** The fake; set `nodes`, `pods` and `failure` freely. */
export class FakeUsage implements UsageSource {
  nodes = new Map<string, number>();
  /** `namespace/name` -> bytes; every pod is reported whatever its node (the planner reads only its own). */
  pods = new Map<string, number>();
  /** When set, every query fails with it. */
  failure: UsageFailure | null = null;
  queries: string[] = [];

  async nodeUsage(): Promise<UsageReading<ReadonlyMap<string, number>>> {
    this.queries.push('nodes');
    return this.failure ? { ok: false, failure: this.failure } : { ok: true, value: new Map(this.nodes) };
  }

  async podUsage(node: string): Promise<UsageReading<ReadonlyMap<string, number>>> {
    this.queries.push(`pods ${node}`);
    return this.failure ? { ok: false, failure: this.failure } : { ok: true, value: new Map(this.pods) };
  }
}
