import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelSelector, NodeSelectorTerm, Taint, Toleration } from '../../../src/facts/types.ts';
import { matchesLabelSelector, matchesNodeSelector, matchesRequiredAffinity, tolerates, toleratesHardTaints } from '../../../src/plan/match.ts';

const tol = (o: Partial<Toleration>): Toleration => ({ key: '', operator: 'Equal', value: '', effect: '', ...o });
const taint = (o: Partial<Taint>): Taint => ({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule', ...o });

describe('tolerates: a toleration against one taint', () => {
  const rows: ReadonlyArray<{ description: string; t: Toleration; taint: Taint; want: boolean }> = [
    { description: 'Equal with same key, value and effect', t: tol({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), taint: taint({}), want: true },
    { description: 'Equal with another value', t: tol({ key: 'dedicated', value: 'db', effect: 'NoSchedule' }), taint: taint({}), want: false },
    { description: 'Equal with another effect', t: tol({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }), taint: taint({}), want: false },
    { description: 'Equal with an empty effect tolerates every effect', t: tol({ key: 'dedicated', value: 'gpu' }), taint: taint({ effect: 'NoExecute' }), want: true },
    { description: 'Exists ignores the value', t: tol({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }), taint: taint({ value: 'anything' }), want: true },
    { description: 'Exists with another key', t: tol({ key: 'other', operator: 'Exists' }), taint: taint({}), want: false },
    { description: 'Exists with an empty key tolerates everything', t: tol({ operator: 'Exists' }), taint: taint({ key: 'x', effect: 'NoExecute' }), want: true },
    { description: 'Exists with an empty key still checks the effect', t: tol({ operator: 'Exists', effect: 'NoSchedule' }), taint: taint({ effect: 'NoExecute' }), want: false },
    { description: 'Equal against a taint without value', t: tol({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }), taint: taint({ key: 'node-role.kubernetes.io/control-plane', value: '' }), want: true },
    { description: 'an unknown operator tolerates nothing', t: tol({ key: 'dedicated', operator: 'Like', value: 'gpu' }), taint: taint({}), want: false },
  ];
  for (const row of rows) it(row.description, () => assert.equal(tolerates(row.t, row.taint), row.want));
});

describe('toleratesHardTaints: every NoSchedule/NoExecute taint must be tolerated', () => {
  const rows: ReadonlyArray<{ description: string; tolerations: Toleration[]; taints: Taint[]; want: boolean }> = [
    { description: 'no taints', tolerations: [], taints: [], want: true },
    { description: 'an untolerated NoSchedule taint', tolerations: [], taints: [taint({})], want: false },
    { description: 'an untolerated NoExecute taint', tolerations: [], taints: [taint({ effect: 'NoExecute' })], want: false },
    { description: 'PreferNoSchedule never blocks', tolerations: [], taints: [taint({ effect: 'PreferNoSchedule' })], want: true },
    { description: 'one of two taints tolerated', tolerations: [tol({ key: 'dedicated', operator: 'Exists' })], taints: [taint({}), taint({ key: 'zone' })], want: false },
    { description: 'both taints tolerated', tolerations: [tol({ key: 'dedicated', operator: 'Exists' }), tol({ key: 'zone', value: 'gpu' })], taints: [taint({}), taint({ key: 'zone' })], want: true },
  ];
  for (const row of rows) it(row.description, () => assert.equal(toleratesHardTaints(row.tolerations, row.taints), row.want));
});

describe('matchesNodeSelector', () => {
  const rows: ReadonlyArray<{ description: string; selector: Record<string, string>; labels: Record<string, string>; want: boolean }> = [
    { description: 'empty selector matches any node', selector: {}, labels: {}, want: true },
    { description: 'all pairs present', selector: { disktype: 'ssd', zone: 'a' }, labels: { disktype: 'ssd', zone: 'a', x: 'y' }, want: true },
    { description: 'a value differs', selector: { disktype: 'ssd' }, labels: { disktype: 'hdd' }, want: false },
    { description: 'a key is missing', selector: { disktype: 'ssd' }, labels: {}, want: false },
    { description: 'empty value must be present and empty', selector: { 'node-role.kubernetes.io/worker': '' }, labels: { 'node-role.kubernetes.io/worker': '' }, want: true },
  ];
  for (const row of rows) it(row.description, () => assert.equal(matchesNodeSelector(row.selector, row.labels), row.want));
});

describe('matchesRequiredAffinity: terms ORed, requirements ANDed', () => {
  const term = (o: Partial<NodeSelectorTerm>): NodeSelectorTerm => ({ matchExpressions: [], matchFields: [], ...o });
  const labels = { zone: 'a', disktype: 'ssd', cores: '16' };
  const rows: ReadonlyArray<{ description: string; terms: NodeSelectorTerm[] | null; want: boolean }> = [
    { description: 'no affinity', terms: null, want: true },
    { description: 'In matches', terms: [term({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] })], want: true },
    { description: 'In misses', terms: [term({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['c'] }] })], want: false },
    { description: 'In on a missing key', terms: [term({ matchExpressions: [{ key: 'gpu', operator: 'In', values: ['a'] }] })], want: false },
    { description: 'NotIn matches another value', terms: [term({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['c'] }] })], want: true },
    { description: 'NotIn matches a missing key', terms: [term({ matchExpressions: [{ key: 'gpu', operator: 'NotIn', values: ['a'] }] })], want: true },
    { description: 'NotIn misses its value', terms: [term({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] })], want: false },
    { description: 'Exists', terms: [term({ matchExpressions: [{ key: 'disktype', operator: 'Exists', values: [] }] })], want: true },
    { description: 'DoesNotExist', terms: [term({ matchExpressions: [{ key: 'disktype', operator: 'DoesNotExist', values: [] }] })], want: false },
    { description: 'Gt compares integers', terms: [term({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] })], want: true },
    { description: 'Lt compares integers, not strings', terms: [term({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['9'] }] })], want: false },
    { description: 'Gt on a non-integer label', terms: [term({ matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] })], want: false },
    {
      description: 'expressions of a term are ANDed',
      terms: [term({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disktype', operator: 'In', values: ['hdd'] }] })],
      want: false,
    },
    {
      description: 'terms are ORed',
      terms: [term({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['c'] }] }), term({ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] })],
      want: true,
    },
    { description: 'an empty term matches nothing', terms: [term({})], want: false },
    { description: 'no terms match nothing', terms: [], want: false },
    { description: 'matchFields on metadata.name', terms: [term({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] })], want: true },
    { description: 'matchFields on another node', terms: [term({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] })], want: false },
    { description: 'matchFields on an unsupported field', terms: [term({ matchFields: [{ key: 'spec.unschedulable', operator: 'In', values: ['false'] }] })], want: false },
  ];
  for (const row of rows) it(row.description, () => assert.equal(matchesRequiredAffinity(row.terms, 'n1', labels), row.want));
});

