// `lakebench status`: readiness of every component of the release, as a table; exit code 1 when
// something is not ready (or nothing of the release is found).
import type { Argv } from 'yargs';
import { resolveConfig } from './context.js';
import { KubeClient, loadKubeConfig } from '../platforms/kubernetes/client.js';
import { releaseStatus, statusTable } from '../platforms/kubernetes/release-status.js';

type StatusArgs = { config?: string; kubeconfig?: string; namespace?: string; release?: string; json?: boolean };

export const statusCommand = {
  command: 'status',
  describe: 'Show whether every component of the Lakebench release (deployments, statefulsets, services) is ready',
  builder: (y: Argv) =>
    y
      .option('config', { alias: 'c', type: 'string', describe: 'config YAML (cluster.namespace, cluster.release)' })
      .option('kubeconfig', { type: 'string', describe: 'kubeconfig file [default: $KUBECONFIG, the pod’s ServiceAccount, ~/.kube/config]' })
      .option('namespace', { alias: 'n', type: 'string', describe: 'namespace [default: cluster.namespace]' })
      .option('release', { type: 'string', describe: 'Helm release name [default: cluster.release]' })
      .option('json', { type: 'boolean', default: false, describe: 'print the components as JSON' }),
  handler: async (args: StatusArgs) => {
    const config = resolveConfig({ config: args.config });
    const namespace = args.namespace ?? config.cluster?.namespace ?? 'lakebench';
    const release = args.release ?? config.cluster?.release ?? 'lakebench';
    const client = new KubeClient(loadKubeConfig(args.kubeconfig), { namespace });
    const rows = await releaseStatus(client, release);
    const allReady = rows.length > 0 && rows.every((r) => r.ready);
    if (args.json) process.stdout.write(`${JSON.stringify({ namespace, release, ready: allReady, components: rows }, null, 2)}\n`);
    else if (rows.length === 0) process.stdout.write(`no components of release ${release} in namespace ${namespace}\n`);
    else process.stdout.write(`${statusTable(rows)}\n\n${allReady ? 'all components ready' : `${rows.filter((r) => !r.ready).length} of ${rows.length} components not ready`}\n`);
    process.exitCode = allReady ? 0 : 1;
  },
};
