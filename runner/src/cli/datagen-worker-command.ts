// `lakebench datagen-worker`: one pod of the datagen Indexed Job; `lakebench datagen-finalize`: the
// manifest once every pod finished. Both read the task document the runner put in a ConfigMap; S3
// credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY only.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { datagenTaskSchema, type DatagenTask } from '../datagen/datagen-task.js';
import { runDatagenWorker } from '../datagen/upload-worker.js';
import { finalizeBronze } from '../datagen/bronze-finalize.js';
import { BadInputError } from '../util/errors.js';
import { numberOption } from './number-flag.js';

type WorkerArgs = { task: string; index?: number; pods: number; workDir?: string };

export function readTask(file: string): DatagenTask {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BadInputError(`cannot read the datagen task (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  const parsed = datagenTaskSchema.safeParse(raw);
  if (!parsed.success) throw new BadInputError(`invalid datagen task: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, file);
  return parsed.data;
}

/** --index, else the Job controller's JOB_COMPLETION_INDEX. */
function podIndex(args: WorkerArgs): number {
  const value = args.index ?? (process.env.JOB_COMPLETION_INDEX === undefined ? undefined : Number(process.env.JOB_COMPLETION_INDEX));
  if (value === undefined || !Number.isInteger(value) || value < 0 || value >= args.pods) {
    throw new BadInputError(`expected an index in 0..${args.pods - 1} (--index or JOB_COMPLETION_INDEX), got ${String(value)}`, '--index');
  }
  return value;
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

export const datagenWorkerCommand = {
  command: 'datagen-worker',
  describe: 'Generate and upload this pod’s share of the bronze files (one index of the datagen Indexed Job)',
  builder: (y: Argv) =>
    y
      .option('task', { type: 'string', demandOption: true, describe: 'the datagen task document (JSON) the runner rendered' })
      .option('index', numberOption('index', 'this pod’s index [default: $JOB_COMPLETION_INDEX]', { integer: true, min: 0, max: 100_000 }))
      .option('pods', { ...numberOption('pods', 'number of pods sharing the files', { integer: true, min: 1, max: 100_000 }), demandOption: true })
      .option('work-dir', { type: 'string', describe: 'local folder for files being generated [default: a temp folder]' }),
  handler: async (args: WorkerArgs) => {
    if (!Number.isInteger(args.pods) || args.pods < 1) throw new BadInputError(`must be a positive integer, got ${args.pods}`, '--pods');
    const task = readTask(args.task);
    const r = await runDatagenWorker(task, { index: podIndex(args), pods: args.pods, workDir: args.workDir, log });
    process.stdout.write(`${JSON.stringify({ index: r.index, pods: r.pods, owned: r.owned, generated: r.generated.length, skipped: r.skipped.length, bytes_uploaded: r.bytesUploaded })}\n`);
  },
};

export const datagenFinalizeCommand = {
  command: 'datagen-finalize',
  describe: 'Assemble the bronze manifest once every datagen pod finished, and remove objects it does not name',
  builder: (y: Argv) => y.option('task', { type: 'string', demandOption: true, describe: 'the datagen task document (JSON)' }),
  handler: async (args: { task: string }) => {
    const m = await finalizeBronze(readTask(args.task));
    process.stdout.write(`${JSON.stringify({ files: m.totals.file_count, rows: m.totals.total_rows, bytes: m.totals.total_bytes, data_fingerprint: m.data_fingerprint })}\n`);
  },
};
