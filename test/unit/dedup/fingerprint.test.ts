import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fingerprint } from '../../../src/dedup/fingerprint.ts';

const labels = { alertname: 'NodeMemoryPressureCritical', severity: 'critical', node: 'worker-1' };

describe('fingerprint (S1.4)', () => {
  it('is an MD5 hex digest', () => {
    assert.match(fingerprint('firing', labels), /^[0-9a-f]{32}$/);
  });

  it('is MD5 over the status and the labels sorted by name, each length-prefixed', () => {
    const sorted = Object.keys(labels).sort();
    const text = `firing${sorted.map((k) => `\0${k.length}:${k}\0${labels[k as keyof typeof labels].length}:${labels[k as keyof typeof labels]}`).join('')}`;
    assert.equal(fingerprint('firing', labels), createHash('md5').update(text).digest('hex'));
  });

  it('is stable across label order', () => {
    const reversed = Object.fromEntries(Object.entries(labels).reverse());
    assert.equal(fingerprint('firing', reversed), fingerprint('firing', labels));
  });

  it('is stable across label order for any label set (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.constantFrom('firing', 'resolved'), (l, status) => {
        const shuffled = Object.fromEntries(Object.entries(l).reverse());
        assert.equal(fingerprint(status, shuffled), fingerprint(status, l));
      }),
      { numRuns: 200 },
    );
  });

  const differs: Array<{ description: string; a: [string, Record<string, string>]; b: [string, Record<string, string>] }> = [
    { description: 'status firing vs resolved', a: ['firing', labels], b: ['resolved', labels] },
    { description: 'a label value', a: ['firing', labels], b: ['firing', { ...labels, node: 'worker-2' }] },
    { description: 'an extra label', a: ['firing', labels], b: ['firing', { ...labels, pod: 'x' }] },
    { description: 'a missing label', a: ['firing', labels], b: ['firing', { alertname: labels.alertname, node: labels.node }] },
    { description: 'a label name with the same value', a: ['firing', { a: 'x' }], b: ['firing', { b: 'x' }] },
    { description: 'an empty value vs no label', a: ['firing', { a: '' }], b: ['firing', {}] },
    { description: 'boundaries between name and value', a: ['firing', { ab: 'c' }], b: ['firing', { a: 'bc' }] },
    { description: 'boundaries between labels, even with NUL in a value', a: ['firing', { a: 'b', c: 'd' }], b: ['firing', { a: 'b\0c\0d' }] },
    { description: 'boundaries between status and labels', a: ['firing', { a: 'b' }], b: ['firin', { ga: 'b' }] },
    { description: 'unicode values', a: ['firing', { node: '节点-1' }], b: ['firing', { node: '节点-2' }] },
  ];
  for (const row of differs) {
    it(`differs by ${row.description}`, () => {
      assert.notEqual(fingerprint(...row.a), fingerprint(...row.b));
    });
  }

  it('differs by any single label change (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string(), { minKeys: 1 }), fc.string(), (l, extra) => {
        const [name, value] = Object.entries(l)[0] as [string, string];
        fc.pre(extra !== value);
        assert.notEqual(fingerprint('firing', { ...l, [name]: extra }), fingerprint('firing', l));
      }),
      { numRuns: 200 },
    );
  });
});
