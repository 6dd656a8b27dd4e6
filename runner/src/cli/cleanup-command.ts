// `lakebench cleanup`: stop the release's Spark jobs, Iceberg maintenance, DROP TABLEs, empty the
// layer buckets (delete them only with --delete-buckets). Safe to re-run; exit 1 if a step failed
// (test/engines/cleanup-trino.test.ts and cleanup-spark-thrift.test.ts run it against real Trino and
// the Spark Thrift server, MinIO and kube-apiserver).
import type { Argv } from 'yargs';
import { resolveConfig } from './context.js';
import { KubeClient, loadKubeConfig } from '../platforms/kubernetes/client.js';
import { clusterSettings } from '../platforms/kubernetes/manifests/cluster-settings.js';
import { cleanup } from '../platforms/kubernetes/cleanup.js';
import { openClusterQueryEngine } from '../engines/cluster-engine.js';

type CleanupArgs = { config?: string; kubeconfig?: string; deleteBuckets?: boolean; json?: boolean };

export const cleanupCommand = {
  command: 'cleanup',
  describe: 'Remove what runs left behind: Spark applications, Iceberg tables (after expiring snapshots and orphan files) and the layer buckets’ contents',
  builder: (y: Argv) =>
    y
      .option('config', { alias: 'c', type: 'string', describe: 'config YAML (cluster section)' })
      .option('kubeconfig', { type: 'string', describe: 'kubeconfig file [default: $KUBECONFIG, the pod’s ServiceAccount, ~/.kube/config]' })
      .option('delete-buckets', { type: 'boolean', default: false, describe: 'also delete the bronze, silver and gold buckets' })
      .option('json', { type: 'boolean', default: false, describe: 'print the steps as JSON' }),
  handler: async (args: CleanupArgs) => {
    const config = resolveConfig({ config: args.config });
    const settings = clusterSettings(config);
    const client = new KubeClient(loadKubeConfig(args.kubeconfig), { namespace: settings.namespace });
    // The run's query engine (Trino or the Spark Thrift server); cleanup picks the statements by its
    // dialect, and an engine it has none for fails the 'query engine' step by name.
    const steps = await cleanup(client, settings, () => openClusterQueryEngine(config), {
      deleteBuckets: Boolean(args.deleteBuckets),
      log: (line) => !args.json && process.stderr.write(`${line}\n`),
    });
    if (args.json) process.stdout.write(`${JSON.stringify(steps, null, 2)}\n`);
    const failed = steps.filter((s) => !s.ok);
    if (!args.json) process.stdout.write(failed.length ? `cleanup incomplete: ${failed.map((s) => s.step).join(', ')} failed; re-run to retry\n` : 'cleanup complete\n');
    process.exitCode = failed.length ? 1 : 0;
  },
};
