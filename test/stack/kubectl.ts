/**
 * kubectl v1.37.2 for the deploy tests, built with the rest of the test stack by
 * test/stack/kube/build.sh (cached): render the kustomize base and apply objects to a test API
 * server exactly as a user would.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { kubeBinDir } from './kube-cluster.ts';

/** The repository's deploy/ folder. */
export const deployDir = fileURLToPath(new URL('../../deploy/', import.meta.url));

/** What a kubectl run printed, and how it ended. */
export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A Kubernetes object as rendered: enough typing to find and inspect it. */
export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** Runs kubectl with `args` (and `input` on stdin); never throws for a non-zero exit. */
export async function kubectl(args: readonly string[], opts: { input?: string; kubeconfig?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  const bin = join(await kubeBinDir(), 'kubectl');
  // An empty KUBECONFIG would make kubectl read ~/.kube/config: point it at nothing instead.
  const env = { ...process.env, KUBECONFIG: opts.kubeconfig ?? '/dev/null' };
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, [...args], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    proc.once('error', reject);
    proc.once('close', (code) => resolve({ code, stdout, stderr }));
    proc.stdin.end(opts.input ?? '');
  });
}

/** Parses a multi-document YAML stream; throws on any YAML error. */
export function parseManifests(text: string): KubeManifest[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJSON() as KubeManifest;
  }).filter((m) => m !== null);
}

/** `kubectl kustomize deploy/`, parsed; throws with kubectl's message if it fails. */
export async function renderDeploy(dir = deployDir): Promise<{ text: string; objects: KubeManifest[] }> {
  const res = await kubectl(['kustomize', dir]);
  if (res.code !== 0) throw new Error(`kubectl kustomize ${dir} exited ${String(res.code)}:\n${res.stderr}`);
  return { text: res.stdout, objects: parseManifests(res.stdout) };
}
