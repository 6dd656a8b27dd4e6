#!/usr/bin/env node
// Thin launcher: registers tsx in this very process and imports the TypeScript CLI, so a clone works
// without a build step. One process, not a child: in the runner pod this is PID 1, and the kubelet's
// SIGTERM must reach the CLI's handlers (they stop the run's Spark applications and mark the run
// incomplete); a launcher waiting on a child would swallow it until SIGKILL.
'use strict';

// DuckDB's Node bindings run each statement on libuv's thread pool (4 threads by default), so a
// throughput benchmark of up to 64 concurrent streams needs that many. The pool is created at the
// first asynchronous file read, which for an ES module entry happens while loading it: this file is
// CommonJS (loaded synchronously) so the setting still applies here.
process.env.UV_THREADPOOL_SIZE ??= '68';

const path = require('node:path');
const { pathToFileURL } = require('node:url');

// tsx's CommonJS build of esm/api (4.23) cannot find its own ES module half: import the ES module.
import('tsx/esm/api')
  .then(({ register }) => {
    register();
    return import(pathToFileURL(path.join(__dirname, '..', 'runner', 'src', 'cli', 'main.ts')).href);
  })
  .catch((e) => {
    process.stderr.write(`lakebench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
