/**
 * The Dockerfile without Docker: hadolint and our own rules (scripts/lint-dockerfile.sh), then the
 * runtime stage's steps in a clean folder, read from the Dockerfile itself: what it copies, its
 * `npm ci --omit=dev`, the build output, and its ENTRYPOINT and CMD run with Node 24. What this
 * cannot show: the base image's own contents (node:24-slim is pulled by Docker, not here).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../stack/ports.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node24 = join(root, 'node_modules/.bin/node');
const work = mkdtempSync(join(tmpdir(), 'headroom-dockerfile-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The instructions of each stage, comments dropped and continuation lines joined. */
function stages(text: string): Array<Array<{ op: string; args: string }>> {
  const out: Array<Array<{ op: string; args: string }>> = [];
  const joined = text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').replace(/\\\n/g, ' ');
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*\S)\s*$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const op = m[1].toUpperCase();
    if (op === 'FROM') out.push([]);
    out.at(-1)?.push({ op, args: m[2] });
  }
  return out;
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: 120_000 });
}

/** The script's verdict on a Dockerfile text. */
function lint(text: string, name: string): { status: number | null; output: string } {
  const file = join(work, name);
  writeFileSync(file, text);
  const r = run('bash', [join(root, 'scripts/lint-dockerfile.sh'), file], { cwd: root });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('scripts/lint-dockerfile.sh', () => {
  it('passes the Dockerfile: hadolint 2.15.1 and our rules', () => {
    const r = lint(dockerfile, 'Dockerfile');
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /hadolint 2\.15\.1 and headroom's rules pass/);
  });

  // Each of our rules catches the mistake it is for (hadolint may report more on top).
  const broken: Array<[string, (t: string) => string, RegExp]> = [
    ['a latest base image', (t) => t.replace('FROM node:24-slim AS runtime', 'FROM node:latest AS runtime'), /node:latest: name a tag or digest/],
    ['an untagged base image', (t) => t.replace('FROM node:24-slim AS build', 'FROM node AS build'), /FROM node: name a tag or digest/],
    ['a user name', (t) => t.replace('USER 1000:1000', 'USER node'), /USER node is not numeric/],
    ['root', (t) => t.replace('USER 1000:1000', 'USER 0'), /USER 0 is root/],
    ['no USER', (t) => t.replace('USER 1000:1000\n', ''), /no USER/],
    ['npm ci with dev dependencies', (t) => t.replace('npm ci --omit=dev', 'npm ci'), /npm ci without --omit=dev/],
    ['npm install', (t) => t.replace('npm ci --omit=dev', 'npm install --omit=dev'), /use npm ci, not npm install/],
    ['no COPY --from', (t) => t.replace(/^COPY --from=build.*\n/m, ''), /no COPY --from/],
    ['the source in the runtime image', (t) => t.replace('COPY alert-rules ./alert-rules', 'COPY . .'), /copies source or the whole context/],
    ['a shell-form ENTRYPOINT', (t) => t.replace('ENTRYPOINT ["node", "dist/main.js"]', 'ENTRYPOINT node dist/main.js'), /ENTRYPOINT must be in exec form/],
  ];
  for (const [what, mutate, message] of broken) {
    it(`fails on ${what}`, () => {
      const text = mutate(dockerfile);
      assert.notEqual(text, dockerfile, 'the mutation did not apply: the Dockerfile changed, update this test');
      const r = lint(text, `Dockerfile.${what.replace(/\W+/g, '-')}`);
      assert.equal(r.status, 1, r.output);
      assert.match(r.output, message);
    });
  }
});

describe('the runtime stage, run without Docker', () => {
  const final = stages(dockerfile).at(-1) ?? [];
  const app = join(work, 'app');
  const home = join(work, 'home');
  // Node 24 first on PATH (npm runs on it too); a HOME of its own and no KUBECONFIG, like the image.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, HOME: home };
  delete env.KUBECONFIG;
  delete env.KUBERNETES_SERVICE_HOST;
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  const filesOf = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();
  let filesAfterInstall: string[] = [];

  before(async () => {
    mkdirSync(home);
    for (const { op, args } of final) {
      if (op === 'ENV') for (const [k, v] of args.split(/\s+/).map((kv) => kv.split('='))) if (k && v !== undefined) env[k] = v;
      if (op === 'ENTRYPOINT') entrypoint = JSON.parse(args) as string[];
      if (op === 'CMD') cmd = JSON.parse(args) as string[];
    }
    // COPY from the context (package files, alert-rules) as written; COPY --from=build is the
    // compiled dist/, built here the way the build stage's `npm run build` does.
    const copies = final.filter((i) => i.op === 'COPY');
    for (const { args } of copies) {
      const parts = args.split(/\s+/);
      const dest = join(app, parts.at(-1) ?? '.');
      if (parts[0]?.startsWith('--from=')) continue;
      for (const src of parts.slice(0, -1)) cpSync(join(root, src), parts.length > 2 ? join(dest, src) : dest, { recursive: true });
    }
    const install = final.find((i) => i.op === 'RUN' && i.args.includes('npm ci'));
    assert.ok(install, 'the runtime stage has no RUN npm ci');
    // The same flags; --prefer-offline uses the npm cache. `npm cache clean` is left out: it
    // would empty this machine's cache, and nothing here is an image layer.
    const npmArgs = (/npm ci([^&;]*)/.exec(install.args)?.[1] ?? '').trim().split(/\s+/);
    assert.ok(npmArgs.includes('--omit=dev'));
    const [npm, tsc] = await Promise.all([
      spawnAsync('npm', ['ci', ...npmArgs, '--prefer-offline'], { cwd: app, env }),
      spawnAsync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', join(app, 'dist')], { cwd: root, env }),
    ]);
    assert.equal(npm.code, 0, `npm ci failed:\n${npm.output}`);
    assert.equal(tsc.code, 0, `tsc failed:\n${tsc.output}`);
    filesAfterInstall = filesOf(app);
  });

  /** Runs the image's ENTRYPOINT with these arguments, with Node 24 as the image's `node`. */
  function image(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    assert.equal(entrypoint[0], 'node');
    return run(node24, [...entrypoint.slice(1), ...args], { cwd: app, env: { ...env, ...extraEnv } });
  }

  it('installs only production dependencies', () => {
    const modules = readdirSync(join(app, 'node_modules'));
    for (const dep of ['fastify', '@kubernetes', 'yaml', 'zod']) assert.ok(modules.includes(dep), `${dep} missing`);
    for (const dev of ['typescript', 'eslint', 'node', 'fast-check', 'autocannon']) assert.ok(!modules.includes(dev), `dev dependency ${dev} installed`);
  });

  it('`help` prints the usage with Node 24', () => {
    assert.match(run(node24, ['--version'], { cwd: app }).stdout, /^v24\./);
    const r = image(['help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage:\n {2}headroom serve/);
  });

  it('`rules` prints the shipped rule files', () => {
    const plain = image(['rules']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout, readFileSync(join(root, 'alert-rules/headroom.rules.yml'), 'utf8'));
    const operator = image(['rules', '--format', 'prometheusrule']);
    assert.equal(operator.stdout, readFileSync(join(root, 'deploy/prometheusrule.yaml'), 'utf8'));
  });

  it('the default command (serve) answers /healthz, guards /webhook with the token, and stops on SIGTERM', async () => {
    assert.deepEqual(cmd, ['serve']);
    const port = await freePort();
    const config = join(work, 'serve.yaml');
    writeFileSync(config, `server:\n  host: 127.0.0.1\n  port: ${port}\n`);
    const token = 'dockerfile-test-token-0123456789';
    const proc = spawn(node24, [...entrypoint.slice(1), ...cmd], {
      cwd: app, env: { ...env, HEADROOM_CONFIG: config, HEADROOM_AUTH_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 20_000;
      let health: Response | undefined;
      while (!health && Date.now() < deadline) {
        health = await fetch(`${base}/healthz`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(health?.status, 200, `no /healthz within 20 s:\n${output}`);
      // Neither Prometheus nor a cluster is here: not ready, and saying so.
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.match(((await ready.json()) as { message: string }).message, /prometheus/);
      const webhook = await fetch(`${base}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(webhook.status, 401);
    } finally {
      proc.kill('SIGTERM');
    }
    const timer = setTimeout(() => proc.kill('SIGKILL'), 35_000);
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 0, output);
  });

  it('writes nothing into the app folder (the pod\'s root filesystem is read-only)', () => {
    assert.deepEqual(filesOf(app), filesAfterInstall);
  });
});

function spawnAsync(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    let output = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
    proc.once('error', (err) => resolve({ code: -1, output: `${output}${err.message}` }));
    proc.once('close', (code) => resolve({ code, output }));
  });
}
