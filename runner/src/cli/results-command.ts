// `lakebench results`: the table of past runs, from the output folder or a results bucket.
import type { Argv } from 'yargs';
import path from 'node:path';
import { listRuns, runKey } from '../storage/results.js';
import { LocalStore } from '../storage/local-store.js';
import { S3Store } from '../storage/s3-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { checkOutputWritable, resolveConfig } from './context.js';
import { BadInputError } from '../util/errors.js';
import { runIdArgument, warnOnStderr } from './run-id-argument.js';

type ResultsArgs = { output?: string; config?: string; bucket?: boolean; fetch?: string; json?: boolean };

export const resultsCommand = {
  command: 'results',
  describe: 'List past runs (verdict, QpH, time to value) from the output folder or the results bucket',
  builder: (y: Argv) =>
    y
      .option('output', { alias: 'o', type: 'string', describe: 'output folder [default: lakebench-output]' })
      .option('config', { alias: 'c', type: 'string', describe: 'config YAML (for results.bucket)' })
      .option('bucket', { type: 'boolean', default: false, describe: 'read the results bucket of the config instead of the output folder' })
      .option('fetch', { type: 'string', describe: 'download this run’s report.html (and metrics.json) into the output folder' })
      .option('json', { type: 'boolean', default: false, describe: 'print the entries as JSON' }),
  handler: async (args: ResultsArgs) => {
    const fetchId = args.fetch === undefined ? undefined : runIdArgument(args.fetch, '--fetch');
    const config = resolveConfig({ config: args.config, output: args.output });
    const local = new LocalStore(path.resolve(config.output));
    let store: ObjectStore = local;
    if (args.bucket) {
      if (!config.results.bucket) throw new BadInputError('no results bucket configured', 'results.bucket');
      const s3 = new S3Store(config.results.bucket);
      await s3.check();
      store = s3;
    }
    if (fetchId) {
      // The downloads land in the output folder: an unusable one is refused before anything is fetched.
      await checkOutputWritable(config.output);
      for (const file of ['report.html', 'metrics.json']) {
        const key = runKey(fetchId, file);
        const body = await store.get(key);
        if (body === undefined) throw new BadInputError(`run ${fetchId} has no ${file}`, store.location);
        // Through the local store, which keeps every write inside the output folder.
        await local.put(key, body);
        process.stdout.write(`${path.join(local.root, ...key.split('/'))}\n`);
      }
      return;
    }
    const runs = await listRuns(store, warnOnStderr);
    if (args.json) return void process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    if (runs.length === 0) return void process.stdout.write(`no runs in ${store.location}\n`);
    const rows = runs.map((r) => [r.run_id, r.verdict, r.platform, String(r.scale), r.headline_qph === null ? '—' : r.headline_qph.toFixed(0), r.time_to_value_seconds === null ? '—' : r.time_to_value_seconds.toFixed(1), r.recipe.query_engine, (r.data_fingerprint ?? '—').slice(7, 19)]);
    const head = ['run id', 'verdict', 'platform', 'scale', 'QpH', 'TTV s', 'engine', 'data'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    process.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n`);
  },
};
