/**
 * Nodes in "roomiest first" order, sorted only as far as anyone reads. Pods walk the order from
 * the top and usually stop after a few nodes, so sorting all 5,000 nodes per plan would be most of
 * the plan's cost: a heap (built in linear time) hands out the next node on demand, and the part
 * already handed out is kept as a sorted prefix.
 */

/** `before(i, j)`: node i comes before node j (a strict total order). */
export type Before = (i: number, j: number) => boolean;

/** A lazily sorted order of node indices `0..count-1`. */
export type RoomOrder = {
  /** The k-th node in order, or -1 past the end. */
  at(k: number): number;
  /** Node `node` (already handed out) has changed: move it to its new place. */
  reposition(node: number): void;
};

/** Creates the order over `count` nodes; `before` must reflect their current state. */
export function roomOrder(count: number, before: Before): RoomOrder {
  const heap = new Int32Array(count);
  for (let i = 0; i < count; i++) heap[i] = i;
  let size = count;
  const prefix: number[] = [];

  const siftDown = (from: number): void => {
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && before(heap[right] as number, heap[left] as number) ? right : left;
      if (!before(heap[child] as number, heap[at] as number)) return;
      const tmp = heap[at] as number;
      heap[at] = heap[child] as number;
      heap[child] = tmp;
      at = child;
    }
  };
  const siftUp = (from: number): void => {
    let at = from;
    while (at > 0) {
      const parent = (at - 1) >>> 1;
      if (!before(heap[at] as number, heap[parent] as number)) return;
      const tmp = heap[at] as number;
      heap[at] = heap[parent] as number;
      heap[parent] = tmp;
      at = parent;
    }
  };
  for (let i = (size >>> 1) - 1; i >= 0; i--) siftDown(i);

  return {
    at(k) {
      while (prefix.length <= k && size > 0) {
        prefix.push(heap[0] as number);
        heap[0] = heap[--size] as number;
        siftDown(0);
      }
      return prefix[k] ?? -1;
    },
    reposition(node) {
      const was = prefix.indexOf(node);
      if (was >= 0) prefix.splice(was, 1);
      else {
        const at = heap.indexOf(node);
        if (at < 0 || at >= size) return;
        heap[at] = heap[--size] as number;
        if (at < size) {
          siftUp(at);
          siftDown(at);
        }
      }
      // Every handed-out node comes before every node in the heap; keep it that way.
      if (size > 0 && !before(node, heap[0] as number)) {
        heap[size] = node;
        siftUp(size++);
        return;
      }
      let lo = 0;
      let hi = prefix.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(prefix[mid] as number, node)) lo = mid + 1;
        else hi = mid;
      }
      prefix.splice(lo, 0, node);
    },
  };
}
