// A run id given on the command line becomes a path (runs/<id>/...), locally and in the bucket, so
// it must have the run-id form and nothing else: `../../x` and friends are refused as bad input.
import { RUN_ID_PATTERN } from '../model/run-id.js';
import { BadInputError } from '../util/errors.js';

export function runIdArgument(value: string, argument: string): string {
  if (!RUN_ID_PATTERN.test(value)) throw new BadInputError(`${JSON.stringify(value)} is not a run id (expected the form 20261121-143005-3fa9c2, as \`lakebench results\` lists them)`, argument);
  return value;
}

/** Warnings of the read-only commands (a skipped index entry): stderr, never the exit code. */
export const warnOnStderr = (message: string): void => void process.stderr.write(`lakebench: warning: ${message}\n`);
