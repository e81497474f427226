import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EvaluationRequest, EvaluationResult, NodeEvaluator } from '../../../src/core/evaluator.ts';
import { createMetrics, type Metrics } from '../../../src/http/metrics.ts';
import { NodeQueue } from '../../../src/queue/node-queue.ts';
import { amPayload, buildTestApp, criticalAlert, memoryLogger, postWebhook, RecordingEvaluator } from '../../helpers/app.ts';

/** Lets queued callbacks and promise chains run (no time passes). */
async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function queueWith(evaluator: NodeEvaluator, options: { maxQueued?: number; concurrency?: number; now?: () => Date } = {}): { queue: NodeQueue; metrics: Metrics; log: ReturnType<typeof memoryLogger> } {
  const metrics = createMetrics({ processMetrics: false });
  const log = memoryLogger();
  const queue = new NodeQueue({ evaluator, maxQueued: options.maxQueued ?? 100, concurrency: options.concurrency ?? 2, logger: log.logger, metrics, ...(options.now ? { now: options.now } : {}) });
  return { queue, metrics, log };
}

async function metricValue(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return sample?.value ?? 0;
}

/** An evaluator that counts how many evaluations run at once. */
class ConcurrencyProbe extends RecordingEvaluator {
  active = 0;
  maxActive = 0;
  override async evaluate(request: EvaluationRequest, signal?: AbortSignal): Promise<EvaluationResult> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await settle(2);
      return await super.evaluate(request, signal);
    } finally {
      this.active -= 1;
    }
  }
}

