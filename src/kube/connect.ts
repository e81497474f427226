/**
 * Finding the cluster: an explicit kubeconfig, `$KUBECONFIG` or `~/.kube/config`, else the
 * in-cluster service account. client-node's `loadFromDefault` silently falls back to
 * `http://localhost:8080` when it finds nothing; that fallback is reported as an error here.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** Where a kubeconfig came from, for logs and readiness messages. */
export type KubeSource = 'kubeconfig' | 'in-cluster';

/** A loaded config or the reason none could be loaded. */
export type KubeConnect = { ok: true; kc: KubeConfig; source: KubeSource; server: string } | { ok: false; message: string };

/** Loads the Kubernetes client config from `kubernetes.{kubeconfig, context}` and the environment. */
export function loadKubeConfig(settings: { kubeconfig?: string; context?: string }, env: Readonly<Record<string, string | undefined>>): KubeConnect {
  const kc = new KubeConfig();
  let source: KubeSource = 'kubeconfig';
  try {
    const explicit = settings.kubeconfig ?? env.KUBECONFIG?.split(':').find((p) => p !== '');
    const home = join(env.HOME ?? homedir(), '.kube', 'config');
    if (explicit !== undefined) {
      if (!existsSync(explicit)) return { ok: false, message: `kubeconfig ${explicit} does not exist` };
      kc.loadFromFile(explicit);
    } else if (existsSync(home)) {
      kc.loadFromFile(home);
    } else if (env.KUBERNETES_SERVICE_HOST !== undefined) {
      kc.loadFromCluster();
      source = 'in-cluster';
    } else {
      return { ok: false, message: 'no Kubernetes config: set kubernetes.kubeconfig or $KUBECONFIG, or run in a pod' };
    }
    if (settings.context !== undefined) {
      if (!kc.getContexts().some((c) => c.name === settings.context)) return { ok: false, message: `kubeconfig has no context ${JSON.stringify(settings.context)}` };
      kc.setCurrentContext(settings.context);
    }
  } catch (err) {
    return { ok: false, message: `cannot load Kubernetes config: ${(err as Error).message}` };
  }
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined || server === '') return { ok: false, message: 'Kubernetes config names no cluster server' };
  if (server === 'http://localhost:8080') return { ok: false, message: 'Kubernetes config fell back to http://localhost:8080 (no real cluster configured)' };
  return { ok: true, kc, source, server };
}
