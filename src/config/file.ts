/**
 * Loading the config the way the CLI does: `--config`, else `$HEADROOM_CONFIG`, else the built-in
 * defaults; secrets from the environment on top.
 */
import { readFile } from 'node:fs/promises';
import { parseConfigText, resolveConfig, withSecretsFromEnv, type ConfigResult } from './load.ts';

/** Largest config file accepted; a config is a few KB, anything huge is a mistake. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads, parses and resolves the config for a CLI command. */
export async function loadConfigFile(path: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<ConfigResult & { source: string }> {
  const file = path ?? (env.HEADROOM_CONFIG !== undefined && env.HEADROOM_CONFIG !== '' ? env.HEADROOM_CONFIG : undefined);
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      return { ok: false, source: file, problems: [{ key: file, value: '(file)', allowed: `a readable file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }] };
    }
    if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
      return { ok: false, source: file, problems: [{ key: file, value: `${Buffer.byteLength(text)} bytes`, allowed: `at most ${MAX_CONFIG_BYTES} bytes` }] };
    }
    const parsed = parseConfigText(text, file);
    if (!parsed.ok) return { ...parsed, source: file };
    raw = parsed.raw;
  }
  return { ...resolveConfig(withSecretsFromEnv(raw, env)), source: file ?? '(built-in defaults)' };
}
