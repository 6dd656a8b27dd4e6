// `lakebench plan`: the exact objects a cluster run would submit (SparkApplications, the datagen Job,
// ConfigMaps), printed as multi-document YAML without touching a cluster.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { loadConfig } from '../config/load.js';
import { manifestSchema, type Manifest } from '../datagen/manifest.js';
import { newRunId, RUN_ID_PATTERN } from '../model/run-id.js';
import { planYaml, runPlan } from '../platforms/kubernetes/manifests/plan.js';
import { continuousPlanYaml } from '../platforms/kubernetes/streaming/continuous-plan.js';
import { declaredClusterCpu } from '../platforms/kubernetes/streaming/streaming-sizing.js';
import { BadInputError } from '../util/errors.js';
import { numberOption } from './number-flag.js';

type PlanArgs = { config?: string; scale?: number; runId?: string; manifest?: string };

function readManifest(file: string): Manifest {
  try {
    return manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new BadInputError(`not a datagen manifest: ${(e as Error).message.split('\n')[0]}`, file);
  }
}

export const planCommand = {
  command: 'plan',
  describe: 'Print the Kubernetes objects a cluster run would submit (SparkApplications, datagen Job, ConfigMaps) as YAML, without a cluster',
  builder: (y: Argv) =>
    y
      .option('config', { alias: 'c', type: 'string', describe: 'config YAML with a cluster: section (${VAR} substituted)' })
      .option('scale', numberOption('scale', 'scale factor [default: the config’s]', {}))
      .option('run-id', { type: 'string', describe: 'run id to name and label the objects with [default: a new one]' })
      .option('manifest', { type: 'string', describe: 'a datagen manifest.json: the stage documents carry its file count, totals and fingerprint instead of projected ones' })
      .example('$0 plan --config lakebench.yaml --scale 100 | kubectl apply --dry-run=server -f -', 'let the API server check every object'),
  handler: (args: PlanArgs) => {
    const config = loadConfig(args.config, { scale: args.scale });
    const runId = args.runId ?? newRunId();
    if (!RUN_ID_PATTERN.test(runId)) throw new BadInputError(`expected a run id like 20261121-143005-3fa9c2, got ${runId}`, '--run-id');
    const manifest = args.manifest ? readManifest(args.manifest) : undefined;
    const plan = runPlan(config, { runId, manifest });
    // A continuous run submits the streaming jobs and the landing instead of the batch stages.
    process.stdout.write(config.pipeline.mode === 'continuous' ? continuousPlanYaml(config, plan, manifest, declaredClusterCpu(config)) : planYaml(plan));
  },
};
