/**
 * Is the API server there? `GET /version` through the configured credentials. Used by readiness;
 * permissions are checked by the pre-flight SelfSubjectAccessReviews.
 */
import { VersionApi, type KubeConfig } from '@kubernetes/client-node';

/** Returns null when the API server answers, else why not. Never throws. */
export async function kubeNotReady(kc: KubeConfig, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`API server did not answer within ${timeoutMs} ms`), timeoutMs);
  });
  const call = kc
    .makeApiClient(VersionApi)
    .getCode()
    .then(() => null)
    .catch((err: unknown) => {
      const e = err as { code?: number | string; message?: string };
      return `API server ${kc.getCurrentCluster()?.server ?? ''}: ${e.code !== undefined ? `${e.code} ` : ''}${(e.message ?? String(err)).split('\n')[0] ?? ''}`;
    });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
