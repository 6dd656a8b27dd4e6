// Options every command shares.
import type { Argv } from 'yargs';

export const commonOptions = <T>(y: Argv<T>) =>
  y
    .option('config', { alias: 'c', type: 'string', describe: 'config YAML (${VAR} and ${VAR:-default} are substituted)' })
    .option('scale', { type: 'number', describe: 'scale factor, 0.01–10000 (1 ≈ 10 GiB of bronze) [default: 0.1]' })
    .option('output', { alias: 'o', type: 'string', describe: 'output folder [default: lakebench-output]' })
    .option('local', { type: 'boolean', describe: 'use the embedded platform (DuckDB in-process) even if a cluster is configured' })
    .option('json', { type: 'boolean', default: false, describe: 'print a machine-readable summary on stdout' });

/** Options of commands that may run on the kubernetes platform. */
export const clusterOptions = <T>(y: Argv<T>) =>
  y
    .option('kubeconfig', { type: 'string', describe: 'kubeconfig file [default: $KUBECONFIG, the in-cluster service account, ~/.kube/config]' })
    .option('wait-for-lease', { type: 'number', describe: 'seconds to wait when another run holds the namespace’s run Lease [default: 0, refuse at once]' });
