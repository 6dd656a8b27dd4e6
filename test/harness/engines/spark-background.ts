// A PySpark job started in the background (spark-submit, local[2]) for jobs that run until told to
// stop, like the continuous-mode streaming jobs: the test keeps a handle, can send a signal to the
// job's Python driver process alone (what a clean stop request is), and awaits the end.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { sleep } from './process.js';
import { launchPySpark, type PySparkRun, type SparkSubmit } from './spark.js';

export type BackgroundPySpark = {
  /** The spark-submit process (the driver JVM), leader of the job's process group. */
  pid: number;
  /** Sends `signal` to the Python driver process only (spark-submit starts it as the JVM's child); false if it is not there. */
  signalPython(signal: NodeJS.Signals): Promise<boolean>;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when the job has ended (and its process group is gone). */
  done: Promise<PySparkRun>;
};

/** Starts `script` like runPySpark does, but returns at once; `timeoutMs` kills the whole group. */
export function startPySpark(spark: SparkSubmit, script: string, args: string[], { timeoutMs = 600_000, conf = {} }: { timeoutMs?: number; conf?: Record<string, string> } = {}): BackgroundPySpark {
  const launched = launchPySpark(spark, script, args, conf, { timeoutMs });
  const pid = launched.pid;
  if (pid === undefined) {
    launched.done.catch(() => undefined); // the spawn error is the one thrown here
    throw new Error(`could not start ${spark.command}`);
  }
  const pythonPid = (): number | null => {
    // The driver's Python process is a direct child of the JVM whose command line names the script.
    const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
    const line = out.split('\n').find((l) => l.includes(path.basename(script)));
    return line ? Number(line.trim().split(/\s+/)[0]) : null;
  };
  return {
    pid,
    async signalPython(signal) {
      for (let i = 0; i < 50; i++) {
        let found: number | null = null;
        try {
          found = pythonPid();
        } catch {
          found = null; // ps exits 1 when the JVM has no child yet
        }
        if (found) {
          process.kill(found, signal);
          return true;
        }
        await sleep(200);
      }
      return false;
    },
    output: launched.output,
    done: launched.done,
  };
}
