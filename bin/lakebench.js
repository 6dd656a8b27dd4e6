#!/usr/bin/env node
// Thin launcher: runs the TypeScript CLI through tsx so a clone works without a build step.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const main = path.join(here, '..', 'runner', 'src', 'cli', 'main.ts');
const res = spawnSync(process.execPath, [tsxCli, main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(res.status ?? 1);
