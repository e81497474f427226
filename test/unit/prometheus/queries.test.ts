/**
 * The query text headroom sends: defaults, `$node` filling and escaping, per-selector ages for
 * configured queries, the one-node filter and the combined value+age query. That Prometheus
 * accepts and evaluates them as meant is proven in test/integration/prometheus.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combined, DEFAULT_NODE_USAGE, nodeUsagePair, onlyNode, podUsagePair, selectorAgeQuery } from '../../../src/prometheus/queries.ts';
import { vectorSelectors } from '../../../src/prometheus/selectors.ts';

describe('usage queries', () => {
  it('the default node query reads node-exporter and keys by node', () => {
    const pair = nodeUsagePair(undefined);
    assert.equal(pair.custom, false);
    assert.equal(pair.value, DEFAULT_NODE_USAGE);
    assert.deepEqual(vectorSelectors(pair.value), ['node_memory_MemTotal_bytes', 'node_memory_MemAvailable_bytes']);
    assert.match(pair.value, /^max by \(node\)/);
    assert.match(pair.age, /timestamp\(node_memory_MemAvailable_bytes\)/);
  });

  it('the default pod query filters containers and the node, and sums per pod', () => {
    const pair = podUsagePair(undefined, 'worker-1');
    assert.deepEqual(vectorSelectors(pair.value), ['container_memory_working_set_bytes{container!="", container!="POD", node="worker-1"}']);
    assert.match(pair.value, /^sum by \(namespace, pod\)/);
    assert.match(pair.age, /max by \(namespace, pod\) \(timestamp\(container_memory_working_set_bytes\{/);
  });

  it('a hostile node name cannot leave its matcher', () => {
    const pair = podUsagePair(undefined, 'x", __name__=~".+');
    const selectors = vectorSelectors(pair.value);
    assert.equal(selectors.length, 1);
    assert.ok(selectors[0]?.endsWith('node="x\\", __name__=~\\".+"}'), selectors[0]);
  });

  it('$ sequences in a node name are not expanded', () => {
    assert.match(podUsagePair('m{node="$node"}', 'a$&b').value, /node="a\$&b"/);
  });

  it('a configured pod query gets $node everywhere and per-selector ages', () => {
    const pair = podUsagePair('sum by (namespace, pod) (ws{node="$node"}) + 0 * on (namespace, pod) group_left sum by (namespace, pod) (rss{node="$node"})', 'n1');
    assert.equal(pair.custom, true);
    assert.ok(!pair.value.includes('$node'));
    assert.equal(pair.age, selectorAgeQuery(pair.value));
    assert.match(pair.age, /timestamp\(ws\{node="n1"\}\)/);
    assert.match(pair.age, /timestamp\(rss\{node="n1"\}\)/);
    assert.match(pair.age, /"headroom_selector", "ws\{node=\\"n1\\"\}"/);
  });

  it('a configured node query keeps its text and reads ages per selector', () => {
    const pair = nodeUsagePair('sum by (node) (my_node_used_bytes)');
    assert.equal(pair.value, 'sum by (node) (my_node_used_bytes)');
    assert.equal(pair.age, 'label_replace(time() - max(timestamp(my_node_used_bytes)), "headroom_selector", "my_node_used_bytes", "", "")');
  });

  it('a query without selectors has a constant age of 0', () => {
    assert.equal(selectorAgeQuery('vector(1)'), 'vector(0)');
  });

  it('onlyNode matches on the node label of a constructed series', () => {
    assert.equal(onlyNode('q', 'n-$1'), '(q) and on (node) label_replace(vector(1), "node", "n-$$1", "", "")');
  });

  it('combined tags value and age series apart', () => {
    const q = combined({ value: 'v', age: 'a', custom: false });
    assert.match(q, /label_replace\(\n {2}v,\n {2}"headroom_series", "usage", "", ""\n\)\nor\nlabel_replace\(\n {2}a,\n {2}"headroom_series", "age", "", ""\n\)/);
  });
});
