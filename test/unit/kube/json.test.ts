import assert from 'node:assert/strict';
import { test } from 'node:test';
import { continueOf, itemsOf } from '../../../src/kube/json.ts';

test('itemsOf: the objects of a list body, and none for a body without an items array', () => {
  assert.deepEqual(itemsOf({ items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] }), [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }]);
  for (const body of [{}, null, 'text', { items: 'x' }, { items: null }]) assert.deepEqual(itemsOf(body), []);
  assert.deepEqual(itemsOf({ items: [1, null, [], { kind: 'Pod' }] }), [{ kind: 'Pod' }], 'entries that are not objects are dropped');
});

test('continueOf: the next page token as the API server names it, none on the last page', () => {
  assert.equal(continueOf({ metadata: { continue: 'abc' } }), 'abc');
  for (const body of [{ metadata: { continue: '' } }, { metadata: {} }, {}, null, { metadata: { continue: 5 } }]) assert.equal(continueOf(body), undefined);
});
