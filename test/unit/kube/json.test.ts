import assert from 'node:assert/strict';
import { test } from 'node:test';
import { itemsOf, rfc3339, toJsonShape } from '../../../src/kube/json.ts';

test('Dates anywhere become RFC 3339 strings as Kubernetes prints them', () => {
  const obj = { metadata: { creationTimestamp: new Date('2026-01-02T03:04:05Z'), labels: { a: 'b' } }, status: { conditions: [{ lastTransitionTime: new Date('2026-01-02T03:04:05.123Z') }], startTime: new Date(0) }, list: [new Date(0)] };
  const out = toJsonShape(obj);
  assert.equal(out, obj);
  assert.deepEqual(JSON.parse(JSON.stringify(out)), {
    metadata: { creationTimestamp: '2026-01-02T03:04:05Z', labels: { a: 'b' } },
    status: { conditions: [{ lastTransitionTime: '2026-01-02T03:04:05.123Z' }], startTime: '1970-01-01T00:00:00Z' },
    list: ['1970-01-01T00:00:00Z'],
  });
  assert.equal(rfc3339(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04:05Z');
});

test('itemsOf tolerates a list without items', () => {
  assert.deepEqual(itemsOf({}), []);
  assert.equal(itemsOf({ items: [{ metadata: { deletionTimestamp: new Date(0) } }] })[0]?.['metadata'] !== undefined, true);
});
