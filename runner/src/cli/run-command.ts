// `lakebench run`: the whole pipeline and the benchmark (or one stage with --stage).
import { checkBenchmarkConfig } from '../benchmark/run-benchmark.js';
import type { Argv } from 'yargs';
import path from 'node:path';
import { resolveConfig, resultStores, type CommonArgs } from './context.js';
import { openPlatform, type ClusterArgs } from './platform-session.js';
import { clusterOptions, commonOptions } from './options.js';
import { ConsoleProgress } from './console-progress.js';
import { scorecardText, jsonSummary } from './scorecard.js';
import { runBatch } from '../pipeline/run-batch.js';
import { BATCH_STAGES, type BatchStage } from '../pipeline/stage-report.js';
import { defaultStageTimeoutSeconds } from '../model/scale.js';

type RunArgs = CommonArgs & ClusterArgs & { stage?: BatchStage; timeout?: number; skipBenchmark?: boolean; generate?: boolean };

export const runCommand = {
  command: 'run',
  describe: 'Run the pipeline (datagen if needed → bronze-verify → silver-build → gold-finalize) and the benchmark, then write metrics.json and report.html',
  builder: (y: Argv) =>
    clusterOptions(commonOptions(y))
      .option('stage', { alias: 's', choices: BATCH_STAGES, describe: 'run only this stage (on existing data)' })
      .option('timeout', { alias: 't', type: 'number', describe: 'per-stage timeout in seconds [default: max(3600, scale × 60)]' })
      .option('skip-benchmark', { type: 'boolean', default: false, describe: 'skip the query benchmark' })
      .option('generate', { type: 'boolean', default: false, describe: 'run datagen first, resuming files already complete (embedded runs generate anyway when bronze is missing)' })
      .example('$0 run --local --scale 0.1', 'embedded run at about 1 GiB of bronze')
      .example('$0 run --config lakebench.yaml --stage silver-build', 'rebuild silver only'),
  handler: async (args: RunArgs) => {
    const config = resolveConfig(args);
    // A benchmark setting the run would only refuse hours later, after the pipeline, is refused now.
    checkBenchmarkConfig(config);
    const progress = new ConsoleProgress(process.stderr);
    const timeoutSeconds = args.timeout ?? config.pipeline.timeoutSeconds ?? defaultStageTimeoutSeconds(config.scale);
    const session = openPlatform(config, args, timeoutSeconds, (line) => progress.line(line));
    const { local, remote } = await resultStores(config);
    const stages = args.stage ? [args.stage] : BATCH_STAGES;
    const result = await runBatch(
      config,
      session.platform,
      local,
      remote,
      {
        stages,
        benchmark: !args.skipBenchmark && !args.stage,
        generate: Boolean(args.generate),
        generateIfMissing: true,
        timeoutSeconds,
        prepare: session.prepare,
      },
      progress,
      session.preflight,
    );
    const report = path.join(local.root, result.reportKey);
    const metricsPath = path.join(local.root, 'runs', result.metrics.run_id, 'metrics.json');
    process.stdout.write(args.json ? `${jsonSummary(result.metrics, report, metricsPath)}\n` : scorecardText(result.metrics, report));
    process.exitCode = result.exitCode;
  },
};
