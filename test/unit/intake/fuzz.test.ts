import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { amPayload, buildTestApp, criticalAlert, postWebhook, type TestApp } from '../../helpers/app.ts';

const RUNS = 300;

/** Never a 5xx; a 200 carries the four counts, anything else a {error, message} body. */
function assertSaneAnswer(res: LightMyRequestResponse): void {
  assert.ok(res.statusCode < 500, `status ${res.statusCode}: ${res.body.slice(0, 300)}`);
  const body = res.json<Record<string, unknown>>();
  if (res.statusCode === 200) {
    assert.deepEqual(Object.keys(body).sort(), ['deduplicated', 'escalated', 'queued', 'received']);
    for (const v of Object.values(body)) assert.ok(Number.isInteger(v) && (v as number) >= 0);
  } else {
    assert.ok([400, 413, 415].includes(res.statusCode), `unexpected status ${res.statusCode}`);
    assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
    assert.equal(typeof body.error, 'string');
    assert.equal(typeof body.message, 'string');
  }
}

type Path = ReadonlyArray<string | number>;

/** Every path into a valid payload, the root included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation = { kind: 'set'; path: Path; value: unknown } | { kind: 'delete'; path: Path } | { kind: 'rename'; path: Path; name: string };

/** Applies one mutation to a deep copy; returns the new root. */
function mutate(root: unknown, m: Mutation): unknown {
  const copy = structuredClone(root);
  if (m.path.length === 0) return m.kind === 'set' ? m.value : m.kind === 'delete' ? {} : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const key of m.path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = m.path[m.path.length - 1] as string | number;
  if (m.kind === 'set') parent[last] = m.value;
  else if (m.kind === 'delete') delete parent[last];
  else if (!Array.isArray(parent)) {
    const v = parent[last];
    delete parent[last];
    Object.defineProperty(parent, m.name, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const base = amPayload([criticalAlert('worker-1'), { labels: { alertname: 'NodeMemoryPressureWarning', severity: 'warning', instance: 'worker-2:9100' } }]);
const paths = pathsOf(base);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...paths), value: fc.anything({ withNullPrototype: true, withObjectString: true }) }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...paths), value: fc.jsonValue() }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...paths.filter((p) => p.length > 0)) }),
  fc.record({ kind: fc.constant('rename' as const), path: fc.constantFrom(...paths.filter((p) => p.length > 0)), name: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')) }),
);

describe('POST /webhook under random input (property-based)', () => {
  let t: TestApp;
  before(() => {
    t = buildTestApp();
  });
  after(async () => {
    await t.app.close();
  });

  it('random JSON values: never a 5xx, always a JSON answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        assertSaneAnswer(await postWebhook(t, JSON.stringify(value)));
      }),
      { numRuns: RUNS },
    );
  });

  it('random text: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (text) => {
        assertSaneAnswer(await postWebhook(t, text));
      }),
      { numRuns: RUNS },
    );
  });

  it('one random mutation of a valid payload (values from fc.anything, deletions, renamed keys): never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const text = JSON.stringify(mutate(base, m)) ?? 'null';
        assertSaneAnswer(await postWebhook(t, text));
      }),
      { numRuns: RUNS },
    );
  });

  it('several mutations at once: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 2, maxLength: 6 }), async (ms) => {
        let payload: unknown = base;
        for (const m of ms) {
          try {
            payload = mutate(payload, m);
          } catch {
            // A path that an earlier mutation removed; keep what we have.
          }
        }
        assertSaneAnswer(await postWebhook(t, JSON.stringify(payload) ?? 'null'));
      }),
      { numRuns: RUNS },
    );
  });

  it('the process keeps working afterwards and nothing was polluted', async () => {
    await t.queue.idle();
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getOwnPropertyNames(Object.prototype).includes('polluted'), false);
    const res = await postWebhook(t, amPayload([criticalAlert('after-fuzz')]));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
  });
});
