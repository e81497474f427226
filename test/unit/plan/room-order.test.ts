import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { roomOrder } from '../../../src/plan/room-order.ts';

/** Reads the first `k` of the order (or all of it). */
const read = (order: ReturnType<typeof roomOrder>, k = Infinity): number[] => {
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const node = order.at(i);
    if (node < 0) break;
    out.push(node);
  }
  return out;
};

describe('roomOrder: a lazily sorted order', () => {
  it('hands out every node once, in order (ties by index)', () => {
    const keys = [5, 9, 1, 9, 3];
    const before = (i: number, j: number): boolean => (keys[i] as number) > (keys[j] as number) || (keys[i] === keys[j] && i < j);
    assert.deepEqual(read(roomOrder(keys.length, before)), [1, 3, 0, 4, 2]);
  });

  it('is empty for no nodes', () => {
    assert.equal(roomOrder(0, () => false).at(0), -1);
  });

  it('stays sorted whatever is read, changed and repositioned, in any interleaving', () => {
    const step = fc.record({ readUpTo: fc.nat(30), node: fc.nat(29), delta: fc.integer({ min: -50, max: 50 }) });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 30 }), fc.array(step, { maxLength: 20 }), (initial, steps) => {
        const keys = [...initial];
        const before = (i: number, j: number): boolean => (keys[i] as number) > (keys[j] as number) || (keys[i] === keys[j] && i < j);
        const order = roomOrder(keys.length, before);
        const sorted = (): number[] => keys.map((_, i) => i).sort((i, j) => (before(i, j) ? -1 : 1));
        for (const s of steps) {
          assert.deepEqual(read(order, s.readUpTo), sorted().slice(0, s.readUpTo));
          const node = s.node % keys.length;
          keys[node] = (keys[node] as number) + s.delta;
          order.reposition(node);
        }
        assert.deepEqual(read(order), sorted());
      }),
      { numRuns: 300 },
    );
  });
});
