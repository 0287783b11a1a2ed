#!/usr/bin/env node
/**
 * Entry point of the `trellis` command line: `npx trellis --help` (through the launcher in
 * tools/trellis-cli), or `node dist/src/cli.js` after `npm run build`.
 */
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { handleCliError } from './cli/cli-error.handler';
import { CliModule } from './cli/cli.module';
import { CliOutput } from './cli/output/cli-output.service';

async function main(): Promise<void> {
  // NOTE: output piped into a command that stops reading early (`| head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  try {
    await CommandFactory.run(CliModule, {
      cliName: 'trellis',
      logger: ['error'],
      serviceErrorHandler: handleCliError,
    });
  } catch (error) {
    handleCliError(error as Error);
  }
  await new CliOutput().flush();
  // NOTE: exit explicitly: idle keep-alive sockets of fetch must not hold the command open.
  process.exit();
}

void main();
