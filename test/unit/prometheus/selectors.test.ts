/**
 * The selector finder on the PromQL shapes usage queries are written in, and the string escapes
 * that keep a node name inside its string literal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promReplacement, promString, vectorSelectors } from '../../../src/prometheus/selectors.ts';

const rows: Array<{ description: string; promql: string; expected: string[] }> = [
  { description: 'a bare metric', promql: 'up', expected: ['up'] },
  { description: 'a range inside a function, and a division', promql: 'rate(a{x="1"}[5m]) / b', expected: ['a{x="1"}', 'b'] },
  { description: 'aggregation with by before the body', promql: 'sum by (namespace, pod) (c{node="n"})', expected: ['c{node="n"}'] },
  { description: 'aggregation with by after the body', promql: 'sum(x) by (node)', expected: ['x'] },
  { description: 'without and offset', promql: 'max without (instance) (y offset 5m)', expected: ['y'] },
  { description: 'one-to-many join', promql: 'a * on (instance) group_left (nodename) node_uname_info', expected: ['a', 'node_uname_info'] },
  { description: 'group_left without a label list', promql: 'a * on (x) group_left b', expected: ['a', 'b'] },
  { description: 'topk with a parameter', promql: 'topk by (node) (3, x)', expected: ['x'] },
  { description: 'bool comparison', promql: 'x > bool 1', expected: ['x'] },
  { description: 'set operators', promql: 'a and b or c unless d', expected: ['a', 'b', 'c', 'd'] },
  { description: 'a bare matcher block with a brace in a string', promql: '{__name__="foo", job="a}b"} + 1', expected: ['{__name__="foo", job="a}b"}'] },
  { description: 'whitespace before the matchers', promql: 'm {a="b"}', expected: ['m{a="b"}'] },
  { description: 'comments', promql: 'a # b c\n+ d', expected: ['a', 'd'] },
  { description: 'label_replace strings', promql: 'label_replace(m, "dst", "$1", "src", "(.*)")', expected: ['m'] },
  { description: 'numbers with exponents and hex', promql: '1e+5 * m + 0x1F', expected: ['m'] },
  { description: 'the @ modifier with start()', promql: 'm @ start()', expected: ['m'] },
  { description: 'a subquery', promql: 'max_over_time(deriv(m[5m:30s])[10m:1m])', expected: ['m'] },
  { description: 'nested aggregations', promql: 'histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))', expected: ['h_bucket'] },
  { description: 'recording rule names with colons', promql: 'node:usage:ratio > 0.9', expected: ['node:usage:ratio'] },
  { description: 'NaN and Inf are numbers', promql: 'NaN + Inf', expected: [] },
  { description: 'duplicates once', promql: 'a - a{x="1"} + a', expected: ['a', 'a{x="1"}'] },
  { description: 'vector(1) reads nothing', promql: 'vector(1)', expected: [] },
  { description: 'count_values', promql: 'count_values("v", m)', expected: ['m'] },
  { description: 'single-quoted and raw strings', promql: "label_replace(m, 'a', `b\\`, 'c', '')", expected: ['m'] },
];

describe('vectorSelectors', () => {
  for (const row of rows) {
    it(row.description, () => assert.deepEqual(vectorSelectors(row.promql), row.expected));
  }
});

describe('PromQL string escapes', () => {
  it('promString escapes quotes, backslashes and newlines', () => {
    assert.equal(promString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  });

  it('promReplacement doubles $ so label_replace does not expand it', () => {
    assert.equal(promReplacement('node-$1'), '"node-$$1"');
  });

  it('a hostile node name stays inside its matcher', () => {
    const selector = `m{node=${promString('x", __name__=~".+')}}`;
    assert.deepEqual(vectorSelectors(selector), [selector]);
  });
});
