#!/usr/bin/env node
// The `lakebench` CLI. Exit codes: 0 = PASSED or WARNING, 1 = FAILED (or an unexpected error),
// 2 = bad input (config, flags, data, an unreachable endpoint), with a message naming what to fix.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runCommand } from './run-command.js';
import { generateCommand } from './generate-command.js';
import { benchmarkCommand } from './benchmark-command.js';
import { reportCommand } from './report-command.js';
import { resultsCommand } from './results-command.js';
import { planCommand } from './plan-command.js';
import { recommendCommand } from './recommend-command.js';
import { datagenWorkerCommand, datagenFinalizeCommand } from './datagen-worker-command.js';
import { statusCommand } from './status-command.js';
import { cleanupCommand } from './cleanup-command.js';
import { BadInputError } from '../util/errors.js';

try {
  await yargs(hideBin(process.argv))
    .scriptName('lakebench')
    .usage('$0 <command> [options]\n\nStand up a lakehouse benchmark and get a reproducible, comparable scorecard.')
    .command(runCommand)
    .command(generateCommand)
    .command(benchmarkCommand)
    .command(reportCommand)
    .command(resultsCommand)
    .command(planCommand)
    .command(statusCommand)
    .command(cleanupCommand)
    .command(recommendCommand)
    .command(datagenWorkerCommand)
    .command(datagenFinalizeCommand)
    .demandCommand(1, 'choose a command')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .fail((message, error) => {
      throw error ?? new BadInputError(message);
    })
    .parseAsync();
} catch (e) {
  if (e instanceof BadInputError) {
    process.stderr.write(`lakebench: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`lakebench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
