import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareQuantities, parseQuantity, parseValue, quantityValue } from '../../../src/facts/quantity.ts';

const Ki = 1024;
const Mi = 1024 ** 2;
const Gi = 1024 ** 3;

describe('parseValue: Value() of a quantity, as Kubernetes computes it', () => {
  const rows: ReadonlyArray<{ description: string; text: string; value: number }> = [
    { description: 'zero', text: '0', value: 0 },
    { description: 'plain integer', text: '1073741824', value: Gi },
    { description: 'binary Ki', text: '1Ki', value: Ki },
    { description: 'binary Mi', text: '512Mi', value: 512 * Mi },
    { description: 'binary Gi', text: '16Gi', value: 16 * Gi },
    { description: 'binary Ti', text: '2Ti', value: 2 * 1024 ** 4 },
    { description: 'binary Pi', text: '1Pi', value: 1024 ** 5 },
    { description: 'binary Ei is exact as a power of two', text: '1Ei', value: 2 ** 60 },
    { description: 'kubelet-style Ki capacity', text: '16374584Ki', value: 16374584 * Ki },
    { description: 'decimal k', text: '1k', value: 1000 },
    { description: 'decimal M', text: '129M', value: 129e6 },
    { description: 'decimal G', text: '2G', value: 2e9 },
    { description: 'decimal T', text: '1T', value: 1e12 },
    { description: 'decimal P', text: '1P', value: 1e15 },
    { description: 'a bare E is exa, not an exponent', text: '1E', value: 1e18 },
    { description: 'exponent e', text: '129e6', value: 129e6 },
    { description: 'exponent E', text: '1E3', value: 1000 },
    { description: 'exponent with plus sign', text: '5e+2', value: 500 },
    { description: 'negative exponent rounds up to 1', text: '1e-3', value: 1 },
    { description: 'decimal fraction of binary suffix', text: '1.5Gi', value: 1.5 * Gi },
    { description: 'fraction rounds up (102.4 -> 103)', text: '0.1Ki', value: 103 },
    { description: 'fraction just above an integer rounds up', text: '1.0001Ki', value: 1025 },
    { description: 'leading dot', text: '.5Gi', value: Gi / 2 },
    { description: 'trailing dot (Kubernetes allows "1.")', text: '1.', value: 1 },
    { description: 'milli rounds up to a whole byte', text: '100m', value: 1 },
    { description: 'exactly 1000m is 1', text: '1000m', value: 1 },
    { description: '1001m rounds up to 2', text: '1001m', value: 2 },
    { description: 'micro rounds up', text: '1u', value: 1 },
    { description: 'nano rounds up', text: '1n', value: 1 },
    { description: 'far below a nano still rounds up to 1', text: '1e-1000000', value: 1 },
    { description: 'leading zeros', text: '007Mi', value: 7 * Mi },
    { description: 'explicit plus sign', text: '+1Ki', value: Ki },
    { description: 'negative', text: '-1Ki', value: -Ki },
    { description: 'negative fraction rounds away from zero', text: '-1.5', value: -2 },
    { description: 'minus zero is zero', text: '-0', value: 0 },
    { description: 'a bare sign is 0 in Kubernetes', text: '-', value: 0 },
    { description: 'a bare dot is 0 in Kubernetes', text: '.', value: 0 },
    { description: 'a bare suffix is 0 in Kubernetes', text: 'Mi', value: 0 },
    { description: 'largest int64 in decimal', text: '9223372036854775807', value: Number((1n << 63n) - 1n) },
    { description: '9E fits int64', text: '9E', value: 9e18 },
    { description: 'binary values cap at 2^63-1 like Kubernetes', text: '8Ei', value: 2 ** 63 },
    { description: 'huge binary values cap too', text: '99999999Ei', value: 2 ** 63 },
  ];
  for (const row of rows) {
    it(row.description, () => {
      assert.deepEqual(parseValue(row.text), { ok: true, value: row.value });
    });
  }
});

describe('parseQuantity: invalid quantities are typed failures, never NaN', () => {
  const rows: ReadonlyArray<{ description: string; text: string }> = [
    { description: 'empty', text: '' },
    { description: 'uppercase K is not a suffix', text: '1K' },
    { description: 'lowercase ki is not a suffix', text: '1ki' },
    { description: 'space before the suffix', text: '1 Gi' },
    { description: 'leading space (trimming is the JSON reader\'s job)', text: ' 1Gi' },
    { description: 'trailing space', text: '1Gi ' },
    { description: 'a lone e is not an exponent', text: '1e' },
    { description: 'exponent without digits', text: '1E+' },
    { description: 'two dots', text: '1.5.5' },
    { description: 'digits after a binary suffix', text: '1Mi5' },
    { description: 'suffix then exponent', text: '1e3Mi' },
    { description: 'hex', text: '0x10' },
    { description: 'words', text: 'lots' },
    { description: 'double sign', text: '+-1' },
    { description: 'decimal beyond int64', text: '10E' },
    { description: 'int64 max + 1', text: '9223372036854775808' },
    { description: 'huge exponent', text: '1e1000' },
    { description: 'exponent beyond int32 (Kubernetes would wrap it)', text: '1e4294967296' },
    { description: 'longer than 128 characters', text: '1'.padEnd(129, '0') },
  ];
  for (const row of rows) {
    it(row.description, () => {
      const r = parseQuantity(row.text);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error, 'invalid-quantity');
        assert.match(r.message, /invalid quantity/);
      }
      assert.equal(parseValue(row.text).ok, false);
    });
  }
});

describe('compareQuantities: exact, like Quantity.Cmp', () => {
  const rows: ReadonlyArray<{ description: string; a: string; b: string; want: -1 | 0 | 1 }> = [
    { description: '1 equals 1000m', a: '1', b: '1000m', want: 0 },
    { description: '0.1 equals 100m', a: '0.1', b: '100m', want: 0 },
    { description: '1Ki equals 1024', a: '1Ki', b: '1024', want: 0 },
    { description: '1k is less than 1Ki', a: '1k', b: '1Ki', want: -1 },
    { description: '129e6 equals 129M', a: '129e6', b: '129M', want: 0 },
    { description: 'sub-byte differences count (Value() would hide them)', a: '1001m', b: '1002m', want: -1 },
  ];
  for (const row of rows) {
    it(row.description, () => {
      const a = parseQuantity(row.a);
      const b = parseQuantity(row.b);
      assert.ok(a.ok && b.ok);
      assert.equal(compareQuantities(a.quantity, b.quantity), row.want);
    });
  }
});

describe('parseValue fast path', () => {
  it('agrees with the exact parser on integers with any suffix', () => {
    const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.constantFrom(...suffixes), (n, suffix) => {
        const text = `${n}${suffix}`;
        const exact = parseQuantity(text);
        const fast = parseValue(text);
        if (!exact.ok) return !fast.ok;
        return fast.ok && fast.value === quantityValue(exact.quantity);
      }),
    );
  });
});