describe('NodeQueue', () => {
  it('idle() resolves at once when there is nothing to do', async () => {
    const { queue } = queueWith(new RecordingEvaluator());
    await queue.idle();
    assert.equal(queue.depth, 0);
  });

  it('evaluates an offered node once, with its alert name and the injected time', async () => {
    const ev = new RecordingEvaluator();
    const now = new Date('2026-11-27T12:00:00Z');
    const { queue } = queueWith(ev, { now: () => now });
    assert.equal(queue.offer('worker-1', 'NodeMemoryPressureCritical'), 'queued');
    await queue.idle();
    assert.deepEqual(ev.requests, [{ node: 'worker-1', alertnames: ['NodeMemoryPressureCritical'], requestedAt: now }]);
  });

  it('one evaluation per node at a time: offers while it runs are coalesced', async () => {
    const ev = new RecordingEvaluator();
    ev.hold = true;
    const { queue } = queueWith(ev);
    assert.equal(queue.offer('a', 'X'), 'queued');
    await settle();
    assert.equal(ev.requests.length, 1);
    for (let i = 0; i < 10; i++) assert.equal(queue.offer('a', 'X'), 'coalesced');
    assert.equal(queue.depth, 1);
    ev.releaseAll();
    await queue.idle();
    assert.equal(ev.requests.length, 1);
  });

  it('offers for a waiting node join it, collecting every alert name once', async () => {
    const ev = new RecordingEvaluator();
    ev.hold = true;
    const { queue } = queueWith(ev, { concurrency: 1 });
    queue.offer('a', 'A');
    assert.equal(queue.offer('b', 'Z'), 'queued');
    assert.equal(queue.offer('b', 'Y'), 'coalesced');
    assert.equal(queue.offer('b', 'Z'), 'coalesced');
    assert.equal(queue.depth, 2);
    ev.releaseAll();
    await queue.idle();
    assert.deepEqual(
      ev.requests.map((r) => [r.node, r.alertnames]),
      [
        ['a', ['A']],
        ['b', ['Y', 'Z']],
      ],
    );
  });

  it('queues a node again once its evaluation has finished', async () => {
    const ev = new RecordingEvaluator();
    const { queue } = queueWith(ev);
    queue.offer('a', 'X');
    await queue.idle();
    assert.equal(queue.offer('a', 'X'), 'queued');
    await queue.idle();
    assert.equal(ev.requests.length, 2);
  });

  it('evaluates different nodes concurrently, never more than `concurrency` at once', async () => {
    const ev = new ConcurrencyProbe();
    const { queue } = queueWith(ev, { concurrency: 3 });
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) queue.offer(n, 'X');
    await queue.idle();
    assert.equal(ev.maxActive, 3);
    assert.deepEqual(
      ev.requests.map((r) => r.node),
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
    );
  });

  it('runs held evaluations of different nodes side by side', async () => {
    const ev = new RecordingEvaluator();
    ev.hold = true;
    const { queue } = queueWith(ev, { concurrency: 2 });
    queue.offer('a', 'X');
    queue.offer('b', 'X');
    queue.offer('c', 'X');
    await settle();
    assert.deepEqual(
      ev.requests.map((r) => r.node),
      ['a', 'b'],
    );
    assert.equal(ev.held, 2);
    ev.releaseAll();
    await queue.idle();
    assert.equal(ev.requests.length, 3);
  });

  it('skips a node in cooldown, asking with the injected time', async () => {
    const seen: Date[] = [];
    const now = new Date('2026-11-27T12:00:00Z');
    const ev = new (class extends RecordingEvaluator {
      override inCooldown(node: string, at?: Date): boolean {
        if (at) seen.push(at);
        return node === 'cool';
      }
    })();
    const { queue } = queueWith(ev, { now: () => now });
    assert.equal(queue.offer('cool', 'X'), 'cooldown');
    assert.equal(queue.offer('warm', 'X'), 'queued');
    await queue.idle();
    assert.deepEqual(
      ev.requests.map((r) => r.node),
      ['warm'],
    );
    assert.deepEqual(seen, [now, now]);
  });

  it('is bounded: beyond the waiting places an offer is refused as full', async () => {
    const ev = new RecordingEvaluator();
    ev.hold = true;
    const { queue } = queueWith(ev, { maxQueued: 2, concurrency: 1 });
    assert.equal(queue.freeSlots, 3);
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((n) => queue.offer(n, 'X')),
      ['queued', 'queued', 'queued', 'full'],
    );
    assert.equal(queue.freeSlots, 0);
    assert.equal(queue.offer('b', 'X'), 'coalesced', 'a waiting node still coalesces when full');
    ev.releaseAll();
    await queue.idle();
    assert.deepEqual(
      ev.requests.map((r) => r.node),
      ['a', 'b', 'c'],
    );
  });

  it('wouldTakePlace: false for waiting, running and cooling nodes', async () => {
    const ev = new RecordingEvaluator();
    ev.hold = true;
    ev.cooldown.add('cool');
    const { queue } = queueWith(ev, { concurrency: 1 });
    queue.offer('running', 'X');
    queue.offer('waiting', 'X');
    assert.equal(queue.wouldTakePlace('running'), false);
    assert.equal(queue.wouldTakePlace('waiting'), false);
    assert.equal(queue.wouldTakePlace('cool'), false);
    assert.equal(queue.wouldTakePlace('new'), true);
    ev.releaseAll();
    await queue.idle();
  });

  it('contains an evaluator that throws: counted as failed, logged, and the queue goes on', async () => {
    const ev = new RecordingEvaluator();
    const original = ev.evaluate.bind(ev);
    ev.evaluate = async (request, signal) => {
      if (request.node === 'bad') throw new Error('boom');
      return original(request, signal);
    };
    const { queue, metrics, log } = queueWith(ev, { concurrency: 1 });
    queue.offer('bad', 'X');
    queue.offer('good', 'X');
    await queue.idle();
    assert.equal(await metricValue(metrics, 'headroom_evaluations_total', { result: 'failed' }), 1);
    assert.equal(await metricValue(metrics, 'headroom_evaluations_total', { result: 'nothing-to-do' }), 1);
    const lines = log.lines();
    assert.ok(lines.some((l) => l.event === 'evaluation-error' && l.node === 'bad'));
    const failed = lines.find((l) => l.event === 'evaluation' && l.node === 'bad');
    assert.equal(failed?.result, 'failed');
    assert.match(String(failed?.reason), /boom/);
    assert.equal(queue.offer('bad', 'X'), 'queued', 'a failed node can be queued again');
    await queue.idle();
  });

  it('contains an evaluator that throws synchronously or throws a non-Error', async () => {
    const throwers: NodeEvaluator[] = [
      {
        inCooldown: () => false,
        evaluate: () => {
          throw new TypeError('sync');
        },
      },
      {
        inCooldown: () => false,
        evaluate: async () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw 'a string';
        },
      },
    ];
    for (const ev of throwers) {
      const { queue, metrics, log } = queueWith(ev);
      queue.offer('n', 'X');
      await queue.idle();
      assert.equal(await metricValue(metrics, 'headroom_evaluations_total', { result: 'failed' }), 1);
      const line = log.lines().find((l) => l.event === 'evaluation');
      assert.match(String(line?.reason), /sync|a string/);
    }
  });

  it('counts results and observes the duration of every evaluation', async () => {
    const ev = new RecordingEvaluator();
    const { queue, metrics } = queueWith(ev);
    for (const n of ['a', 'b', 'c']) queue.offer(n, 'X');
    await queue.idle();
    assert.equal(await metricValue(metrics, 'headroom_evaluations_total', { result: 'nothing-to-do' }), 3);
    assert.match(await metrics.registry.metrics(), /^headroom_evaluation_duration_seconds_count 3$/m);
  });

  it('logs each evaluation with an event field and the alert names', async () => {
    const ev = new RecordingEvaluator();
    const { queue, log } = queueWith(ev);
    queue.offer('a', 'NodeMemoryPressureCritical');
    await queue.idle();
    const line = log.lines().find((l) => l.event === 'evaluation');
    assert.equal(line?.node, 'a');
    assert.deepEqual(line?.alertnames, ['NodeMemoryPressureCritical']);
  });
});

