// `lakebench recommend`: per-stage executors, peak requests, datagen pods and the batch requirement
// at a scale, and, given a node size, the capacity preflight and the largest scale that fits. The
// numbers come from the same functions the SparkApplications are built from. A continuous config
// (pipeline.mode: continuous) is judged as a continuous run's preflight judges it: the three
// streaming jobs at the budget's executor counts with the landing pod, and the base set's datagen Job.
import type { Argv } from 'yargs';
import { loadConfig } from '../config/load.js';
import { alwaysOnFor, largestFeasibleScale, requirement, type Cluster } from '../model/sizing.js';
import { sizingOptions } from '../model/sizing-options.js';
import { DEFAULT_ENGINE, preflightLines, requirementLines, stageLines } from '../platforms/kubernetes/manifests/sizing-table.js';
import { streamingLines, streamingSizing } from '../platforms/kubernetes/streaming/streaming-sizing.js';
import { largestStreamingScale, streamingClusterCpu, streamingPreflightLines, wholeRoom } from '../platforms/kubernetes/streaming-capacity.js';
import { BadInputError } from '../util/errors.js';
import { numberOption } from './number-flag.js';

type RecommendArgs = { config?: string; scale?: number; nodes?: number; nodeCpu?: number; nodeMemoryGb?: number; json?: boolean };


function clusterOf(args: RecommendArgs, declared: Cluster | undefined): Cluster | undefined {
  const given = [args.nodes, args.nodeCpu, args.nodeMemoryGb].filter((v) => v !== undefined).length;
  if (given === 0) return declared;
  if (given !== 3) throw new BadInputError('give --nodes, --node-cpu and --node-memory-gb together', 'flags');
  for (const [flag, v] of [['--nodes', args.nodes], ['--node-cpu', args.nodeCpu], ['--node-memory-gb', args.nodeMemoryGb]] as const) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new BadInputError(`must be a positive number, got ${String(v)}`, flag);
  }
  return { nodes: args.nodes!, nodeCpu: args.nodeCpu!, nodeMemoryGb: args.nodeMemoryGb! };
}

export const recommendCommand = {
  command: 'recommend',
  describe: 'Show per-stage executors, peak requests, datagen pods and the cluster a scale needs; with a node size, whether it fits and the largest scale that does',
  builder: (y: Argv) =>
    y
      .option('scale', numberOption('scale', 'scale factor [default: the config’s]', {}))
      .option('config', { alias: 'c', type: 'string', describe: 'config YAML: query engine, executor overrides, Spark version, declared nodes' })
      .option('nodes', numberOption('nodes', 'number of worker nodes', { integer: true, min: 1, max: 100_000 }))
      .option('node-cpu', numberOption('node-cpu', 'allocatable CPU per node', { min: 0, minExclusive: true, max: 100_000 }))
      .option('node-memory-gb', numberOption('node-memory-gb', 'allocatable memory per node, GiB', { min: 0, minExclusive: true, max: 1_000_000 }))
      .option('json', { type: 'boolean', default: false, describe: 'print the numbers as JSON' })
      .example('$0 recommend --scale 100 --nodes 8 --node-cpu 32 --node-memory-gb 256', 'does scale 100 fit eight 32-core nodes?'),
  handler: (args: RecommendArgs) => {
    const config = loadConfig(args.config, { scale: args.scale });
    const opts = sizingOptions(config);
    const req = requirement(config.scale, alwaysOnFor(config.cluster?.queryEngine ?? DEFAULT_ENGINE), opts);
    const declared = config.cluster?.nodes ? { nodes: config.cluster.nodes.count, nodeCpu: config.cluster.nodes.cpu, nodeMemoryGb: config.cluster.nodes.memoryGb } : undefined;
    const cluster = clusterOf(args, declared);
    const continuous = config.pipeline.mode === 'continuous';
    const room = cluster ? wholeRoom(cluster, `${cluster.nodes} nodes × ${cluster.nodeCpu} CPU`) : undefined;
    // The search keeps the overrides; the datagen pod count follows the scale unless the config fixes it.
    const largest = room && cluster ? (continuous ? largestStreamingScale(config, room) : largestFeasibleScale(cluster, req.alwaysOn, 0.01, 100_000, opts)) : undefined;
    const preflight = room && cluster ? (continuous ? streamingPreflightLines(config, room) : preflightLines(req, cluster)) : undefined;
    // Continuous mode's three jobs at once, capped by the streaming budget when the cluster is known.
    const streaming = streamingSizing(config, config.scale, room ? streamingClusterCpu(room) : undefined);
    if (args.json) {
      const mode = continuous ? 'continuous' : 'batch';
      process.stdout.write(`${JSON.stringify({ mode, requirement: req, streaming, cluster: cluster ?? null, fits: preflight?.fits ?? null, shortfalls: preflight?.lines.slice(1).map((l) => l.slice(4)) ?? [], largestFeasibleScale: largest ?? null }, null, 2)}\n`);
    } else {
      const lines = [`Lakebench sizing at scale ${config.scale} (Spark ${opts.sparkVersion}; one model: runner/src/model/sizing.ts)`, '', ...stageLines(req), '', ...requirementLines(req), '', ...streamingLines(streaming)];
      if (preflight) {
        lines.push('', ...preflight.lines);
        const which = continuous ? 'largest feasible scale (continuous)' : 'largest feasible scale';
        lines.push(largest === null ? `${which}: none (not even scale 0.01 fits)` : `${which}: ${largest}`);
      } else {
        lines.push('', 'give --nodes, --node-cpu and --node-memory-gb (or cluster.nodes in the config) for the capacity preflight');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (preflight && !preflight.fits) process.exitCode = 1;
  },
};
