// `lakebench run`: the whole pipeline and the benchmark (or one stage with --stage).
import { checkBenchmarkConfig } from '../benchmark/run-benchmark.js';
import type { Argv } from 'yargs';
import path from 'node:path';
import { commandPlatform, resolveConfig, resultStores, type ClusterArgs, type CommonArgs } from './context.js';
import { clusterOptions, commonOptions, lockOptions } from './options.js';
import { numberOption } from './number-flag.js';
import { MAX_TIMEOUT_SECONDS } from '../config/schema.js';
import { ConsoleProgress } from './console-progress.js';
import { MetricsProgress } from './metrics-progress.js';
import { RunGauges } from '../platforms/kubernetes/run-gauges.js';
import { startMetricsEndpoint, type MetricsEndpoint } from '../platforms/kubernetes/metrics-endpoint.js';
import { scorecardText, jsonSummary } from './scorecard.js';
import { runBatch } from '../pipeline/run-batch.js';
import type { Progress } from '../pipeline/progress.js';
import { BATCH_STAGES, type BatchStage } from '../model/stage-report.js';
import { defaultStageTimeoutSeconds } from '../model/scale.js';

type RunArgs = CommonArgs & ClusterArgs & { stage?: BatchStage; timeout?: number; skipBenchmark?: boolean; generate?: boolean; metricsPort?: number; wait?: number };

/** How long a finished run waits for Prometheus to scrape its final values (twice the chart's default 30 s interval). */
export const FINAL_SCRAPE_WAIT_MS = 60_000;

export const runCommand = {
  command: 'run',
  describe: 'Run the pipeline (datagen if needed → bronze-verify → silver-build → gold-finalize) and the benchmark, then write metrics.json and report.html',
  builder: (y: Argv) =>
    lockOptions(clusterOptions(commonOptions(y)))
      .option('stage', { alias: 's', choices: BATCH_STAGES, describe: 'run only this stage (on existing data)' })
      .option('timeout', { alias: 't', ...numberOption('timeout', 'per-stage timeout in seconds [default: max(3600, scale × 60)]', { min: 0, minExclusive: true, max: MAX_TIMEOUT_SECONDS }) })
      .option('skip-benchmark', { type: 'boolean', default: false, describe: 'skip the query benchmark' })
      .option('generate', { type: 'boolean', default: false, describe: 'run datagen first, resuming files already complete (embedded runs generate anyway when bronze is missing)' })
      .option('metrics-port', { type: 'number', describe: 'serve stage and query gauges for Prometheus on this port (GET /metrics) while the run lasts; at the end, wait up to 60 s for one more scrape' })
      .example('$0 run --local --scale 0.1', 'embedded run at about 1 GiB of bronze')
      .example('$0 run --config lakebench.yaml --stage silver-build', 'rebuild silver only'),
  handler: async (args: RunArgs) => {
    const config = resolveConfig(args);
    // A benchmark setting the run would only refuse hours later, after the pipeline, is refused now.
    checkBenchmarkConfig(config);
    const consoleProgress = new ConsoleProgress(process.stderr);
    // Bound before anything else happens: a port that cannot be served is bad input (exit 2), before a run record exists.
    const gauges = new RunGauges(config.scale);
    const endpoint: MetricsEndpoint | undefined = args.metricsPort === undefined ? undefined : await startMetricsEndpoint(gauges, args.metricsPort);
    const progress = endpoint ? new MetricsProgress(consoleProgress, gauges) : consoleProgress;
    try {
      await runAndReport(args, config, progress);
      if (endpoint && !(await endpoint.waitForScrape(FINAL_SCRAPE_WAIT_MS))) progress.line(`metrics: the final values were not scraped within ${FINAL_SCRAPE_WAIT_MS / 1000} s`);
    } finally {
      await endpoint?.close();
    }
  },
};

async function runAndReport(args: RunArgs, config: ReturnType<typeof resolveConfig>, progress: Progress): Promise<void> {
  const timeoutSeconds = args.timeout ?? config.pipeline.timeoutSeconds ?? defaultStageTimeoutSeconds(config.scale);
  const platform = commandPlatform(config, args, timeoutSeconds, (line) => progress.line(line));
  const { local, remote } = await resultStores(config);
  const stages = args.stage ? [args.stage] : BATCH_STAGES;
  const lock = await platform.lockOutput('run', args.wait, (line) => progress.line(line));
  const result = await runBatch({
    config,
    platform,
    local,
    remote,
    options: { stages, benchmark: !args.skipBenchmark && !args.stage, generate: Boolean(args.generate), generateIfMissing: true, timeoutSeconds },
    progress,
  }).finally(() => lock?.release());
  const report = path.join(local.root, result.reportKey);
  const metricsPath = path.join(local.root, 'runs', result.metrics.run_id, 'metrics.json');
  process.stdout.write(args.json ? `${jsonSummary(result.metrics, report, metricsPath)}\n` : scorecardText(result.metrics, report));
  process.exitCode = result.exitCode;
}
