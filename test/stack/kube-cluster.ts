/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver and (optionally)
 * kube-controller-manager running only the disruption controller, all on loopback,
 * built from Go modules by test/stack/kube/build.sh and cached outside the repo.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startChild, stopChild, trackDir, waitForChild, type StackChild } from './child.ts';
import { freePort } from './ports.ts';

const buildScript = fileURLToPath(new URL('./kube/build.sh', import.meta.url));

/** A bearer token known to the API server (a line of its --token-auth-file). */
export interface KubeToken {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

/** Options of startKubeCluster. */
export interface KubeClusterOptions {
  /** Also run kube-controller-manager with only the disruption controller (default true). */
  controllerManager?: boolean;
  /** Tokens to accept besides the admin token (which is in group system:masters). */
  extraTokens?: KubeToken[];
  /** Give up on readiness after this many milliseconds (default 60 000). */
  readyTimeoutMs?: number;
}

/** The answer of KubeCluster.request: HTTP status and the parsed JSON body (or text). */
export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

/** A running test control plane. */
export interface KubeCluster {
  /** https://127.0.0.1:<port> of kube-apiserver. */
  url: string;
  /** Token of user "admin" in group system:masters. */
  adminToken: string;
  /** PEM file that verifies the API server's self-signed serving certificate. */
  caFile: string;
  /** Folder holding the kube binaries. */
  binDir: string;
  /** Folder holding keys, kubeconfigs and the logs (etcd.log, kube-apiserver.log, ...). */
  tmpDir: string;
  /** Kubeconfig YAML text that talks to this cluster with the given token. */
  kubeconfigFor(token: string, user?: string): string;
  /** Writes kubeconfigFor(token, user) to path. */
  writeKubeconfig(path: string, who: { token: string; user?: string }): Promise<void>;
  /** One HTTPS call to the API server; the body is sent as JSON unless a string. */
  request<T = unknown>(method: string, path: string, body?: unknown,
    opts?: { token?: string; contentType?: string }): Promise<KubeResponse<T>>;
  /** Stops every process (SIGTERM, SIGKILL after 5 s) and removes tmpDir. */
  stop(): Promise<void>;
}

/** Removes temp folders left by test processes that died by SIGKILL (named after their pid). */
async function sweepStale(root: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const m = /^headroom-(?:kube|etcd)-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = true;
    try { process.kill(pid, 0); } catch (e) { alive = (e as { code?: string }).code === 'EPERM'; }
    if (!alive) await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Runs build.sh (instant when cached; its progress goes to our stderr) and returns the bin folder. */
export function kubeBinDir(): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn('bash', [buildScript], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/go/bin` },
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    proc.once('error', reject);
    proc.once('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last) resolve(last);
      else reject(new Error(`${buildScript} failed (exit ${code}); see its output above`));
    });
  });
}

function httpsCall(url: string, ca: Buffer, method: string, token: string,
  body?: string, contentType?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = httpsRequest(url, { method, ca, headers, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts etcd, kube-apiserver (token auth, RBAC) and, unless disabled,
 * kube-controller-manager with only the disruption controller. Resolves once
 * /readyz answers 200 and the default namespace exists.
 */
export async function startKubeCluster(opts: KubeClusterOptions = {}): Promise<KubeCluster> {
  const binDir = await kubeBinDir();
  // Test data is thrown away: a tmpfs and no fsync make the apiserver much quicker.
  const dataRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  await sweepStale(tmpdir());
  if (dataRoot !== tmpdir()) await sweepStale(dataRoot);
  const tmpDir = await mkdtemp(join(tmpdir(), `headroom-kube-${process.pid}-`));
  const tmpTracked = trackDir(tmpDir);
  const etcdDir = await mkdtemp(join(dataRoot, `headroom-etcd-${process.pid}-`));
  const etcdTracked = trackDir(etcdDir);
  const children: StackChild[] = [];
  const timeout = opts.readyTimeoutMs ?? 60_000;
  const adminToken = randomBytes(24).toString('hex');

  const stop = async (): Promise<void> => {
    for (const c of [...children].reverse()) await stopChild(c);
    await rm(tmpDir, { recursive: true, force: true });
    await rm(etcdDir, { recursive: true, force: true });
    tmpTracked.forget();
    etcdTracked.forget();
  };

  try {
    const [clientPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcdArgs = [
      '--name=headroom', `--data-dir=${etcdDir}`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=headroom=${peerUrl}`, '--logger=zap', '--log-level=warn', '--unsafe-no-fsync',
    ];
    // Built by build.sh with the apiserver (see test/stack/kube/README.md), not Debian's 3.4.
    const etcd = startChild('etcd', join(binDir, 'etcd'), etcdArgs, join(tmpDir, 'etcd.log'));
    children.push(etcd);

    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const saPub = join(tmpDir, 'sa.pub');
    const saKey = join(tmpDir, 'sa.key');
    await writeFile(saPub, publicKey);
    await writeFile(saKey, privateKey, { mode: 0o600 });
    const tokens: KubeToken[] = [
      { token: adminToken, user: 'admin', uid: 'admin', groups: ['system:masters'] },
      ...(opts.extraTokens ?? []),
    ];
    const tokenFile = join(tmpDir, 'tokens.csv');
    await writeFile(tokenFile, tokens.map((t) => `${t.token},${t.user},${t.uid},"${t.groups.join(',')}"\n`).join(''), { mode: 0o600 });
    const certDir = join(tmpDir, 'certs');
    await mkdir(certDir);

    await waitForChild(etcd, 'health', timeout, async () => {
      const res = await fetch(`${etcdUrl}/health`);
      return res.ok;
    });

    const apiArgs = [
      `--etcd-servers=${etcdUrl}`, `--cert-dir=${certDir}`,
      `--secure-port=${apiPort}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none', '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`, `--service-account-signing-key-file=${saKey}`,
      `--token-auth-file=${tokenFile}`, '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount', '--allow-privileged=true',
    ];
    const api = startChild('kube-apiserver', join(binDir, 'kube-apiserver'), apiArgs, join(tmpDir, 'kube-apiserver.log'));
    children.push(api);
    const url = `https://127.0.0.1:${apiPort}`;
    // The self-signed serving cert is written at startup, followed by its CA.
    const caFile = join(certDir, 'apiserver.crt');
    let ca: Buffer | undefined;
    await waitForChild(api, '/readyz', timeout, async () => {
      ca ??= await readFile(caFile);
      return (await httpsCall(`${url}/readyz`, ca, 'GET', adminToken)).status === 200;
    });
    const caPem = ca ?? await readFile(caFile);
    await waitForChild(api, 'namespace default', timeout, async () =>
      (await httpsCall(`${url}/api/v1/namespaces/default`, caPem, 'GET', adminToken)).status === 200);

    const kubeconfigFor = (token: string, user = 'user'): string => [
      'apiVersion: v1', 'kind: Config',
      'clusters:', '- name: headroom-test', '  cluster:',
      `    server: ${url}`, `    certificate-authority: ${JSON.stringify(caFile)}`,
      'users:', `- name: ${JSON.stringify(user)}`, '  user:', `    token: ${JSON.stringify(token)}`,
      'contexts:', '- name: headroom-test', '  context:', '    cluster: headroom-test',
      `    user: ${JSON.stringify(user)}`, '    namespace: default',
      'current-context: headroom-test', '',
    ].join('\n');
    const writeKubeconfig = (path: string, who: { token: string; user?: string }): Promise<void> =>
      writeFile(path, kubeconfigFor(who.token, who.user), { mode: 0o600 });

    if (opts.controllerManager ?? true) {
      const kubeconfig = join(tmpDir, 'admin.kubeconfig');
      await writeKubeconfig(kubeconfig, { token: adminToken, user: 'admin' });
      children.push(startChild('kube-controller-manager', join(binDir, 'kube-controller-manager'), [
        `--kubeconfig=${kubeconfig}`, '--controllers=disruption-controller',
        '--leader-elect=false', '--secure-port=0',
      ], join(tmpDir, 'kube-controller-manager.log')));
    }

    const request = async <T = unknown>(method: string, path: string, body?: unknown,
      o: { token?: string; contentType?: string } = {}): Promise<KubeResponse<T>> => {
      const payload = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
      const res = await httpsCall(url + path, caPem, method, o.token ?? adminToken, payload, o.contentType);
      let parsed: unknown = res.text;
      try { parsed = JSON.parse(res.text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed as T };
    };

    return { url, adminToken, caFile, binDir, tmpDir, kubeconfigFor, writeKubeconfig, request, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
