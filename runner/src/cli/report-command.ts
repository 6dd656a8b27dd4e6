// `lakebench report`: re-render report.html from a metrics.json (by run id, path, or the latest run).
import type { Argv } from 'yargs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseMetrics, readHistory, runKey } from '../storage/results.js';
import { LocalStore } from '../storage/local-store.js';
import { renderReport } from '../report/render.js';
import { writeFileAtomic } from '../util/fs-atomic.js';
import { BadInputError } from '../util/errors.js';
import { runIdArgument, warnOnStderr } from './run-id-argument.js';

type ReportArgs = { run?: string; metrics?: string; output: string; out?: string };

export const reportCommand = {
  command: 'report [run]',
  describe: 'Re-render report.html from a run’s metrics.json (default: the latest run in the output folder)',
  builder: (y: Argv) =>
    y
      .positional('run', { type: 'string', describe: 'run id under <output>/runs/' })
      .option('metrics', { type: 'string', describe: 'path to a metrics.json instead of a run id' })
      .option('output', { alias: 'o', type: 'string', default: 'lakebench-output', describe: 'output folder holding runs/ and index/' })
      .option('out', { type: 'string', describe: 'where to write the HTML [default: next to the metrics.json]' }),
  handler: async (args: ReportArgs) => {
    const requested = args.run === undefined ? undefined : runIdArgument(args.run, "argument 'run'");
    const store = new LocalStore(path.resolve(args.output));
    const history = await readHistory(store, warnOnStderr);
    let source = args.metrics;
    if (!source) {
      const id = requested ?? history.at(-1)?.run_id;
      if (!id) throw new BadInputError('no runs found: run `lakebench run` first or pass --metrics', path.resolve(args.output));
      source = path.join(store.root, ...runKey(id, 'metrics.json').split('/'));
    }
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch {
      throw new BadInputError('cannot read metrics.json', source);
    }
    const metrics = parseMetrics(text, source);
    const target = args.out ?? path.join(path.dirname(source), 'report.html');
    // --out is the user's path: one that cannot take the file (a /proc folder, a file in the way) is bad input.
    await writeFileAtomic(target, renderReport(metrics, { history })).catch((e: NodeJS.ErrnoException) => {
      throw new BadInputError(`cannot write the report here (${e.code ?? e.message})`, target);
    });
    process.stdout.write(`${target}\n`);
  },
};
