// The batch orchestrator, as named phases: resolve bronze → open the run record → stages
// ([datagen] → bronze-verify → silver-build → gold-finalize) → benchmark → publish metrics.json and
// the report. It talks to the platform through the Platform interface only. Everything a user can
// get wrong is checked before the run record exists; afterwards every outcome, an interruption
// included, ends in a recorded verdict.
import type { LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import type { Platform, RunContext, RunHooks } from '../platforms/platform.js';
import type { Metrics, StageEntry, StageName } from '../model/metrics.js';
import { BATCH_STAGES, type BatchStage } from '../model/stage-report.js';
import { entryFromReport, observedEntry } from '../model/stage-entry.js';
import { assembleMetrics } from '../model/assemble-metrics.js';
import { newRunId } from '../model/run-id.js';
import { runBenchmark } from '../benchmark/run-benchmark.js';
import { storedResult } from '../benchmark/power-run.js';
import { writeRunRecord, publishAndEndRun, readHistory, warnOnce, type RunRecord } from '../storage/results.js';
import type { ObjectStore } from '../storage/object-store.js';
import { renderReport } from '../report/render.js';
import { indexEntryFromMetrics, type IndexEntry } from '../model/index-entry.js';
import { BadInputError, errorMessage } from '../util/errors.js';
import { checkDatasetInput } from '../datagen/dataset.js';
import type { Progress } from './progress.js';
import { failedStepEntry, resourceProfileOf } from './step-failure.js';

export type BatchOptions = {
  stages: readonly BatchStage[];
  benchmark: boolean;
  /** Runs datagen first (resuming whatever is already complete). */
  generate: boolean;
  /** When bronze is missing: generate it (run) or refuse (benchmark on existing tables). */
  generateIfMissing: boolean;
  timeoutSeconds: number;
};

export type BatchRun = {
  config: LakebenchConfig;
  platform: Platform;
  /** The output folder's store; `remote` is the results bucket, when there is one. */
  local: ObjectStore;
  remote?: ObjectStore;
  options: BatchOptions;
  progress: Progress;
};

export type BatchResult = { metrics: Metrics; exitCode: number; reportKey: string };

export async function runBatch(run: BatchRun): Promise<BatchResult> {
  let manifest = await resolveBronze(run);
  const rec = await openRunRecord(run);
  const { platform, config, options, progress } = run;
  const steps = new StepLog(platform, config);
  const files: Record<string, string> = {};
  let datagenSeconds: number | null = null;
  let benchmark: Metrics['benchmark'] = null;
  let step: StageName = 'datagen';
  let stepStart = new Date();
  try {
    rec.log(`run ${rec.runId}: ${platform.kind} platform, scale ${config.scale}, output ${run.local.location}`);
    if (!manifest) {
      const generated = await generatePhase(run, rec);
      [manifest, datagenSeconds] = [generated.manifest, generated.seconds];
      steps.push(generated.entry);
    }
    files['datagen-manifest.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
    const ctx: RunContext = { config, runId: rec.runId, referenceDate: config.asOfDate?.slice(0, 10) ?? manifest.totals.event_date_max, manifest, log: rec.log };
    await stagesPhase(run, ctx, steps, files, (s) => ([step, stepStart] = [s, new Date()]));
    if (options.benchmark) steps.push(observedEntry('maintenance', 'duckdb', new Date(), new Date(), 'skipped', platform.resources('gold-finalize'), { metrics_source: 'stage-report', extras: { skip_reason: platform.maintenanceSkipReason } }));
    if (options.benchmark && !steps.failed) {
      [step, stepStart] = ['benchmark', new Date()];
      benchmark = await benchmarkPhase(run, manifest, steps, files);
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'BadInputError') {
      // Bad input only found once the run started still exits 2, but never leaves the record `running`.
      await rec.endIncomplete(`refused: ${e.message}`).catch((err: unknown) => progress.line(`could not mark run ${rec.runId} incomplete: ${errorMessage(err)}`));
      throw e;
    }
    rec.log(`${step} failed: ${errorMessage(e)}`);
    steps.failedEntry(step, stepStart, e);
  } finally {
    rec.stopListening();
  }
  await rec.waitForInterruption();
  return publishPhase(run, rec, { manifest: manifest ?? null, datagenSeconds, stages: steps.entries, benchmark, files });
}

/**
 * Phase 1, before any record exists: the dataset's own checks (window, customer law at this scale),
 * the bronze already in place and the platform's checks on it, or a refusal when there is none.
 */
async function resolveBronze({ config, platform, options }: BatchRun): Promise<Manifest | undefined> {
  // Made here, not first inside datagen, where they would meet a run record already written.
  checkDatasetInput({ scale: config.scale, windowStart: config.datagen.window.start, windowEnd: config.datagen.window.end, customerLaw: config.datagen.customers });
  const manifest = options.generate ? undefined : await platform.existingManifest(config);
  if (manifest) await platform.preflight(manifest);
  else if (!options.generate && !options.generateIfMissing) {
    throw new BadInputError('no bronze dataset for this config (scale, seed, window): run `lakebench run` or `lakebench generate` first', 'bronze');
  }
  return manifest;
}

/** An open run record: where it is written, the run's log, and how it ends when the run cannot finish. */
export type OpenRecord = {
  runId: string;
  start: Date;
  record: RunRecord;
  stores: ObjectStore[];
  hooks: RunHooks | undefined;
  logLines: string[];
  log: (line: string) => void;
  /** Ends the record as incomplete everywhere (a cluster run also stops its work and releases its Lease). */
  endIncomplete(reason: string): Promise<void>;
  stopListening(): void;
  /** When a signal cut the run short: waits for its handler (which exits the process), then throws. */
  waitForInterruption(): Promise<void>;
};

/** Phase 2: the platform's guards, then run.json in every store (a run killed with its pod leaves a record, never a gap), then the signal handlers. */
export async function openRunRecord({ platform, local, remote, progress }: Pick<BatchRun, 'platform' | 'local' | 'remote' | 'progress'>, onInterrupt?: () => Promise<unknown>): Promise<OpenRecord> {
  const stores = remote ? [local, remote] : [local];
  const hooks = await platform.prepare(stores, (line) => progress.line(line));
  const start = new Date();
  const runId = newRunId(start);
  const record: RunRecord = { run_id: runId, state: 'running', started_at: start.toISOString(), heartbeat_at: start.toISOString(), ended_at: null, reason: null, lease: hooks?.lease ?? null };
  for (const store of stores) await writeRunRecord(store, record);
  hooks?.started(record);
  const logLines: string[] = [];
  const log = (line: string) => {
    logLines.push(`${new Date().toISOString()} ${line}`);
    progress.line(line);
  };
  const endIncomplete = async (reason: string): Promise<void> => {
    if (hooks) return hooks.interrupt(reason);
    await Promise.all(stores.map((st) => writeRunRecord(st, { ...record, state: 'incomplete', ended_at: new Date().toISOString(), reason })));
  };
  // The signal handler's work: ends the record as incomplete, then exits 130.
  let interrupted: { reason: string; done: Promise<void> } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const reason = `interrupted by ${signal}`;
    // A continuous run first stops its streaming work cleanly (onInterrupt), then ends the record.
    const before = onInterrupt ? onInterrupt().catch((e: unknown) => progress.line(`could not stop cleanly: ${errorMessage(e)}`)) : Promise.resolve();
    interrupted = { reason, done: before.then(() => endIncomplete(reason)).finally(() => process.exit(130)) };
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    runId,
    start,
    record,
    stores,
    hooks,
    logLines,
    log,
    endIncomplete,
    stopListening: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
    // Publishing now would overwrite the incomplete record the handler writes with a complete one.
    waitForInterruption: async () => {
      if (!interrupted) return;
      await interrupted.done;
      throw new Error(interrupted.reason);
    },
  };
}

/** The stages[] entries so far, whether one failed, and the one way any error becomes a failed entry. */
class StepLog {
  readonly entries: StageEntry[] = [];
  failed = false;

  constructor(
    private readonly platform: Platform,
    private readonly config: LakebenchConfig,
  ) {}

  push(entry: StageEntry): StageEntry {
    this.entries.push(entry);
    if (entry.status === 'failed') this.failed = true;
    return entry;
  }

  /** A step that threw: named with its own engine, charged its own resources. */
  failedEntry(step: StageName, start: Date, error: unknown): StageEntry {
    return this.push(failedStepEntry(this.platform, this.config, step, start, error));
  }
}

/** Phase 3a: datagen, labelled with this run's id. */
async function generatePhase({ platform, config, progress }: BatchRun, rec: OpenRecord): Promise<{ manifest: Manifest; seconds: number; entry: StageEntry }> {
  const t0 = new Date();
  rec.log('datagen: generating bronze');
  const manifest = await platform.generate(config, (p) => progress.datagen(p), rec.runId);
  const seconds = (Date.now() - t0.getTime()) / 1000;
  const entry = observedEntry('datagen', 'datagen', t0, new Date(), 'succeeded', platform.resources(resourceProfileOf('datagen')), {
    output_bytes: manifest.totals.total_bytes,
    output_rows: manifest.totals.total_rows,
    files_written: manifest.totals.file_count,
    metrics_source: 'stage-report',
    extras: { data_fingerprint: manifest.data_fingerprint },
  });
  rec.log(`datagen: ${manifest.totals.file_count} files, ${manifest.totals.total_rows} rows, ${(manifest.totals.total_bytes / 2 ** 20).toFixed(1)} MiB in ${seconds.toFixed(1)} s`);
  return { manifest, seconds, entry };
}

/** Phase 3b: the batch stages in order; after a failure the rest are recorded as skipped. */
async function stagesPhase({ platform, options, progress }: BatchRun, ctx: RunContext, steps: StepLog, files: Record<string, string>, onStep: (stage: BatchStage) => void): Promise<void> {
  for (const stage of BATCH_STAGES) {
    if (!options.stages.includes(stage)) continue;
    onStep(stage);
    if (steps.failed) {
      steps.push(observedEntry(stage, platform.pipelineEngine, new Date(), new Date(), 'skipped', platform.resources(stage), { error: { message: 'an earlier stage failed', reason: 'SKIPPED', log_tail: null } }));
      continue;
    }
    const t0 = new Date();
    const timer = progress.stage(stage);
    try {
      const report = await withTimeout(platform.runStage(stage, ctx), options.timeoutSeconds + platform.stageTimeoutGraceSeconds, stage);
      files[`stages/${stage}.json`] = `${JSON.stringify(report, null, 2)}\n`;
      // The driver's log tail a cluster stage observed (secrets already redacted by the platform).
      const logTail = report.extras.kubernetes?.log_tail;
      if (logTail) files[`logs/${stage}-driver.log`] = logTail;
      const entry = steps.push(entryFromReport(report, platform.resources(stage)));
      timer.done(entry.status === 'succeeded', entry.error?.message);
    } catch (e) {
      steps.failedEntry(stage, t0, e);
      timer.done(false, errorMessage(e));
    }
  }
}

/** Phase 4: the query benchmark on the tables the stages left. */
async function benchmarkPhase({ platform, config, progress }: BatchRun, manifest: Manifest, steps: StepLog, files: Record<string, string>): Promise<Metrics['benchmark']> {
  const t0 = new Date();
  const timer = progress.stage('benchmark');
  const engine = await platform.openQueryEngine(config);
  try {
    const outcome = await runBenchmark(engine, config, manifest, (e) => progress.query(e));
    for (const r of outcome.runs) files[`benchmark/${r.def.id}.json`] = `${JSON.stringify(storedResult(r), null, 2)}\n`;
    const ok = outcome.block.queries.filter((q) => q.success).length;
    steps.push(observedEntry('benchmark', engine.type, t0, new Date(), 'succeeded', platform.resources(resourceProfileOf('benchmark')), { metrics_source: 'stage-report', extras: { queries_succeeded: ok, qph: outcome.block.qph } }));
    timer.done(ok === outcome.block.queries.length, `${ok}/${outcome.block.queries.length} queries succeeded`);
    return outcome.block;
  } finally {
    await engine.close();
  }
}

type Outcome = { manifest: Manifest | null; datagenSeconds: number | null; stages: StageEntry[]; benchmark: Metrics['benchmark']; files: Record<string, string> };

/** Phase 5: the verdict, metrics.json, the report and the index entry, and run.json ended in every store. */
async function publishPhase({ platform, config, local, options }: BatchRun, rec: OpenRecord, o: Outcome): Promise<BatchResult> {
  const end = new Date();
  const metrics = assembleMetrics({
    ...(await runFacts(platform, config, rec, end)),
    manifest: o.manifest,
    datagenSeconds: o.datagenSeconds,
    stages: o.stages,
    benchmark: o.benchmark,
    benchmarkExpected: options.benchmark,
    incompleteReason: null,
  });
  // A bad object in the runs index is named and skipped: it never fails the run or hides its record.
  const warn = warnOnce((line) => rec.log(`warning: ${line}`));
  return publishRun(rec, end, metrics, o.files, await readHistory(local, warn), warn);
}

/** What every run's metrics say of the run itself: its id, platform, time span, versions and Spark sizing. */
export async function runFacts(platform: Platform, config: LakebenchConfig, rec: OpenRecord, end: Date) {
  const res = platform.resources('silver-build');
  return {
    runId: rec.runId,
    config,
    platform: platform.kind,
    start: rec.start,
    end,
    versions: await platform.versions(),
    sizing: { executors: res.executors, cores: res.cores, memory_gb: Math.round(res.memoryGb) },
  };
}

/** The report (earlier runs as its history), metrics.json and the run's files published; run.json ended in every store. */
export async function publishRun(rec: OpenRecord, end: Date, metrics: Metrics, files: Record<string, string>, previous: IndexEntry[], warn: (line: string) => void): Promise<BatchResult> {
  rec.log(`verdict: ${metrics.verdict.status}`);
  const reportHtml = renderReport(metrics, { history: [...previous, indexEntryFromMetrics(metrics)] });
  const published = { ...files, 'logs/runner.log': `${rec.logLines.join('\n')}\n` };
  try {
    // Ends run.json in every store, as incomplete with the reason where publishing failed.
    await publishAndEndRun(rec.stores, rec.record, end.toISOString(), { metrics, reportHtml, files: published }, warn);
  } finally {
    await rec.hooks?.finished();
  }
  return { metrics, exitCode: metrics.verdict.status === 'FAILED' ? 1 : 0, reportKey: `runs/${rec.runId}/report.html` };
}

async function withTimeout<T>(p: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
