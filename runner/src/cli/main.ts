#!/usr/bin/env node
// The `lakebench` CLI. Exit codes: 0 = PASSED or WARNING, 1 = FAILED (or an unexpected error),
// 2 = bad input (config, flags, data, an unreachable endpoint), with a message naming what to fix.
import { hideBin } from 'yargs/helpers';
import { isBadInput, lakebenchParser } from './parser.js';

try {
  await lakebenchParser(hideBin(process.argv)).parseAsync();
} catch (e) {
  if (isBadInput(e)) {
    process.stderr.write(`lakebench: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`lakebench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
