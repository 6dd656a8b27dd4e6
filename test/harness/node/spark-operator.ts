// The Kubeflow Spark Operator on the node, installed the way its users do: `helm install` of the
// operator's own chart at the pinned version (copied out of its Go module by
// test/setup/75-cluster-runner.sh), running the stand-in controller image of test/setup/70-images.sh.
// Only values upstream's chart offers are set, each with its reason.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { cacheBin, cacheDir } from '../cache.js';

const run = promisify(execFile);
export const sparkOperatorChart = path.join(cacheDir, 'cluster', 'spark-operator-chart');

export type SparkOperatorInstall = { release: string; namespace: string; uninstall(): Promise<void> };

export async function installSparkOperator(input: {
  kubeconfig: string;
  namespace: string;
  /** The one namespace whose SparkApplications it runs. */
  jobNamespace: string;
  /** Extra environment of the controller (upstream's controller.env). */
  env: Record<string, string>;
}): Promise<SparkOperatorInstall> {
  if (!existsSync(path.join(sparkOperatorChart, 'Chart.yaml'))) throw new Error(`${sparkOperatorChart}: run LAKEBENCH_CACHE=${cacheDir} bash test/setup/75-cluster-runner.sh`);
  const release = 'spark-operator';
  const helm = (args: string[], timeoutMs: number) =>
    run(cacheBin('helm3'), [...args, '--kubeconfig', input.kubeconfig], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }).catch((e: unknown) => {
      const err = e as Error & { stdout?: string; stderr?: string };
      throw new Error(`helm ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
    });
  const env = Object.entries(input.env).flatMap(([name, value], i) => ['--set', `controller.env[${i}].name=${name}`, '--set-string', `controller.env[${i}].value=${value}`]);
  await helm(
    [
      'install', release, sparkOperatorChart,
      '--namespace', input.namespace,
      // The mutating webhook needs a serving certificate and a webhook configuration; upstream
      // allows it off. The runner's SparkApplications carry pod templates, which Spark itself
      // merges, so nothing they need depends on the webhook.
      '--set', 'webhook.enable=false',
      '--set', `spark.jobNamespaces={${input.jobNamespace}}`,
      // The lakebench chart creates the drivers' ServiceAccount and RBAC (spark.serviceAccountName).
      '--set', 'spark.serviceAccount.create=false',
      '--set', 'spark.rbac.create=false',
      // Nothing reads the Spark UI here; one Service per application less.
      '--set', 'controller.uiService.enable=false',
      ...env,
      '--wait', '--timeout', '5m',
    ],
    330_000,
  );
  return {
    release,
    namespace: input.namespace,
    uninstall: async () => {
      await helm(['uninstall', release, '--namespace', input.namespace, '--wait', '--timeout', '2m'], 150_000);
    },
  };
}
