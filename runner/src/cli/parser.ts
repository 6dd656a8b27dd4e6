// The `lakebench` command line: every command and the rules that hold for all of them. main.ts runs
// it; tests drive the same parser in-process for the cases a child process per case would make slow.
import yargs, { type Argv } from 'yargs';
import { runCommand } from './run-command.js';
import { generateCommand } from './generate-command.js';
import { benchmarkCommand } from './benchmark-command.js';
import { reportCommand } from './report-command.js';
import { resultsCommand } from './results-command.js';
import { planCommand } from './plan-command.js';
import { recommendCommand } from './recommend-command.js';
import { datagenWorkerCommand, datagenFinalizeCommand } from './datagen-worker-command.js';
import { datagenLandCommand } from './datagen-land-command.js';
import { statusCommand } from './status-command.js';
import { cleanupCommand } from './cleanup-command.js';
import { BadInputError } from '../util/errors.js';

export function lakebenchParser(args: string[]): Argv {
  return yargs(args)
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
    .command(datagenLandCommand)
    .demandCommand(1, 'choose a command')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .fail((message, error) => {
      throw error ?? new BadInputError(message);
    });
}

/**
 * Bad input, exit code 2: a BadInputError, or a usage error yargs throws itself as YError (a flag's
 * coerce check, a flag given without its value).
 */
export function isBadInput(e: unknown): e is Error {
  return e instanceof BadInputError || (e instanceof Error && e.name === 'YError');
}
