/** Back-off and `Retry-After` parsing, table-driven. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, parseRetryAfter } from '../../../src/notify/retry.ts';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('retry', () => {
  const rows: Array<{ description: string; value: string | undefined; want: number | undefined }> = [
    { description: 'absent', value: undefined, want: undefined },
    { description: 'seconds', value: '7', want: 7000 },
    { description: 'zero seconds', value: '0', want: 0 },
    { description: 'an HTTP date 90 s ahead', value: 'Fri, 27 Nov 2026 12:01:30 GMT', want: 90_000 },
    { description: 'an HTTP date in the past', value: 'Fri, 27 Nov 2026 11:00:00 GMT', want: 0 },
    { description: 'garbage', value: 'soon', want: undefined },
    { description: 'a negative number', value: '-5', want: undefined },
  ];
  for (const row of rows) {
    it(`Retry-After: ${row.description}`, () => assert.equal(parseRetryAfter(row.value, NOW), row.want));
  }

  it('backs off exponentially, with jitter between half and all of the step, capped', () => {
    const opts = { baseMs: 1000, maxMs: 60_000 };
    assert.deepEqual([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0, opts)), [500, 1000, 2000, 4000]);
    assert.deepEqual([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0.999999, opts)), [1000, 2000, 4000, 8000]);
    assert.equal(backoffDelay(20, () => 0.999999, opts), 60_000);
  });
});
