import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeQosClass, effectiveMemoryRequest } from '../../../src/facts/resources.ts';

const Mi = 2 ** 20;
type R = { requests?: Record<string, string>; limits?: Record<string, string> };
const c = (name: string, resources: R, restartPolicy?: string): Record<string, unknown> => ({ name, image: 'x', resources, ...(restartPolicy ? { restartPolicy } : {}) });

describe('effectiveMemoryRequest: as the scheduler computes it', () => {
  const rows: ReadonlyArray<{ description: string; pod: Record<string, unknown>; bytes: number }> = [
    { description: 'no containers request anything', pod: { spec: { containers: [c('a', {})] } }, bytes: 0 },
    { description: 'sum of containers', pod: { spec: { containers: [c('a', { requests: { memory: '256Mi' } }), c('b', { requests: { memory: '128Mi' } })] } }, bytes: 384 * Mi },
    { description: 'a missing request defaults to the limit', pod: { spec: { containers: [c('a', { limits: { memory: '300Mi' } })] } }, bytes: 300 * Mi },
    { description: 'an explicit request wins over the limit', pod: { spec: { containers: [c('a', { requests: { memory: '100Mi' }, limits: { memory: '300Mi' } })] } }, bytes: 100 * Mi },
    {
      description: 'a larger init container sets the floor',
      pod: { spec: { containers: [c('a', { requests: { memory: '256Mi' } })], initContainers: [c('init', { requests: { memory: '1Gi' } })] } },
      bytes: 1024 * Mi,
    },
    {
      description: 'a smaller init container does not add',
      pod: { spec: { containers: [c('a', { requests: { memory: '256Mi' } })], initContainers: [c('init', { requests: { memory: '64Mi' } })] } },
      bytes: 256 * Mi,
    },
    {
      description: 'sidecars (restartPolicy Always) add to the sum',
      pod: { spec: { containers: [c('a', { requests: { memory: '256Mi' } })], initContainers: [c('proxy', { requests: { memory: '128Mi' } }, 'Always')] } },
      bytes: 384 * Mi,
    },
    {
      description: 'an init container after a sidecar runs beside it',
      pod: {
        spec: {
          containers: [c('a', { requests: { memory: '256Mi' } })],
          initContainers: [c('proxy', { requests: { memory: '128Mi' } }, 'Always'), c('migrate', { requests: { memory: '1Gi' } })],
        },
      },
      bytes: 1152 * Mi,
    },
    {
      description: 'an init container before a sidecar does not',
      pod: {
        spec: {
          containers: [c('a', { requests: { memory: '256Mi' } })],
          initContainers: [c('migrate', { requests: { memory: '1Gi' } }), c('proxy', { requests: { memory: '128Mi' } }, 'Always')],
        },
      },
      bytes: 1024 * Mi,
    },
    { description: 'overhead is added', pod: { spec: { containers: [c('a', { requests: { memory: '256Mi' } })], overhead: { memory: '64Mi' } } }, bytes: 320 * Mi },
    {
      description: 'pod-level requests replace the containers\' sum',
      pod: { spec: { resources: { requests: { memory: '1Gi' } }, containers: [c('a', { requests: { memory: '256Mi' } })], overhead: { memory: '64Mi' } } },
      bytes: 1088 * Mi,
    },
    { description: 'pod-level limits alone default the request', pod: { spec: { resources: { limits: { memory: '768Mi' } }, containers: [c('a', {})] } }, bytes: 768 * Mi },
    {
      description: 'pod-level limits with container requests: the containers\' sum',
      pod: { spec: { resources: { limits: { memory: '768Mi' } }, containers: [c('a', { requests: { memory: '200Mi' } })] } },
      bytes: 200 * Mi,
    },
    {
      description: 'an in-place resize up counts the larger allocated request',
      pod: {
        spec: { containers: [c('a', { requests: { memory: '256Mi' } })] },
        status: { containerStatuses: [{ name: 'a', allocatedResources: { memory: '512Mi' }, resources: { requests: { memory: '512Mi' } } }] },
      },
      bytes: 512 * Mi,
    },
    {
      description: 'an infeasible resize counts what is allocated, not the spec',
      pod: {
        spec: { containers: [c('a', { requests: { memory: '8Gi' } })] },
        status: {
          conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }],
          containerStatuses: [{ name: 'a', allocatedResources: { memory: '256Mi' }, resources: { requests: { memory: '256Mi' } } }],
        },
      },
      bytes: 256 * Mi,
    },
    { description: 'sub-byte quantities round up per container', pod: { spec: { containers: [c('a', { requests: { memory: '100m' } }), c('b', { requests: { memory: '100m' } })] } }, bytes: 2 },
  ];
  for (const row of rows) {
    it(row.description, () => {
      assert.equal(effectiveMemoryRequest(row.pod, 'pod'), row.bytes);
    });
  }
});

describe('computeQosClass: as ComputePodQOS', () => {
  const g = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } };
  const rows: ReadonlyArray<{ description: string; spec: Record<string, unknown>; qos: string }> = [
    { description: 'nothing requested', spec: { containers: [c('a', {})] }, qos: 'BestEffort' },
    { description: 'requests equal limits for cpu and memory', spec: { containers: [c('a', g)] }, qos: 'Guaranteed' },
    { description: 'limits only (requests default to them)', spec: { containers: [c('a', { limits: { cpu: '1', memory: '1Gi' } })] }, qos: 'Guaranteed' },
    { description: 'equal in value, written differently', spec: { containers: [c('a', { requests: { cpu: '0.1', memory: '1Gi' }, limits: { cpu: '100m', memory: '1024Mi' } })] }, qos: 'Guaranteed' },
    { description: 'memory only, equal', spec: { containers: [c('a', { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } })] }, qos: 'Burstable' },
    { description: 'request below limit', spec: { containers: [c('a', { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } })] }, qos: 'Burstable' },
    { description: 'one Guaranteed and one BestEffort container', spec: { containers: [c('a', g), c('b', {})] }, qos: 'Burstable' },
    { description: 'init containers count', spec: { containers: [c('a', g)], initContainers: [c('i', {})] }, qos: 'Burstable' },
    { description: 'only other resources requested', spec: { containers: [c('a', { requests: { 'ephemeral-storage': '1Gi' } })] }, qos: 'BestEffort' },
    { description: 'explicit zero requests and limits', spec: { containers: [c('a', { requests: { cpu: '0', memory: '0' }, limits: { cpu: '0', memory: '0' } })] }, qos: 'BestEffort' },
    { description: 'pod-level resources decide when set', spec: { resources: { limits: { cpu: '1', memory: '1Gi' } }, containers: [c('a', {})] }, qos: 'Guaranteed' },
    {
      description: 'pod-level limits with container requests below them',
      spec: { resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }, containers: [c('a', {})] },
      qos: 'Burstable',
    },
  ];
  for (const row of rows) {
    it(row.description, () => {
      assert.equal(computeQosClass({ spec: row.spec }, 'pod'), row.qos);
    });
  }
});
