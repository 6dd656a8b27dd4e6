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
import { runBatch, type BatchResult } from '../pipeline/run-batch.js';
import { runContinuous } from '../pipeline/run-continuous.js';
import type { LakebenchConfig } from '../config/schema.js';
import { BadInputError } from '../util/errors.js';
import type { Progress } from '../pipeline/progress.js';
import { BATCH_STAGES, type BatchStage } from '../model/stage-report.js';
import { defaultStageTimeoutSeconds } from '../model/scale.js';

type RunArgs = CommonArgs & ClusterArgs & { stage?: BatchStage; timeout?: number; skipBenchmark?: boolean; generate?: boolean; metricsPort?: number; wait?: number; mode?: 'batch' | 'continuous'; duration?: number };

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
      .option('mode', { choices: ['batch', 'continuous'] as const, describe: 'batch: the stages once, then the benchmark; continuous: stream while files keep landing, with in-stream rounds [default: pipeline.mode]' })
      .option('duration', numberOption('duration', 'continuous mode: seconds to stream, at least 60 [default: continuous.durationSeconds]', { integer: true, min: 60, max: MAX_TIMEOUT_SECONDS }))
      .option('metrics-port', { type: 'number', describe: 'serve stage and query gauges for Prometheus on this port (GET /metrics) while the run lasts; at the end, wait up to 60 s for one more scrape' })
      .example('$0 run --local --scale 0.1', 'embedded run at about 1 GiB of bronze')
      .example('$0 run --config lakebench.yaml --stage silver-build', 'rebuild silver only')
      .example('$0 run --local --mode continuous --duration 600', 'stream for 10 minutes while files land, with in-stream rounds'),
  handler: async (args: RunArgs) => {
    const config = withModeFlags(resolveConfig(args), args);
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

/**
 * `--mode` and `--duration` over the config's pipeline.mode and continuous.durationSeconds. A flag that
 * only continuous mode reads, or one that continuous mode cannot honour, is refused naming it.
 */
export function withModeFlags(config: LakebenchConfig, args: Pick<RunArgs, 'mode' | 'duration' | 'stage' | 'skipBenchmark'>): LakebenchConfig {
  const mode = args.mode ?? config.pipeline.mode;
  if (mode !== 'continuous') {
    if (args.duration !== undefined) throw new BadInputError('only with --mode continuous (or pipeline.mode: continuous)', '--duration');
    return args.mode ? { ...config, pipeline: { ...config.pipeline, mode } } : config;
  }
  if (args.stage) throw new BadInputError('continuous mode streams all of its jobs together; --stage runs one batch stage (use --mode batch)', '--stage');
  if (args.skipBenchmark) throw new BadInputError('continuous mode has no separate benchmark to skip; its rounds follow continuous.rounds.schedule', '--skip-benchmark');
  return {
    ...config,
    pipeline: { ...config.pipeline, mode },
    continuous: { ...config.continuous, durationSeconds: args.duration ?? config.continuous.durationSeconds },
  };
}

async function runAndReport(args: RunArgs, config: ReturnType<typeof resolveConfig>, progress: Progress): Promise<void> {
  const timeoutSeconds = args.timeout ?? config.pipeline.timeoutSeconds ?? defaultStageTimeoutSeconds(config.scale);
  const platform = commandPlatform(config, args, timeoutSeconds, (line) => progress.line(line));
  const { local, remote } = await resultStores(config);
  if (config.pipeline.mode === 'continuous') {
    // Refused before the output lock and any record: what this platform cannot stream.
    platform.checkContinuous(config);
    const lock = await platform.lockOutput('run', args.wait, (line) => progress.line(line));
    const result = await runContinuous({ config, platform, local, remote, progress }).finally(() => lock?.release());
    printResult(args, local.root, result);
    return;
  }
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
  printResult(args, local.root, result);
}

function printResult(args: RunArgs, root: string, result: BatchResult): void {
  const report = path.join(root, result.reportKey);
  const metricsPath = path.join(root, 'runs', result.metrics.run_id, 'metrics.json');
  process.stdout.write(args.json ? `${jsonSummary(result.metrics, report, metricsPath)}\n` : scorecardText(result.metrics, report));
  process.exitCode = result.exitCode;
}
