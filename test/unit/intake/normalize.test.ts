import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeFromLabels, normalizeAlert, type AlertReading } from '../../../src/intake/normalize.ts';
import { timeOrNull, type PayloadAlert } from '../../../src/intake/payload.ts';

const DEFAULT_LABELS = ['node', 'instance', 'nodename'];

describe('nodeFromLabels', () => {
  const table: Array<{ description: string; labels: Record<string, string>; nodeLabels?: string[]; expected: string | null }> = [
    { description: 'node label', labels: { node: 'worker-1' }, expected: 'worker-1' },
    { description: 'node wins over instance and nodename', labels: { node: 'a', instance: 'b:9100', nodename: 'c' }, expected: 'a' },
    { description: 'instance when there is no node', labels: { instance: 'worker-2', nodename: 'c' }, expected: 'worker-2' },
    { description: 'instance with its port stripped', labels: { instance: 'worker-2:9100' }, expected: 'worker-2' },
    { description: 'IPv4 instance with port', labels: { instance: '10.0.0.7:9100' }, expected: '10.0.0.7' },
    { description: 'bracketed IPv6 with port', labels: { instance: '[::1]:9100' }, expected: '::1' },
    { description: 'bracketed IPv6 without port', labels: { instance: '[fe80::1]' }, expected: 'fe80::1' },
    { description: 'bare IPv6 kept whole', labels: { instance: 'fe80::1:2' }, expected: 'fe80::1:2' },
    { description: 'FQDN with port', labels: { instance: 'ip-10-0-1-2.ec2.internal:9100' }, expected: 'ip-10-0-1-2.ec2.internal' },
    { description: 'a non-numeric suffix is not a port', labels: { instance: 'worker-2:metrics' }, expected: 'worker-2:metrics' },
    { description: 'nodename when there is neither node nor instance', labels: { nodename: 'worker-3' }, expected: 'worker-3' },
    { description: 'an empty node label is skipped', labels: { node: '', instance: 'worker-4:9100' }, expected: 'worker-4' },
    { description: 'an instance that is only a port is skipped', labels: { instance: ':9100', nodename: 'worker-5' }, expected: 'worker-5' },
    { description: 'no node label at all', labels: { alertname: 'Watchdog' }, expected: null },
    { description: 'unicode node names', labels: { node: '节点-1' }, expected: '节点-1' },
    { description: 'configured labels: only those are read', labels: { node: 'a', host: 'b' }, nodeLabels: ['host'], expected: 'b' },
    { description: 'configured labels: in their order', labels: { kubernetes_node: 'k', instance: 'i:1' }, nodeLabels: ['instance', 'kubernetes_node'], expected: 'i' },
    { description: 'configured labels: none present', labels: { node: 'a' }, nodeLabels: ['host'], expected: null },
  ];
  for (const row of table) {
    it(row.description, () => {
      assert.equal(nodeFromLabels(row.labels, row.nodeLabels ?? DEFAULT_LABELS), row.expected);
    });
  }
});

describe('normalizeAlert', () => {
  const reading: AlertReading = { nodeLabels: DEFAULT_LABELS, evictAlertnames: new Set(['NodeOOMImminent']) };
  const wire = (labels: Record<string, string>, extra: Partial<PayloadAlert> = {}): PayloadAlert => ({
    status: 'firing',
    labels,
    annotations: { summary: 's' },
    startsAt: '2026-11-27T11:59:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prom/graph',
    ...extra,
  });

  const classes: Array<{ description: string; labels: Record<string, string>; wantsEviction: boolean }> = [
    { description: 'headroom_action="evict" asks for eviction', labels: { alertname: 'Anything', headroom_action: 'evict', node: 'n' }, wantsEviction: true },
    { description: 'an alertname in eviction.alertnames asks for eviction', labels: { alertname: 'NodeOOMImminent', node: 'n' }, wantsEviction: true },
    { description: 'a warning is notified only', labels: { alertname: 'NodeMemoryPressureWarning', node: 'n' }, wantsEviction: false },
    { description: 'another headroom_action value is notified only', labels: { alertname: 'X', headroom_action: 'notify', node: 'n' }, wantsEviction: false },
    { description: 'headroom_action is case-sensitive', labels: { alertname: 'X', headroom_action: 'EVICT', node: 'n' }, wantsEviction: false },
    { description: 'an alert without alertname is notified only', labels: { node: 'n' }, wantsEviction: false },
  ];
  for (const row of classes) {
    it(row.description, () => {
      assert.equal(normalizeAlert(wire(row.labels), reading).wantsEviction, row.wantsEviction);
    });
  }

  it('keeps status, labels, annotations and generatorURL, and reads the node', () => {
    const a = normalizeAlert(wire({ alertname: 'X', instance: 'w-1:9100' }, { status: 'resolved', endsAt: '2026-11-27T12:05:00Z' }), reading);
    assert.deepEqual(a, {
      status: 'resolved',
      labels: { alertname: 'X', instance: 'w-1:9100' },
      annotations: { summary: 's' },
      startsAt: '2026-11-27T11:59:00Z',
      endsAt: '2026-11-27T12:05:00Z',
      generatorURL: 'http://prom/graph',
      node: 'w-1',
      wantsEviction: false,
    });
  });

  it('fills missing annotations and generatorURL', () => {
    // What the compiled schema hands over when the optional keys are absent.
    const a = normalizeAlert({ status: 'firing', labels: { node: 'n' } } as unknown as PayloadAlert, reading);
    assert.deepEqual(a.annotations, {});
    assert.equal(a.generatorURL, '');
    assert.equal(a.startsAt, null);
    assert.equal(a.endsAt, null);
  });
});

describe('timeOrNull', () => {
  const table: Array<{ description: string; value: string | undefined; expected: string | null }> = [
    { description: 'missing', value: undefined, expected: null },
    { description: 'empty', value: '', expected: null },
    { description: 'Alertmanager zero time', value: '0001-01-01T00:00:00Z', expected: null },
    { description: 'zero time with an offset', value: '0001-01-01T00:00:00+00:00', expected: null },
    { description: 'a real time', value: '2026-11-27T12:00:00.123Z', expected: '2026-11-27T12:00:00.123Z' },
  ];
  for (const row of table) {
    it(row.description, () => {
      assert.equal(timeOrNull(row.value), row.expected);
    });
  }
});
