import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ShapeError } from '../../../src/facts/read.ts';
import { fastMemoryRequest } from '../../../src/facts/request-fast.ts';
import { exactMemoryRequest } from '../../../src/facts/resources.ts';

/** Mostly what kubectl prints, sometimes what it never would. */
const rarely = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>): fc.Arbitrary<T | U> => fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: odd, weight: 1 });
const quantity = rarely(fc.constantFrom<unknown>('256Mi', '1Gi', '64Mi', '100m', '0', undefined), fc.constantFrom<unknown>(' 1Gi', '-1Mi', 'bad', 1024, null));
const resourceList = rarely(fc.oneof(fc.constant(undefined), fc.record({ memory: quantity, cpu: fc.constantFrom('100m', '1') }, { requiredKeys: ['cpu'] })), fc.constant('x'));
const container = fc.record(
  {
    name: rarely(fc.constantFrom<unknown>('a', 'b', 'c'), fc.constantFrom<unknown>(3, null)),
    resources: rarely(fc.oneof(fc.constant(undefined), fc.record({ requests: resourceList, limits: resourceList }, { requiredKeys: [] })), fc.constant(7)),
    restartPolicy: rarely(fc.constantFrom<unknown>(undefined, 'Always', 'OnFailure'), fc.constant(5)),
  },
  { requiredKeys: ['name'] },
);
const status = fc.record(
  {
    conditions: rarely(fc.oneof(fc.constant(undefined), fc.constant([{ type: 'Ready', status: 'True' }])), fc.constant([{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }])),
    containerStatuses: fc.array(
      fc.record(
        {
          name: rarely(fc.constantFrom<unknown>('a', 'b', 'c'), fc.constantFrom<unknown>('z', 4)),
          allocatedResources: resourceList,
          resources: fc.oneof(fc.constant(undefined), fc.record({ requests: resourceList }, { requiredKeys: [] })),
        },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);
const pod = fc.record(
  {
    spec: rarely(
      fc.record(
        {
          containers: rarely(fc.array(container, { maxLength: 3 }), fc.constant('web')),
          initContainers: fc.array(container, { maxLength: 3 }),
          overhead: rarely(fc.oneof(fc.constant(undefined), fc.record({ memory: quantity })), fc.constant('x')),
          resources: rarely(fc.constant(undefined), fc.record({ requests: resourceList, limits: resourceList }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
      fc.constant(null),
    ),
    status,
  },
  { requiredKeys: [] },
);

function exact(p: Record<string, unknown>): number | 'invalid' {
  try {
    return exactMemoryRequest(p, 'pod');
  } catch (err) {
    if (err instanceof ShapeError) return 'invalid';
    throw err;
  }
}

describe('fastMemoryRequest', () => {
  it('whenever it answers, answers what the exact path answers (and the exact path accepts the pod)', () => {
    fc.assert(
      fc.property(pod, (p) => {
        const fast = fastMemoryRequest(p);
        if (fast !== undefined) assert.equal(fast, exact(p));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for the ordinary kubectl shape (so the fast path is actually taken)', () => {
    const p = {
      spec: { containers: [{ name: 'a', resources: { requests: { memory: '256Mi' }, limits: { memory: '512Mi' } } }], initContainers: [{ name: 'i', resources: { requests: { memory: '64Mi' } }, restartPolicy: 'Always' }] },
      status: { containerStatuses: [{ name: 'a', allocatedResources: { memory: '256Mi' }, resources: { requests: { memory: '256Mi' } } }] },
    };
    assert.equal(fastMemoryRequest(p), 320 * 2 ** 20);
  });
});
