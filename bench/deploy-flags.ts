/**
 * The Node flags deploy/ runs headroom with, read from deploy/deployment.yaml, so benchmarks that
 * measure "as deployed" cannot drift from the manifest.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The container's `NODE_OPTIONS`, split into flags. */
export function deployNodeOptions(): string[] {
  const doc = parse(readFileSync(new URL('../deploy/deployment.yaml', import.meta.url), 'utf8')) as { spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } } };
  const value = doc.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
  if (value === undefined) throw new Error('deploy/deployment.yaml sets no NODE_OPTIONS');
  return value.split(/\s+/).filter((f) => f !== '');
}
