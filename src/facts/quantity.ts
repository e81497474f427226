/**
 * Kubernetes resource quantities (`128Mi`, `1.5Gi`, `129e6`, `100m`), parsed the way
 * `k8s.io/apimachinery/pkg/api/resource.ParseQuantity` does, so a request in a snapshot means the
 * same number of bytes to headroom as it does to the scheduler.
 *
 * Semantics kept from Kubernetes: an optional sign; digits with an optional fraction (`1.`, `.5`
 * and a bare sign are accepted and mean what Kubernetes makes of them); one suffix: binary
 * `Ki..Ei`, decimal `n u m k M G T P E`, or an exponent `e3`/`E-3`/`e+3`; the exact value is rounded
 * up (away from zero) to a whole nano; binary-suffixed values are capped at 2^63-1. `Value()`
 * rounds up to an integer away from zero.
 *
 * Deliberate differences, all on inputs no API server would store: values whose `Value()` does
 * not fit an int64 are a failure (Kubernetes silently overflows), exponents beyond int32 are a
 * failure (Kubernetes wraps them), and text longer than 128 characters is a failure (bounds the
 * work an HTTP body can ask for).
 */

/** How the quantity was written; kept because Kubernetes caps only binary-suffixed values. */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** An exact quantity: its value in nano-units (value * 10^9), rounded up like Kubernetes. */
export type Quantity = Readonly<{ nanos: bigint; format: QuantityFormat }>;

/** Why a quantity was refused, as a value: these strings come from HTTP bodies. */
export type QuantityFailure = Readonly<{ ok: false; error: 'invalid-quantity'; message: string }>;

/** A parsed quantity, or why not. */
export type QuantityResult = Readonly<{ ok: true; quantity: Quantity }> | QuantityFailure;

/** An integer `Value()` (bytes, for memory), or why not. */
export type ValueResult = Readonly<{ ok: true; value: number }> | QuantityFailure;

const MAX_TEXT = 128;
const NANO = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT32_MAX = 2 ** 31 - 1;

const SUFFIXES: Readonly<Record<string, readonly [base: 2 | 10, exponent: number, QuantityFormat]>> = {
  '': [10, 0, 'DecimalSI'],
  n: [10, -9, 'DecimalSI'],
  u: [10, -6, 'DecimalSI'],
  m: [10, -3, 'DecimalSI'],
  k: [10, 3, 'DecimalSI'],
  M: [10, 6, 'DecimalSI'],
  G: [10, 9, 'DecimalSI'],
  T: [10, 12, 'DecimalSI'],
  P: [10, 15, 'DecimalSI'],
  E: [10, 18, 'DecimalSI'],
  Ki: [2, 10, 'BinarySI'],
  Mi: [2, 20, 'BinarySI'],
  Gi: [2, 30, 'BinarySI'],
  Ti: [2, 40, 'BinarySI'],
  Pi: [2, 50, 'BinarySI'],
  Ei: [2, 60, 'BinarySI'],
};

/** Multipliers for the fast path of {@link parseValue}: plain integers with a common suffix. */
const FAST_MULTIPLIER: Readonly<Record<string, number>> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const FAST_FORM = /^([1-9][0-9]{0,14}|0)(|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)$/;

