/**
 * Loading the config the way the CLI does: `--config`, else `$HEADROOM_CONFIG`, else the built-in
 * defaults; secrets from the environment on top.
 */
import { open } from 'node:fs/promises';
import { parseConfigText, resolveConfig, withSecretsFromEnv, type ConfigResult } from './load.ts';

/** Largest config file accepted; a config is a few KB, anything huge is a mistake. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads, parses and resolves the config for a CLI command. */
export async function loadConfigFile(path: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<ConfigResult & { source: string }> {
  const file = path ?? (env.HEADROOM_CONFIG !== undefined && env.HEADROOM_CONFIG !== '' ? env.HEADROOM_CONFIG : undefined);
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    let read: { text: string } | { tooLarge: string };
    try {
      read = await readBounded(file, MAX_CONFIG_BYTES);
    } catch (err) {
      return { ok: false, source: file, problems: [{ key: file, value: '(file)', allowed: `a readable file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }] };
    }
    if ('tooLarge' in read) {
      return { ok: false, source: file, problems: [{ key: file, value: read.tooLarge, allowed: `at most ${MAX_CONFIG_BYTES} bytes` }] };
    }
    const parsed = parseConfigText(read.text, file);
    if (!parsed.ok) return { ...parsed, source: file };
    raw = parsed.raw;
  }
  return { ...resolveConfig(withSecretsFromEnv(raw, env)), source: file ?? '(built-in defaults)' };
}

/**
 * Reads at most `max` bytes: a mistaken path to a huge file or a device (`/dev/zero`) is reported,
 * never read whole into memory.
 */
async function readBounded(path: string, max: number): Promise<{ text: string } | { tooLarge: string }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > max) return { tooLarge: `${size} bytes` };
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > max) return { tooLarge: `more than ${max} bytes` };
    return { text: buffer.toString('utf8', 0, length) };
  } finally {
    await handle.close();
  }
}