describe('matchesLabelSelector (PodDisruptionBudgets)', () => {
  const sel = (o: Partial<LabelSelector>): LabelSelector => ({ matchLabels: {}, matchExpressions: [], ...o });
  const labels = { app: 'web', tier: 'front' };
  const rows: ReadonlyArray<{ description: string; selector: LabelSelector | null; want: boolean }> = [
    { description: 'null selects nothing', selector: null, want: false },
    { description: 'empty selects everything', selector: sel({}), want: true },
    { description: 'matchLabels all equal', selector: sel({ matchLabels: { app: 'web', tier: 'front' } }), want: true },
    { description: 'matchLabels one differs', selector: sel({ matchLabels: { app: 'web', tier: 'back' } }), want: false },
    { description: 'In', selector: sel({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }), want: true },
    { description: 'NotIn with the value', selector: sel({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }), want: false },
    { description: 'NotIn on a missing key', selector: sel({ matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] }), want: true },
    { description: 'Exists', selector: sel({ matchExpressions: [{ key: 'tier', operator: 'Exists', values: [] }] }), want: true },
    { description: 'DoesNotExist', selector: sel({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: [] }] }), want: false },
    {
      description: 'matchLabels and expressions are ANDed',
      selector: sel({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }),
      want: false,
    },
  ];
  for (const row of rows) it(row.description, () => assert.equal(matchesLabelSelector(row.selector, labels), row.want));
});
