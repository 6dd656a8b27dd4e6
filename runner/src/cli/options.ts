// Options every command shares.
import type { Argv } from 'yargs';
import { numberOption, parseNumberFlag } from './number-flag.js';
import { MAX_TIMEOUT_SECONDS } from '../config/schema.js';

export const commonOptions = <T>(y: Argv<T>) =>
  y
    .option('config', { alias: 'c', type: 'string', describe: 'config YAML (${VAR} and ${VAR:-default} are substituted)' })
    // The range (0.01–10000) is the config schema's, so a file and a flag are refused with the same words.
    .option('scale', numberOption('scale', 'scale factor, 0.01–10000 (1 ≈ 10 GiB of bronze) [default: 0.1]', {}))
    .option('output', { alias: 'o', type: 'string', describe: 'output folder [default: lakebench-output]' })
    .option('local', { type: 'boolean', describe: 'use the embedded platform (DuckDB in-process) even if a cluster is configured' })
    .option('json', { type: 'boolean', default: false, describe: 'print a machine-readable summary on stdout' });

/** Options of commands that may run on the kubernetes platform. */
export const clusterOptions = <T>(y: Argv<T>) =>
  y
    .option('kubeconfig', { type: 'string', describe: 'kubeconfig file [default: $KUBECONFIG, the in-cluster service account, ~/.kube/config]' })
    .option('wait-for-lease', numberOption('wait-for-lease', 'seconds to wait when another run holds the namespace’s run Lease [default: 0, refuse at once]', { min: 0, max: MAX_TIMEOUT_SECONDS }));

/**
 * Options of embedded commands that write the output folder (run, generate, benchmark): `--wait`
 * alone waits for the folder's lock as long as it takes, `--wait <s>` at most that long.
 */
export const lockOptions = <T>(y: Argv<T>) =>
  y.option('wait', {
    type: 'string',
    describe: 'embedded: when another lakebench process holds the output folder, wait for it (alone: without limit; with seconds: at most that long) instead of refusing',
    coerce: (raw: unknown): number => (raw === '' ? Number.POSITIVE_INFINITY : parseNumberFlag('--wait', raw, { min: 0, max: MAX_TIMEOUT_SECONDS })),
  });