describe('NodeQueue.close', () => {
  it('drains waiting and running work before it resolves', async () => {
    const ev = new ConcurrencyProbe();
    const { queue } = queueWith(ev, { concurrency: 1 });
    for (const n of ['a', 'b', 'c']) queue.offer(n, 'X');
    await queue.close(60_000);
    assert.deepEqual(
      ev.requests.map((r) => r.node),
      ['a', 'b', 'c'],
    );
    assert.equal(queue.depth, 0);
  });

  it('refuses offers after close with "closed" and has no free places', async () => {
    const { queue } = queueWith(new RecordingEvaluator());
    await queue.close(1000);
    assert.equal(queue.offer('a', 'X'), 'closed');
    assert.equal(queue.freeSlots, 0);
    assert.equal(queue.depth, 0);
  });

  it('refuses offers while it is draining', async () => {
    const ev = new RecordingEvaluator();
    ev.hold = true;
    const { queue } = queueWith(ev);
    queue.offer('a', 'X');
    const closing = queue.close(60_000);
    assert.equal(queue.offer('b', 'X'), 'closed');
    ev.releaseAll();
    await closing;
    assert.deepEqual(
      ev.requests.map((r) => r.node),
      ['a'],
    );
  });

  it('on timeout aborts the running evaluation (its signal fires), drops waiting work, and resolves', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const ev = new RecordingEvaluator();
    let aborted = false;
    ev.evaluate = async (request, signal) => {
      ev.requests.push(request);
      await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      aborted = signal?.aborted === true;
      return { node: request.node, result: 'skipped', reason: 'aborted', evicted: [] };
    };
    const { queue, log, metrics } = queueWith(ev, { concurrency: 1 });
    queue.offer('running', 'X');
    queue.offer('waiting', 'X');
    await settle();
    let done = false;
    const closing = queue.close(25_000).then(() => (done = true));
    await settle();
    assert.equal(done, false, 'close resolved before the timeout');
    t.mock.timers.tick(25_000);
    await closing;
    assert.equal(aborted, true);
    assert.deepEqual(
      ev.requests.map((r) => r.node),
      ['running'],
    );
    assert.ok(log.lines().some((l) => l.event === 'queue-drain-timeout'));
    assert.equal(await metricValue(metrics, 'headroom_evaluations_total', { result: 'skipped' }), 1);
  });

  it('resolves within a bound even when an evaluation ignores the abort signal', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const ev = new RecordingEvaluator();
    ev.hold = true;
    const { queue, log } = queueWith(ev);
    queue.offer('stuck', 'X');
    await settle();
    let done = false;
    const closing = queue.close(1000).then(() => (done = true));
    await settle();
    t.mock.timers.tick(1000);
    await settle();
    for (let i = 0; i < 10 && !done; i++) {
      t.mock.timers.tick(1000);
      await settle();
    }
    assert.equal(done, true, 'close() waits forever for an evaluation that ignores its signal');
    await closing;
    assert.equal(ev.signals[0]?.aborted, true);
    assert.ok(log.lines().some((l) => l.event === 'queue-drain-timeout'));
    ev.releaseAll();
  });

  it('closes through app.close(): buildApp wires the queue into onClose', async () => {
    const app = buildTestApp();
    app.evaluator.hold = true;
    await postWebhook(app, amPayload([criticalAlert('a')]));
    const closing = app.app.close();
    await settle();
    app.evaluator.releaseAll();
    await closing;
    assert.equal(app.queue.offer('b', 'X'), 'closed');
    assert.equal(app.evaluator.requests.length, 1);
  });
});