/** Parses one quantity string exactly; never throws, never yields NaN. */
export function parseQuantity(text: string): QuantityResult {
  if (text.length === 0) return failure(text, 'empty');
  if (text.length > MAX_TEXT) return failure(text, `longer than ${MAX_TEXT} characters`);
  const parts = scan(text);
  if (parts === null) return failure(text, 'expected a number followed by an optional suffix such as Mi, G, m or e6');
  const unit = interpretSuffix(parts.suffix);
  if (unit === null) return failure(text, `unknown suffix "${parts.suffix}"`);
  const [base, exponent, format] = unit;
  const digits = (parts.num + parts.denom).replace(/^0+/, '');
  if (digits === '') return { ok: true, quantity: { nanos: 0n, format } };
  const decimalExponent = (base === 10 ? exponent : 0) - parts.denom.length;
  const binaryExponent = base === 2 ? exponent : 0;
  // Whole part has digits.length + decimalExponent digits: beyond 20 it is over int64 (1e19 > 2^63).
  if (base === 10 && digits.length + decimalExponent > 20) return failure(text, 'too large (beyond int64)');
  let nanos = scaleToNanos(BigInt(digits), decimalExponent + 9, binaryExponent, digits.length);
  if (format === 'BinarySI' && nanos > INT64_MAX * NANO) nanos = INT64_MAX * NANO;
  if (ceilDiv(nanos, NANO) > INT64_MAX) return failure(text, 'too large (beyond int64)');
  return { ok: true, quantity: { nanos: parts.positive ? nanos : -nanos, format } };
}

/** Like Kubernetes' `Quantity.Value()`: the integer value, rounded up away from zero. */
export function quantityValue(q: Quantity): number {
  const magnitude = ceilDiv(q.nanos < 0n ? -q.nanos : q.nanos, NANO);
  return Number(q.nanos < 0n ? -magnitude : magnitude);
}

/** Exact comparison, like `Quantity.Cmp`: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Results of `parseValue` by text: a List of 20,000 pods repeats a few dozen quantities. */
const memo = new Map<string, ValueResult>();
const MEMO_LIMIT = 4096;

/**
 * `Value()` of a quantity string (bytes, for memory). Remembered per text (a pure function, so
 * the memo is invisible), plain integers with a common suffix take a fast path, everything else
 * the exact parser.
 */
export function parseValue(text: string): ValueResult {
  let result = memo.get(text);
  if (result === undefined) {
    result = computeValue(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, result);
  }
  return result;
}

function computeValue(text: string): ValueResult {
  const m = FAST_FORM.exec(text);
  if (m !== null) {
    const value = Number(m[1]) * (FAST_MULTIPLIER[m[2] ?? ''] ?? Number.NaN);
    if (Number.isSafeInteger(value)) return { ok: true, value };
  }
  const parsed = parseQuantity(text);
  return parsed.ok ? { ok: true, value: quantityValue(parsed.quantity) } : parsed;
}

type Parts = { positive: boolean; num: string; denom: string; suffix: string };

/** The scanner: sign, digits, optional fraction, then suffix letters, an optional sign, digits. */
function scan(str: string): Parts | null {
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  let i = pos;
  while (i < end && isDigit(str.charCodeAt(i))) i++;
  const num = str.slice(pos, i);
  pos = i;
  let denom = '';
  if (pos < end && str[pos] === '.') {
    i = ++pos;
    while (i < end && isDigit(str.charCodeAt(i))) i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos] ?? '')) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
  if (pos < end) return null;
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(suffix: string): readonly [2 | 10, number, QuantityFormat] | null {
  const known = SUFFIXES[suffix];
  if (known !== undefined) return known;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    return Math.abs(exponent) <= INT32_MAX ? [10, exponent, 'DecimalExponent'] : null;
  }
  return null;
}

/** digits * 10^pow10 * 2^pow2, rounded up to an integer (the value is positive). */
function scaleToNanos(digits: bigint, pow10: number, pow2: number, digitCount: number): bigint {
  // Far below one nano (the largest factor 2^60 is under 10^19): Kubernetes rounds up to 1n.
  if (pow10 < -(digitCount + 20)) return 1n;
  const scaled = digits << BigInt(pow2);
  return pow10 >= 0 ? scaled * 10n ** BigInt(pow10) : ceilDiv(scaled, 10n ** BigInt(-pow10));
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function failure(text: string, why: string): QuantityFailure {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return { ok: false, error: 'invalid-quantity', message: `invalid quantity "${shown}": ${why}` };
}
