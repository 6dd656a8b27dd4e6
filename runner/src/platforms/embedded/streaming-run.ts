// Continuous mode on the embedded platform (docs/pipeline.md §8): datagen keeps landing files into
// `<warehouse>/landing/`, and the three jobs of streaming-jobs.ts run as trigger loops in this
// process (DuckDB does the work on its own threads, so the rounds' scheduler stays on time). The run
// starts from empty bronze_raw, silver and gold tables, so the base set flows through the same
// streaming path as the files that land later. A clean stop ends the landing, lets each job finish
// the batch in flight, then runs bronze-ingest and silver-stream once more, as one more trigger would,
// over what had landed by then (at most maxFilesPerTrigger files, so a saturated pipeline still shows
// its backlog). Gold is not refreshed again: its last refresh is what the run's freshness measured.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileName } from '../../datagen/dataset.js';
import { landingIntervalMs, startLanding, type LandedEntry, type Landing } from '../../datagen/landing.js';
import { datasetParams } from '../../datagen/dataset.js';
import { EMBEDDED_FILE_SIZE_MB } from '../../config/defaults.js';
import { goldCommitRecordSchema, type JobReport } from '../../model/streaming-job-report.js';
import { BRONZE_RAW_TABLE } from '../../model/tables.js';
import type { MaintenanceActionRecord } from '../../model/continuous-maintenance.js';
import { SOURCE_MAX_PROCESSING_TS_KEY, type GoldCommit, type StreamingJob, type StreamingJobState, type StreamingObservation, type StreamingPlan, type StreamingRun } from '../streaming.js';
import { startTriggerLoop, type TriggerLoop } from './trigger-loop.js';
import { goldRefresh, ingestBatch, silverBatch, writeJobReport, type IngestCandidate, type StreamingPaths } from './streaming-jobs.js';
import type { Warehouse } from './warehouse.js';

/** Where continuous mode keeps its files in the embedded warehouse. */
export function streamingPaths(wh: Warehouse, checkpointBase: string, runId: string): StreamingPaths & { landing: string } {
  return {
    wh,
    bronzeRaw: path.join(wh.root, BRONZE_RAW_TABLE.schema, BRONZE_RAW_TABLE.name),
    checkpoints: path.join(wh.root, checkpointBase, runId),
    goldCommits: path.join(wh.root, '_commits', 'gold'),
    landing: path.join(wh.root, 'landing'),
  };
}

type JobSlot = { report: JobReport; loop?: TriggerLoop };

export class EmbeddedStreamingRun implements StreamingRun {
  private readonly paths: ReturnType<typeof streamingPaths>;
  private landing: Landing | undefined;
  private readonly jobs: Record<StreamingJob, JobSlot>;
  /** Bronze files already taken by an ingest batch (by index), and bronze_raw files already transformed. */
  private readonly ingested = new Set<number>();
  private readonly bronzeRawDone = new Set<string>();
  private readonly bronzeRawReady: string[] = [];
  private silverRows = 0;
  /** docs/pipeline.md §8.3: no snapshots to expire, no orphans, no compaction of plain Parquet files. */
  readonly maintenanceSkipReason = 'the embedded mode keeps plain Parquet tables: no snapshots to expire, no orphan files, nothing to compact';

  constructor(
    private readonly plan: StreamingPlan,
    wh: Warehouse,
    private readonly threads: number,
  ) {
    this.paths = streamingPaths(wh, plan.continuous.checkpointBase, plan.runId);
    const slot = (job: StreamingJob): JobSlot => ({ report: { job, run_id: plan.runId, batches: [], stopped_by: null } });
    this.jobs = { 'bronze-ingest': slot('bronze-ingest'), 'silver-stream': slot('silver-stream'), 'gold-refresh': slot('gold-refresh') };
  }

  async start(): Promise<void> {
    const { wh } = this.paths;
    // A continuous run builds its tables from nothing: the batch tables of an earlier run go.
    for (const dir of [this.paths.bronzeRaw, wh.silver, wh.gold, this.paths.goldCommits, this.paths.checkpoints]) await rm(dir, { recursive: true, force: true });
    const c = this.plan.config;
    const params = datasetParams({
      seed: c.seed,
      scale: c.scale,
      windowStart: c.datagen.window.start,
      windowEnd: c.datagen.window.end,
      dirtyRatio: c.datagen.dirtyRatio,
      fileSizeMb: c.datagen.fileSizeMb ?? EMBEDDED_FILE_SIZE_MB,
      customerLaw: c.datagen.customers,
    });
    const t = this.plan.continuous.triggers;
    this.landing = await startLanding({
      params,
      landingDir: this.paths.landing,
      firstIndex: this.plan.base.totals.file_count,
      intervalMs: landingIntervalMs(this.plan.continuous.landing, params.file_size_bytes),
      onLanded: (e) => this.plan.log(`landing: ${fileName(e.index)} (${e.rows} rows) landed`),
    });
    this.jobs['bronze-ingest'].loop = startTriggerLoop(t.bronzeSeconds * 1000, () => this.runIngest());
    this.jobs['silver-stream'].loop = startTriggerLoop(t.silverSeconds * 1000, () => this.runSilver());
    this.jobs['gold-refresh'].loop = startTriggerLoop(t.goldRefreshSeconds * 1000, () => this.runGold());
  }

  private candidates(): IngestCandidate[] {
    const base = this.plan.base.files.map((f) => ({ index: f.index, path: path.join(this.paths.wh.bronze, f.key) }));
    const extra = (this.landing?.landed() ?? []).map((e) => ({ index: e.index, path: path.join(this.paths.landing, e.key) }));
    return [...base, ...extra].filter((f) => !this.ingested.has(f.index)).sort((a, b) => a.index - b.index);
  }

