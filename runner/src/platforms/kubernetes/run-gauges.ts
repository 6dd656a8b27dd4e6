// What a run looks like to Prometheus while it lasts: which stage runs and for how long, datagen
// progress, and each benchmark query's latest time and execution counts. Kept as plain state and
// rendered in the Prometheus text exposition format (version 0.0.4) on every scrape, so the values
// are always those of the moment. No label ever carries a credential or a path: stage and query
// names only.

export type StageState = { startedAt: number; endedAt: number | null; succeeded: boolean | null };
export type QueryState = { lastSeconds: number; succeeded: number; failed: number };

export class RunGauges {
  private readonly stages = new Map<string, StageState>();
  private readonly queries = new Map<string, QueryState>();
  private datagenFiles: { done: number; total: number } | null = null;
  /** Bumped on every change, so the endpoint can tell whether the latest state was served. */
  private changes = 0;

  constructor(
    private readonly scale: number,
    private readonly now: () => number = Date.now,
  ) {}

  get version(): number {
    return this.changes;
  }

  stageStarted(stage: string): void {
    this.stages.set(stage, { startedAt: this.now(), endedAt: null, succeeded: null });
    this.changes++;
  }

  stageEnded(stage: string, succeeded: boolean): void {
    const state = this.stages.get(stage);
    if (!state) return;
    state.endedAt = this.now();
    state.succeeded = succeeded;
    this.changes++;
  }

  datagen(done: number, total: number): void {
    this.datagenFiles = { done, total };
    this.changes++;
  }

  queryExecuted(query: string, succeeded: boolean, seconds: number): void {
    const state = this.queries.get(query) ?? { lastSeconds: 0, succeeded: 0, failed: 0 };
    state.lastSeconds = seconds;
    if (succeeded) state.succeeded++;
    else state.failed++;
    this.queries.set(query, state);
    this.changes++;
  }

  /** The exposition text of this instant (a running stage's duration grows until it ends). */
  render(): string {
    const now = this.now();
    const out: string[] = [];
    const family = (name: string, type: 'gauge' | 'counter', help: string, samples: string[]) => {
      if (samples.length === 0) return;
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    const stages = [...this.stages.entries()];
    const queries = [...this.queries.entries()];
    family('lakebench_run_scale', 'gauge', 'Scale factor of the run (1 = about 10 GiB of bronze).', [`lakebench_run_scale ${this.scale}`]);
    family('lakebench_stage_running', 'gauge', '1 while the stage runs, 0 once it has ended.', stages.map(([s, st]) => `lakebench_stage_running{stage="${label(s)}"} ${st.endedAt === null ? 1 : 0}`));
    family(
      'lakebench_stage_duration_seconds',
      'gauge',
      'Seconds since the stage started, or its duration once it has ended.',
      stages.map(([s, st]) => `lakebench_stage_duration_seconds{stage="${label(s)}"} ${(((st.endedAt ?? now) - st.startedAt) / 1000).toFixed(3)}`),
    );
    family(
      'lakebench_stage_succeeded',
      'gauge',
      '1 when the ended stage succeeded, 0 when it failed (absent while it runs).',
      stages.filter(([, st]) => st.succeeded !== null).map(([s, st]) => `lakebench_stage_succeeded{stage="${label(s)}"} ${st.succeeded ? 1 : 0}`),
    );
    if (this.datagenFiles) {
      family('lakebench_datagen_files_done', 'gauge', 'Bronze files complete (generated or already present).', [`lakebench_datagen_files_done ${this.datagenFiles.done}`]);
      family('lakebench_datagen_files_total', 'gauge', 'Bronze files the dataset has.', [`lakebench_datagen_files_total ${this.datagenFiles.total}`]);
    }
    family('lakebench_query_duration_seconds', 'gauge', 'Time of the latest timed execution of the benchmark query.', queries.map(([q, st]) => `lakebench_query_duration_seconds{query="${label(q)}"} ${st.lastSeconds}`));
    family(
      'lakebench_query_executions_total',
      'counter',
      'Timed executions of the benchmark query, by outcome.',
      queries.flatMap(([q, st]) => [
        `lakebench_query_executions_total{query="${label(q)}",outcome="succeeded"} ${st.succeeded}`,
        `lakebench_query_executions_total{query="${label(q)}",outcome="failed"} ${st.failed}`,
      ]),
    );
    return `${out.join('\n')}\n`;
  }
}

/** Label values escaped as the text format requires (backslash, double quote, line feed). */
export function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
