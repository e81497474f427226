/**
 * A memory cgroup for a benchmark child, so it runs as it would in a container with a memory
 * limit: Node sizes its default heap from that limit (`process.constrainedMemory()`), which a
 * machine without one does not show. Needs root and a writable memory controller (cgroup v2 with
 * `memory` enabled, or v1's `memory` hierarchy); `null` when the machine has neither.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A cgroup made for one run: where to write the child's pid, and how to remove it after. */
export type MemoryCgroup = { procs: string; remove: () => void };

/** Creates a cgroup limited to `limitBytes`, or null when this machine cannot. */
export function memoryCgroup(name: string, limitBytes: number): MemoryCgroup | null {
  const v2 = '/sys/fs/cgroup';
  const v1 = '/sys/fs/cgroup/memory';
  const make = (root: string, limitFile: string): MemoryCgroup | null => {
    const dir = join(root, name);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, limitFile), String(limitBytes));
      return { procs: join(dir, 'cgroup.procs'), remove: () => rmdirSync(dir) };
    } catch {
      return null;
    }
  };
  try {
    if (existsSync(join(v2, 'cgroup.controllers')) && readFileSync(join(v2, 'cgroup.subtree_control'), 'utf8').includes('memory')) return make(v2, 'memory.max');
  } catch {
    // not cgroup v2 with the memory controller: try v1
  }
  return existsSync(join(v1, 'memory.limit_in_bytes')) ? make(v1, 'memory.limit_in_bytes') : null;
}
