// `lakebench datagen-land`: the landing pod of a continuous run on the cluster. It keeps landing extra
// bronze files in the run's landing prefix for the run's duration (platforms/kubernetes/streaming/
// cluster-landing.ts); SIGTERM (the runner deleting the Job) stops it after the file in flight.
// S3 credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY only.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { landingTaskSchema, runClusterLanding, type LandingTask } from '../platforms/kubernetes/streaming/cluster-landing.js';
import { BadInputError } from '../util/errors.js';

function readLandingTask(file: string): LandingTask {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BadInputError(`cannot read the landing task (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  const parsed = landingTaskSchema.safeParse(raw);
  if (!parsed.success) throw new BadInputError(`invalid landing task: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, file);
  return parsed.data;
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

export const datagenLandCommand = {
  command: 'datagen-land',
  describe: 'Keep landing extra bronze files for a continuous run (the landing pod on a cluster)',
  builder: (y: Argv) =>
    y
      .option('task', { type: 'string', demandOption: true, describe: 'the landing task document (JSON) the runner rendered' })
      .option('work-dir', { type: 'string', demandOption: true, describe: 'local folder for files being generated' }),
  handler: async (args: { task: string; workDir: string }) => {
    const task = readLandingTask(args.task);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      const r = await runClusterLanding(task, { workDir: args.workDir, log, signal: stop.signal });
      process.stdout.write(`${JSON.stringify({ landed: r.landed, first_index: task.first_index, prefix: task.prefix })}\n`);
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  },
};
