// `lakebench benchmark`: the 8 queries only, on the tables an earlier run left in place.
import type { Argv } from 'yargs';
import path from 'node:path';
import { commandPlatform, resolveConfig, resultStores, type ClusterArgs, type CommonArgs } from './context.js';
import { clusterOptions, commonOptions, lockOptions } from './options.js';
import { numberOption } from './number-flag.js';
import { ConsoleProgress } from './console-progress.js';
import { scorecardText, jsonSummary } from './scorecard.js';
import { runBatch } from '../pipeline/run-batch.js';
import { validateConfig } from '../config/load.js';
import { checkBenchmarkConfig } from '../benchmark/run-benchmark.js';

type BenchArgs = CommonArgs & ClusterArgs & { mode?: 'power' | 'throughput' | 'composite'; streams?: number; iterations?: number; cache?: 'hot' | 'cold'; queryTimeout?: number; wait?: number };

export const benchmarkCommand = {
  command: 'benchmark',
  describe: 'Run the 8-query benchmark (power, throughput or composite) on existing silver and gold tables',
  builder: (y: Argv) =>
    lockOptions(clusterOptions(commonOptions(y)))
      .option('mode', { choices: ['power', 'throughput', 'composite'] as const, describe: 'power: one stream; throughput: concurrent streams in seeded orders; composite: both, √(power × throughput) [default: config or power]' })
      .option('streams', numberOption('streams', 'concurrent streams of throughput and composite mode, 1–64 [default: config or 4]', { integer: true, min: 1, max: 64 }))
      .option('iterations', numberOption('iterations', 'timed passes over the 8 queries, 1–100; the median counts [default: config or 1]', { integer: true, min: 1, max: 100 }))
      .option('cache', { choices: ['hot', 'cold'] as const, describe: 'hot: one untimed warm-up pass; cold: flush before every execution [default: config or hot]' })
      .option('query-timeout', numberOption('query-timeout', 'per-query timeout in seconds, at most 86400 [default: config or 300]', { min: 0, minExclusive: true, max: 86400 }))
      .example('$0 benchmark --iterations 5 --cache cold', 'five cold power runs')
      .example('$0 benchmark --mode throughput --streams 8', 'eight concurrent streams'),
  handler: async (args: BenchArgs) => {
    const base = resolveConfig(args);
    const config = {
      ...base,
      benchmark: {
        ...base.benchmark,
        ...(args.mode ? { mode: args.mode } : {}),
        ...(args.streams !== undefined ? { streams: args.streams } : {}),
        ...(args.iterations !== undefined ? { iterations: args.iterations } : {}),
        ...(args.cache ? { cache: args.cache } : {}),
        ...(args.queryTimeout !== undefined ? { timeoutSeconds: args.queryTimeout } : {}),
      },
    };
    const checked = validateConfig(config, 'flags');
    checkBenchmarkConfig(checked);
    const progress = new ConsoleProgress();
    const platform = commandPlatform(checked, args, checked.benchmark.timeoutSeconds, (line) => progress.line(line));
    await platform.checkTables();
    const { local, remote } = await resultStores(checked);
    const lock = await platform.lockOutput('benchmark', args.wait, (line) => progress.line(line));
    const options = { stages: [], benchmark: true, generate: false, generateIfMissing: false, timeoutSeconds: checked.benchmark.timeoutSeconds };
    const result = await runBatch({ config: checked, platform, local, remote, options, progress }).finally(() => lock?.release());
    const report = path.join(local.root, result.reportKey);
    process.stdout.write(args.json ? `${jsonSummary(result.metrics, report, path.join(local.root, 'runs', result.metrics.run_id, 'metrics.json'))}\n` : scorecardText(result.metrics, report));
    process.exitCode = result.exitCode;
  },
};
