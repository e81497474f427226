import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../src/config/load.ts';
import { registerSimulateRoute } from '../../../src/simulate/route.ts';
import { buildTestApp } from '../../helpers/app.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const request = JSON.parse(readFileSync(new URL('../../../examples/worked-example.json', import.meta.url), 'utf8')) as object;
const table = readme.slice(readme.indexOf('<!-- worked-example-table -->'), readme.indexOf('<!-- /worked-example-table -->'));

type Row = { pod: string; scores: number[]; score: number | null; outcome: string };
const rows: Row[] = table
  .split('\n')
  .filter((l) => l.startsWith('| `'))
  .map((l) => {
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    const nums = cells.slice(1, 6).map((c) => (c === '' ? null : Number(c)));
    return { pod: (cells[0] ?? '').replace(/`/g, ''), scores: nums.slice(0, 4).filter((n): n is number => n !== null), score: nums[4] ?? null, outcome: cells[6] ?? '' };
  });

type PlannedPod = { namespace: string; name: string; score: number; scores: { qos: number; memory: number; age: number; replicas: number } };
type Plan = { evictions: PlannedPod[]; protected: Array<{ namespace: string; name: string; reasons: string[] }>; memory: { projectedUsage: number; usage: number }; reachedTarget: boolean };

describe('README worked example', () => {
  it('matches what /simulate returns for examples/worked-example.json', async () => {
    const resolved = resolveConfig({});
    assert.ok(resolved.ok);
    const t = buildTestApp({}, { extraRoutes: (scope) => registerSimulateRoute(scope, { config: resolved.config, rawConfig: {}, now: () => new Date() }) });
    const res = await t.app.inject({ method: 'POST', url: '/simulate', payload: request });
    assert.equal(res.statusCode, 200, res.body);
    const plan = res.json<Plan>();
    assert.equal(rows.length, 4, 'the README table has four rows');
    for (const row of rows) {
      const evicted = plan.evictions.find((e) => `${e.namespace}/${e.name}` === row.pod);
      const prot = plan.protected.find((p) => `${p.namespace}/${p.name}` === row.pod);
      if (row.outcome === 'evicted') {
        assert.ok(evicted, `${row.pod} is evicted`);
        assert.deepEqual(row.scores, [evicted.scores.qos, evicted.scores.memory, evicted.scores.age, evicted.scores.replicas], `${row.pod} scores`);
        assert.equal(row.score, evicted.score, `${row.pod} score`);
      } else {
        assert.ok(prot, `${row.pod} is protected`);
        assert.equal(row.outcome, `protected: ${prot.reasons.map((r) => `\`${r}\``).join(', ')}`);
      }
    }
    assert.equal(plan.evictions.length, rows.filter((r) => r.outcome === 'evicted').length);
    assert.equal(plan.memory.usage, 93.8);
    assert.equal(plan.memory.projectedUsage, 75);
    assert.equal(plan.reachedTarget, true);
    assert.match(readme, /`projectedUsage` 75\.0, `reachedTarget` true/);
    await t.app.close();
  });
});
