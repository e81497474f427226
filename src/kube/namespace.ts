/**
 * headroom's own namespace, where its state ConfigMap lives: `$HEADROOM_NAMESPACE` or
 * `$POD_NAMESPACE` (downward API), else the service account's namespace file in a pod, else
 * `headroom`, the namespace of `deploy/rbac.yaml`.
 */
import { readFileSync } from 'node:fs';

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** Resolves the namespace; `readFile` is injected for tests. */
export function headroomNamespace(env: Readonly<Record<string, string | undefined>>, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): string {
  for (const name of [env.HEADROOM_NAMESPACE, env.POD_NAMESPACE]) if (name !== undefined && name.trim() !== '') return name.trim();
  try {
    const fromFile = readFile(SA_NAMESPACE_FILE).trim();
    if (fromFile !== '') return fromFile;
  } catch {
    // not in a pod
  }
  return 'headroom';
}
