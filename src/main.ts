#!/usr/bin/env node
/**
 * The `headroom` command. The only module that reads `process.env`, argv and signals, and the
 * only one that exits; everything it starts is closed on SIGINT/SIGTERM within a bounded time.
 */
import closeWithGrace from 'close-with-grace';
import { USAGE, parseCommand } from './cli/args.ts';
import { runServe } from './cli/serve.ts';
import { loadConfigFile } from './config/file.ts';
import { formatProblems } from './config/load.ts';
import { createLogger } from './log.ts';

async function main(): Promise<number> {
  const parsed = parseCommand(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`headroom: ${parsed.message}\n${USAGE}\n`);
    return 2;
  }
  const cmd = parsed.value;
  switch (cmd.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'serve': {
      const loaded = await loadConfigFile(cmd.config, process.env);
      if (!loaded.ok) {
        process.stderr.write(`headroom: invalid configuration (${loaded.source}):\n${formatProblems(loaded.problems)}\n`);
        return 2;
      }
      const config = cmd.port === undefined ? loaded.config : { ...loaded.config, server: { ...loaded.config.server, port: cmd.port } };
      const logger = createLogger({ level: process.env.HEADROOM_LOG_LEVEL });
      const app = await runServe(config, logger, process.env);
      closeWithGrace({ delay: (config.server.shutdown_timeout + 5) * 1000 }, async ({ signal, err }) => {
        if (err) logger.error({ event: 'fatal', err }, 'shutting down after an error');
        logger.info({ event: 'stopping', signal }, 'draining and closing');
        await app.close();
      });
      return -1;
    }
    case 'demo':
    case 'once':
    case 'rules':
      process.stderr.write(`headroom: "${cmd.command}" is not available in this build yet\n`);
      return 2;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`headroom: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
