/**
 * The channel-neutral reading of an event: a title, a few labelled facts, free text and one line
 * per pod. Every chat renderer formats this same model, so the channels say the same thing.
 */
import { alertKind, type NotifyEvent, type PodOutcome, type ProtectedPod } from '../events.ts';
import type { Priority } from '../../core/priority.ts';

/** Colour intent, mapped by each renderer to what its vendor offers. */
export type Tone = 'bad' | 'warn' | 'good' | 'info';

/** A message ready to be formatted; `omitted` counts per-pod lines left out to fit a limit. */
export type Message = {
  title: string;
  tone: Tone;
  facts: ReadonlyArray<readonly [string, string]>;
  text: string;
  itemsLabel: string;
  items: readonly string[];
  omitted: number;
  footer: string;
};

const PRIORITY_TONE: Record<Priority, Tone> = { info: 'info', warning: 'warn', critical: 'bad', emergency: 'bad' };

/** Reads an event as a {@link Message}. */
export function describe(event: NotifyEvent): Message {
  const base = { tone: PRIORITY_TONE[event.priority], text: '', itemsLabel: '', items: [] as string[], omitted: 0, footer: footer(event) };
  const tag = `[${event.priority.toUpperCase()}]`;
  const where = clusterFacts(event);
  switch (event.type) {
    case 'alert': {
      const { alert, count } = event.delivery;
      const kind = alertKind(event.delivery);
      const name = alert.labels.alertname ?? 'alert';
      const on = event.node !== undefined ? ` on ${event.node}` : '';
      const title = kind === 'resolved' ? `[RESOLVED] ${name}${on}` : kind === 'escalated' ? `${tag} Escalated: ${name}${on}` : `${tag} ${name}${on}`;
      const facts: Array<[string, string]> = [['Alert', name], ...nodeFact(event), ...where, ['Status', kind], ['Priority', event.priority]];
      if (kind !== 'resolved') facts.push(['Seen', `${count} time${count === 1 ? '' : 's'} in a row`]);
      if (alert.startsAt !== null) facts.push(['Since', alert.startsAt]);
      const text = [alert.annotations.summary, alert.annotations.description].filter((s) => s !== undefined && s !== '').join('\n');
      return { ...base, tone: kind === 'resolved' ? 'good' : base.tone, title, facts, text };
    }
    case 'eviction-executed': {
      const counts = outcomeCounts(event.outcomes);
      const dry = event.mode === 'dry-run';
      const n = event.outcomes.length;
      const title = dry ? `${tag} Dry run on ${event.node}: ${counts.evicted} of ${n} pod${n === 1 ? '' : 's'} would be evicted` : `${tag} Evicted ${counts.evicted} of ${n} pod${n === 1 ? '' : 's'} on ${event.node}`;
      const facts: Array<[string, string]> = [['Node', event.node], ...where, ['Mode', event.mode]];
      const memory = memoryText(event.usage, event.projectedUsage, event.target);
      if (memory !== '') facts.push(['Memory', memory]);
      facts.push(['Outcomes', countsText(counts)]);
      return { ...base, title, facts, itemsLabel: 'Pods', items: event.outcomes.map((o) => outcomeLine(o, dry)) };
    }
    case 'eviction-skipped': {
      const prot = event.protected ?? [];
      const facts: Array<[string, string]> = [['Node', event.node], ...where, ['Reason', event.reason]];
      if (prot.length > 0) facts.push(['Protected pods', String(prot.length)]);
      return { ...base, title: `${tag} Eviction skipped on ${event.node}`, facts, itemsLabel: 'Protected pods', items: prot.map(protectedLine) };
    }
    case 'nothing-evictable': {
      const facts: Array<[string, string]> = [['Node', event.node], ...where, ['Protected pods', String(event.protected.length)]];
      return { ...base, title: `${tag} Nothing evictable on ${event.node}`, facts, itemsLabel: 'Protected pods', items: event.protected.map(protectedLine) };
    }
    case 'dependency-failing': {
      const name = event.which === 'prometheus' ? 'Prometheus' : 'Kubernetes';
      const facts: Array<[string, string]> = [['Dependency', name], ...nodeFact(event), ...where];
      return { ...base, title: `${tag} ${name} is failing: headroom cannot act safely`, facts, text: event.message };
    }
  }
}

/** Counts of outcomes, always reported in full even when pod lines are left out. */
export function outcomeCounts(outcomes: readonly PodOutcome[]): { evicted: number; pdbRefused: number; gone: number; failed: number } {
  const c = { evicted: 0, pdbRefused: 0, gone: 0, failed: 0 };
  for (const o of outcomes) {
    if (o.outcome === 'evicted') c.evicted++;
    else if (o.outcome === 'pdb-refused') c.pdbRefused++;
    else if (o.outcome === 'gone') c.gone++;
    else c.failed++;
  }
  return c;
}

function countsText(c: ReturnType<typeof outcomeCounts>): string {
  return `${c.evicted} evicted, ${c.pdbRefused} refused by PDB, ${c.gone} gone, ${c.failed} failed`;
}

function outcomeLine(o: PodOutcome, dry: boolean): string {
  const what = o.outcome === 'evicted' ? (dry ? 'would be evicted' : 'evicted') : o.outcome === 'pdb-refused' ? 'refused by PDB' : o.outcome;
  const extra = [o.reasons !== undefined && o.reasons.length > 0 ? o.reasons.join(', ') : '', o.message ?? ''].filter((s) => s !== '').join('; ');
  return `${o.namespace}/${o.name}: ${what} (score ${o.score.toFixed(1)})${extra !== '' ? ` - ${extra}` : ''}`;
}

function protectedLine(p: ProtectedPod): string {
  return `${p.namespace}/${p.name}: ${p.reasons.join(', ')}`;
}

function memoryText(usage?: number, projected?: number, target?: number): string {
  const parts: string[] = [];
  if (usage !== undefined) parts.push(`${usage.toFixed(1)}% now`);
  if (projected !== undefined) parts.push(`${projected.toFixed(1)}% projected`);
  if (target !== undefined) parts.push(`target ${target.toFixed(0)}%`);
  return parts.join(', ');
}

function nodeFact(event: NotifyEvent): Array<[string, string]> {
  return event.node !== undefined ? [['Node', event.node]] : [];
}

function clusterFacts(event: NotifyEvent): Array<[string, string]> {
  return event.cluster !== undefined ? [['Cluster', event.cluster]] : [];
}

function footer(event: NotifyEvent): string {
  return `headroom${event.cluster !== undefined ? ` · ${event.cluster}` : ''} · ${event.at}`;
}
