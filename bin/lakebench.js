#!/usr/bin/env node
// Thin launcher: registers tsx in this very process and imports the TypeScript CLI, so a clone works
// without a build step. One process, not a child: in the runner pod this is PID 1, and the kubelet's
// SIGTERM must reach the CLI's handlers (they stop the run's Spark applications and mark the run
// incomplete); a launcher waiting on a child would swallow it until SIGKILL.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../runner/src/cli/main.ts', import.meta.url).href);
