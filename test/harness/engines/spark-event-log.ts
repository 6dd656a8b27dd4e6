// Where a Spark job's time goes, from its own event log (spark.eventLog.enabled, uncompressed): per
// completed stage its name, tasks, wall, summed executor run and CPU time, input bytes and shuffle
// bytes read and written; per SQL execution the Exchange (shuffle) nodes of its final physical plan
// (after AQE's last re-plan). This is the Spark UI's stage table, read offline, so a bench can show
// which stages a job ran and which of them moved the rows, rather than infer it from the code.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const accumulable = z.object({ Name: z.string().optional(), Value: z.union([z.string(), z.number()]).optional() });
const stageCompleted = z.object({
  Event: z.literal('SparkListenerStageCompleted'),
  'Stage Info': z.object({
    'Stage ID': z.number(),
    'Stage Name': z.string(),
    'Number of Tasks': z.number(),
    'Submission Time': z.number().optional(),
    'Completion Time': z.number().optional(),
    Accumulables: z.array(accumulable),
  }),
});
const sqlPlan = z.object({
  Event: z.enum(['org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart', 'org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate']),
  executionId: z.number(),
  physicalPlanDescription: z.string(),
});

export type StageSummary = {
  id: number;
  name: string;
  tasks: number;
  wallSeconds: number;
  runSeconds: number;
  cpuSeconds: number;
  inputBytes: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
};
export type EventLogSummary = { stages: StageSummary[]; exchanges: { executionId: number; exchanges: string[] }[] };

const metric = (acc: z.infer<typeof accumulable>[], name: string) => Number(acc.find((a) => a.Name === name)?.Value ?? 0);

/**
 * The event files of the one application that logged into `dir`, in order. Spark 4 rolls event logs by
 * default: `eventlog_v2_<app>/events_<n>_<app>`, with `appstatus_<app>.inprogress` until the end; a
 * single-file log is `<app>` (`<app>.inprogress` while running).
 */
function eventFiles(dir: string): string[] {
  const entries = readdirSync(dir).filter((f) => !f.startsWith('.'));
  if (entries.length !== 1) throw new Error(`${dir}: expected the event log of one Spark application, found ${entries.join(', ') || 'none'}`);
  const app = path.join(dir, entries[0]!);
  if (!entries[0]!.startsWith('eventlog_v2_')) {
    if (app.endsWith('.inprogress')) throw new Error(`${app}: the application has not finished`);
    return [app];
  }
  const names = readdirSync(app);
  if (names.some((n) => n.startsWith('appstatus_') && n.endsWith('.inprogress'))) throw new Error(`${app}: the application has not finished`);
  const index = (n: string) => Number(/^events_(\d+)_/.exec(n)?.[1]);
  return names.filter((n) => Number.isInteger(index(n))).sort((a, b) => index(a) - index(b)).map((n) => path.join(app, n));
}

/** Summarises the event log Spark wrote into `dir` (one application per directory). */
export function summariseEventLog(dir: string): EventLogSummary {
  const stages: StageSummary[] = [];
  const plans = new Map<number, string>();
  for (const line of eventFiles(dir).flatMap((f) => readFileSync(f, 'utf8').split('\n'))) {
    if (!line.includes('"SparkListenerStageCompleted"') && !line.includes('SparkListenerSQL')) continue;
    const event: unknown = JSON.parse(line);
    const stage = stageCompleted.safeParse(event);
    if (stage.success) {
      const s = stage.data['Stage Info'];
      const acc = s.Accumulables;
      stages.push({
        id: s['Stage ID'],
        name: s['Stage Name'],
        tasks: s['Number of Tasks'],
        wallSeconds: ((s['Completion Time'] ?? 0) - (s['Submission Time'] ?? 0)) / 1000,
        runSeconds: metric(acc, 'internal.metrics.executorRunTime') / 1000,
        cpuSeconds: metric(acc, 'internal.metrics.executorCpuTime') / 1e9,
        inputBytes: metric(acc, 'internal.metrics.input.bytesRead'),
        shuffleReadBytes: metric(acc, 'internal.metrics.shuffle.read.remoteBytesRead') + metric(acc, 'internal.metrics.shuffle.read.localBytesRead'),
        shuffleWriteBytes: metric(acc, 'internal.metrics.shuffle.write.bytesWritten'),
      });
      continue;
    }
    const plan = sqlPlan.safeParse(event);
    if (plan.success) plans.set(plan.data.executionId, plan.data.physicalPlanDescription); // the last update wins
  }
  const exchanges = [...plans].map(([executionId, text]) => ({ executionId, exchanges: exchangesOf(text) }));
  return { stages, exchanges: exchanges.filter((e) => e.exchanges.length > 0) };
}

/**
 * The shuffles of a physical plan description. Spark's default UI explain mode (`formatted`) names a
 * node in the tree ("Exchange (7)") and gives its partitioning in a details block ("(7) Exchange" …
 * "Arguments: hashpartitioning(…), REPARTITION_BY_COL, …"); the other modes print it on the tree line.
 * With AQE a node can appear in both the initial and the final plan: each distinct shuffle once.
 */
export function exchangesOf(plan: string): string[] {
  const details = [...plan.matchAll(/^\(\d+\) Exchange\b[^\n]*\n(?:(?!\(\d+\) )[^\n]*\n)*?Arguments: ([^\n]+)/gm)].map((m) => m[1]!.trim());
  const lines = details.length > 0 ? details : plan.split('\n').filter((l) => /\bExchange \w+partitioning\(/.test(l) && !/ReusedExchange/.test(l)).map((l) => l.replace(/^[\s:+\-*]+/, '').trim());
  return [...new Set(lines.map((l) => l.replace(/,?\s*\[plan_id=\d+\]/, '').trim()))];
}

/** A printable table of the summary. */
export function formatEventLog(s: EventLogSummary): string {
  const mib = (b: number) => (b / 2 ** 20).toFixed(0).padStart(7);
  const lines = ['  stage tasks   wall s    run s    cpu s  in MiB  shuf rd  shuf wr  name'];
  for (const st of s.stages) {
    lines.push(`  ${String(st.id).padStart(5)} ${String(st.tasks).padStart(5)} ${st.wallSeconds.toFixed(1).padStart(8)} ${st.runSeconds.toFixed(1).padStart(8)} ${st.cpuSeconds.toFixed(1).padStart(8)} ${mib(st.inputBytes)} ${mib(st.shuffleReadBytes)}  ${mib(st.shuffleWriteBytes)}  ${st.name.slice(0, 60)}`);
  }
  for (const e of s.exchanges) lines.push(`  SQL execution ${e.executionId}: ${e.exchanges.length} exchange(s): ${e.exchanges.join(' | ')}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npx tsx test/harness/engines/spark-event-log.ts <event log directory>');
  console.log(formatEventLog(summariseEventLog(dir)));
}
