// Where a Trino query's time goes, from the server: the coordinator's QueryInfo (`GET /v1/query/{id}`,
// whose `queryStats` is Trino 476's io.trino.execution.QueryStats; durations serialised as airlift
// Duration strings such as "1.23s" or "850.00ms") and the server JVM's own CPU time from /proc, so CPU
// that no query's tasks account for (planning, scheduling, GC, JIT, catalog calls) shows too.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of an airlift Duration as Trino serialises it ("%.2f" then ns|us|ms|s|m|h|d). */
export function durationSeconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a Trino duration: ${JSON.stringify(text)}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}

const duration = z.string().transform(durationSeconds);
const queryStats = z.object({
  createTime: z.string(),
  elapsedTime: duration,
  queuedTime: duration,
  resourceWaitingTime: duration,
  dispatchingTime: duration,
  analysisTime: duration,
  planningTime: duration,
  planningCpuTime: duration,
  startingTime: duration,
  executionTime: duration,
  finishingTime: duration,
  totalScheduledTime: duration,
  totalCpuTime: duration,
});
export type TrinoQueryStats = z.infer<typeof queryStats>;

const queryInfo = z.object({ queryId: z.string(), state: z.string(), queryStats });
const queryList = z.array(z.object({ queryId: z.string(), queryStats: z.object({ createTime: z.string() }) }));

async function getJson(url: string, user: string): Promise<unknown> {
  const res = await fetch(url, { headers: { 'X-Trino-User': user } });
  if (!res.ok) throw new Error(`Trino: GET ${url} answered ${res.status}`);
  return res.json();
}

/** One query's QueryStats, durations in seconds. */
export async function queryStatsOf(uri: string, user: string, queryId: string): Promise<TrinoQueryStats> {
  return queryInfo.parse(await getJson(`${uri}/v1/query/${encodeURIComponent(queryId)}`, user)).queryStats;
}

/** Ids of the queries the coordinator still remembers that were created at or after `since`. */
export async function queriesSince(uri: string, user: string, since: Date): Promise<string[]> {
  const list = queryList.parse(await getJson(`${uri}/v1/query`, user));
  return list.filter((q) => Date.parse(q.queryStats.createTime) >= since.getTime()).map((q) => q.queryId);
}

const clockTicks = (() => {
  let ticks: number | undefined;
  return () => (ticks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100);
})();

/** User + system CPU seconds a process has used so far (Linux /proc/<pid>/stat, fields 14 and 15). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}
