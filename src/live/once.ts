/**
 * `headroom once`: one pass for a CronJob (S5.2) or a maintenance window (S5.3, with
 * `--target-usage`): every node over the threshold (or just `--node`), most loaded first, each
 * evaluated exactly as an alert would have it evaluated, with the same limits. Returns rows for a
 * table; `ok: false` only when the pass could not run at all (no usage, no node list).
 */
import type { EvaluationResult } from '../core/evaluator.ts';
import type { UsageSource } from '../facts/gather-usage.ts';
import type { LiveEvaluation, LiveEvaluator } from './evaluator.ts';

/** One node of the pass. */
export type OnceRow = Readonly<{
  node: string;
  /** Percent of capacity when the pass started (null when unknown). */
  usage: number | null;
  result: EvaluationResult['result'];
  /** `namespace/name` of the pods evicted (in dry-run: that would be). */
  evicted: readonly string[];
  reason: string;
}>;

/** The pass, or why it could not run. */
export type OnceResult = { ok: true; mode: 'dry-run' | 'enforce'; threshold: number; rows: OnceRow[] } | { ok: false; message: string };

/** Inputs of a pass; `now` is the injected clock. */
export type OnceOptions = Readonly<{
  evaluator: LiveEvaluator;
  usage: UsageSource;
  /** Only this node (evaluated even when under the threshold, to say so). */
  node?: string;
  now?: () => Date;
  signal?: AbortSignal;
  /** Each node's evaluation as it completes (the CLI turns them into notifications). */
  onEvaluation?: (evaluation: LiveEvaluation) => void;
}>;

/** Runs the pass; nodes are evaluated one after another to keep the API server's load flat. */
export async function runOnce(o: OnceOptions): Promise<OnceResult> {
  const ev = o.evaluator;
  const now = o.now ?? (() => new Date());
  const init = await ev.init(o.signal);
  if (!init.ok) return { ok: false, message: init.message };
  const [bytes, nodes] = await Promise.all([o.usage.nodeUsage(o.signal), ev.gatherer.nodeList(o.signal)]);
  if (!nodes.ok) return { ok: false, message: `cannot list nodes: ${nodes.message}` };
  if (o.node === undefined && !bytes.ok) return { ok: false, message: `cannot read node usage (${bytes.failure.kind}): ${bytes.failure.message}` };
  const percent = new Map<string, number>();
  for (const n of nodes.value.nodes) {
    const used = bytes.ok ? bytes.value.get(n.name) : undefined;
    if (used !== undefined && n.capacityBytes > 0) percent.set(n.name, (used / n.capacityBytes) * 100);
  }
  const targets = o.node !== undefined ? [o.node] : [...percent].filter(([, p]) => p >= ev.threshold).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n);
  const rows: OnceRow[] = [];
  for (const node of targets) {
    if (o.signal?.aborted) break;
    const r = await ev.evaluateDetailed({ node, alertnames: ['headroom-once'], requestedAt: now() }, o.signal);
    o.onEvaluation?.(r);
    rows.push({ node, usage: r.usagePercent ?? percent.get(node) ?? null, result: r.result.result, evicted: r.result.evicted.map((p) => `${p.namespace}/${p.name}`), reason: r.result.reason ?? '' });
  }
  return { ok: true, mode: ev.mode, threshold: ev.threshold, rows };
}

/** The table `headroom once` prints. */
export function formatOnceTable(r: Extract<OnceResult, { ok: true }>): string {
  const head = `headroom once (${r.mode}): nodes at or over ${r.threshold}%`;
  if (r.rows.length === 0) return `${head}\nno node at or over ${r.threshold}%\n`;
  const cells = [['NODE', 'USAGE', 'RESULT', r.mode === 'dry-run' ? 'WOULD EVICT' : 'EVICTED', 'REASON'], ...r.rows.map((row) => [row.node, row.usage === null ? '-' : `${row.usage.toFixed(1)}%`, row.result, row.evicted.join(',') || '-', row.reason])];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  const lines = cells.map((c) => c.map((v, i) => (i < 4 ? v.padEnd(widths[i] ?? 0) : v)).join('  ').trimEnd());
  return `${head}\n${lines.join('\n')}\n`;
}
