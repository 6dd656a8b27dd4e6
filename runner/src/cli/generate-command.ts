// `lakebench generate`: the bronze dataset and its manifest, nothing else.
import type { Argv } from 'yargs';
import { resolveConfig, checkOutputWritable, commandPlatform, type ClusterArgs, type CommonArgs } from './context.js';
import { defaultStageTimeoutSeconds } from '../model/scale.js';
import { clusterOptions, commonOptions, lockOptions } from './options.js';
import { ConsoleProgress } from './console-progress.js';

export const generateCommand = {
  command: 'generate',
  describe: 'Generate the bronze dataset (deterministic Parquet files + manifest), resuming files already complete',
  builder: (y: Argv) => lockOptions(clusterOptions(commonOptions(y))).example('$0 generate --scale 1', 'about 10 GiB of bronze under lakebench-output/warehouse/bronze'),
  handler: async (args: CommonArgs & ClusterArgs & { wait?: number }) => {
    const config = resolveConfig(args);
    const progress = new ConsoleProgress();
    const platform = commandPlatform(config, args, config.pipeline.timeoutSeconds ?? defaultStageTimeoutSeconds(config.scale), (line) => progress.line(line));
    await checkOutputWritable(config.output);
    const lock = await platform.lockOutput('generate', args.wait, (line) => progress.line(line));
    const t0 = Date.now();
    const m = await platform.generate(config, (p) => progress.datagen(p)).finally(() => lock?.release());
    const seconds = (Date.now() - t0) / 1000;
    const summary = { files: m.totals.file_count, rows: m.totals.total_rows, bytes: m.totals.total_bytes, data_fingerprint: m.data_fingerprint, seconds, location: platform.bronzeLocation(config) };
    process.stdout.write(
      args.json
        ? `${JSON.stringify(summary)}\n`
        : `generated ${summary.files} files, ${summary.rows} rows, ${(summary.bytes / 2 ** 30).toFixed(2)} GiB in ${seconds.toFixed(1)} s\n  data fingerprint ${summary.data_fingerprint}\n  ${summary.location}\n`,
    );
  },
};