  private async record(job: StreamingJob, batch: JobReport['batches'][number]): Promise<void> {
    const slot = this.jobs[job];
    slot.report.batches.push(batch);
    await writeJobReport(this.paths, slot.report);
  }

  private async runIngest(): Promise<void> {
    const take = this.candidates().slice(0, this.plan.continuous.maxFilesPerTrigger);
    const batch = await ingestBatch(this.paths, this.jobs['bronze-ingest'].report.batches.length, take, this.threads);
    if (!batch) return;
    take.forEach((f) => this.ingested.add(f.index));
    this.bronzeRawReady.push(`batch-${String(batch.batch_id).padStart(6, '0')}.parquet`);
    await this.record('bronze-ingest', batch);
  }

  private async runSilver(): Promise<void> {
    const todo = this.bronzeRawReady.filter((f) => !this.bronzeRawDone.has(f));
    const batch = await silverBatch(this.paths, this.jobs['silver-stream'].report.batches.length, todo, this.plan.referenceDate, this.threads);
    if (!batch) return;
    todo.forEach((f) => this.bronzeRawDone.add(f));
    this.silverRows += batch.rows;
    await this.record('silver-stream', batch);
  }

  private async runGold(): Promise<void> {
    const out = await goldRefresh(this.paths, this.plan.runId, this.jobs['gold-refresh'].report.batches.length, this.threads);
    if (!out) return;
    const seconds = (Date.parse(out.batch.committed_at) - Date.parse(out.batch.started_at)) / 1000;
    if (seconds > this.plan.continuous.triggers.goldRefreshSeconds) {
      this.plan.log(`warning: a gold refresh took ${seconds.toFixed(1)} s, longer than continuous.triggers.goldRefreshSeconds (${this.plan.continuous.triggers.goldRefreshSeconds} s): gold falls behind`);
    }
    await this.record('gold-refresh', out.batch);
  }

  private jobStates(): StreamingJobState[] {
    return (Object.keys(this.jobs) as StreamingJob[]).map((job) => {
      const slot = this.jobs[job];
      const error = slot.loop?.error();
      return {
        job,
        state: slot.report.stopped_by === null && !error ? 'running' : 'stopped',
        stopped_by: error ? 'failed' : slot.report.stopped_by,
        restarts: 0,
        batches: [...slot.report.batches],
        ...(error ? { error: error.message } : {}),
      };
    });
  }

  async goldCommits(): Promise<GoldCommit[]> {
    const names = await readdir(this.paths.goldCommits).catch(() => [] as string[]);
    const out: GoldCommit[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const rec = goldCommitRecordSchema.parse(JSON.parse(await readFile(path.join(this.paths.goldCommits, name), 'utf8')));
      if (rec.run_id !== this.plan.runId) continue;
      out.push({ id: rec.id, committed_at: rec.committed_at, source_max_processing_ts: rec.summary[SOURCE_MAX_PROCESSING_TS_KEY] ?? null, rows: rec.rows });
    }
    return out;
  }

  async observe(): Promise<StreamingObservation> {
    return {
      observed_at: new Date().toISOString(),
      landed: (this.landing?.landed() ?? []).map(landedFile),
      jobs: this.jobStates(),
      gold_commits: await this.goldCommits(),
      silver_rows: this.silverRows,
    };
  }

  async stop(reason: 'duration' | 'signal' = 'duration'): Promise<StreamingJobState[]> {
    await this.landing?.stop();
    const landingError = this.landing?.error();
    if (landingError) this.plan.log(`landing stopped: ${landingError.message}`);
    for (const job of Object.keys(this.jobs) as StreamingJob[]) await this.jobs[job].loop?.stop();
    // One more trigger of the two stream jobs over what had landed when the window closed.
    if (reason === 'duration') {
      for (const [job, step] of [['bronze-ingest', () => this.runIngest()], ['silver-stream', () => this.runSilver()]] as const) {
        if (this.jobs[job].loop?.error()) continue;
        await step().catch((e: unknown) => {
          this.jobs[job].report.error = e instanceof Error ? e.message : String(e);
        });
      }
    }
    for (const job of Object.keys(this.jobs) as StreamingJob[]) {
      const slot = this.jobs[job];
      const error = slot.loop?.error()?.message ?? slot.report.error;
      slot.report.stopped_by = error ? 'failed' : reason;
      if (error) slot.report.error = error;
      await writeJobReport(this.paths, slot.report);
    }
    return (Object.keys(this.jobs) as StreamingJob[]).map((job) => {
      const r = this.jobs[job].report;
      return { job, state: 'stopped' as const, stopped_by: r.stopped_by, restarts: 0, batches: [...r.batches], ...(r.error ? { error: r.error } : {}) };
    });
  }

  /** Never called: maintenanceSkipReason tells the orchestrator there is nothing to maintain. */
  async maintain(): Promise<MaintenanceActionRecord[]> {
    throw new Error(`no maintenance pass on the embedded platform: ${this.maintenanceSkipReason}`);
  }

  /** Landed extra files with their entries (for the run's files and the test's recomputation). */
  landedEntries(): readonly LandedEntry[] {
    return this.landing?.landed() ?? [];
  }
}

function landedFile(e: LandedEntry) {
  return { index: e.index, key: e.key, rows: e.rows, bytes: e.bytes, filtered_rows: e.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0, landed_at: e.landed_at };
}
