// The batch orchestrator: [datagen] → bronze-verify → silver-build → gold-finalize → [maintenance]
// → benchmark → metrics.json + report, through the Platform interface only. Everything a user can
// get wrong is checked before the run record exists; afterwards every outcome, an interruption
// included, ends in a recorded verdict.
import type { LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import type { Platform, RunContext } from '../platforms/platform.js';
import type { Metrics, StageEntry } from '../model/metrics.js';
import { BATCH_STAGES, type BatchStage } from './stage-report.js';
import { entryFromReport, observedEntry } from '../model/stage-entry.js';
import { assembleMetrics } from '../model/assemble-metrics.js';
import { newRunId } from '../model/run-id.js';
import { runBenchmark } from '../benchmark/run-benchmark.js';
import { storedResult } from '../benchmark/power-run.js';
import { writeRunRecord, publishAndEndRun, readHistory, warnOnce, type RunRecord } from '../storage/results.js';
import type { ObjectStore } from '../storage/object-store.js';
import { renderReport } from '../report/render.js';
import { indexEntryFromMetrics } from '../report/history.js';
import { BadInputError, errorMessage } from '../util/errors.js';
import { checkDatasetInput } from '../datagen/dataset.js';
import type { Progress } from './progress.js';

export type BatchOptions = {
  stages: readonly BatchStage[];
  benchmark: boolean;
  /** Runs datagen first (resuming whatever is already complete). */
  generate: boolean;
  /** When bronze is missing: generate it (run) or refuse (benchmark on existing tables). */
  generateIfMissing: boolean;
  timeoutSeconds: number;
  /** Platform checks and guards that must hold before the run record is written (lease, capacity). */
  prepare?: (stores: ObjectStore[], log: (line: string) => void) => Promise<RunHooks | undefined>;
};

/** What a platform does around a run: heartbeats, clean-up on SIGTERM, release at the end. */
export type RunHooks = {
  /** The Lease guarding the run, recorded in run.json so the next holder knows the run is dead. */
  lease: string;
  started(record: RunRecord): void;
  interrupt(reason: string): Promise<void>;
  finished(): Promise<void>;
};

export type BatchResult = { metrics: Metrics; exitCode: number; reportKey: string };

export async function runBatch(
  config: LakebenchConfig,
  platform: Platform,
  local: ObjectStore,
  remote: ObjectStore | undefined,
  opts: BatchOptions,
  progress: Progress,
  preflight: (manifest: Manifest) => Promise<void>,
): Promise<BatchResult> {
  // The dataset's own checks (window, customer law at this scale) need only the config: made here,
  // not first inside datagen, where they would meet a run record already written.
  checkDatasetInput({ scale: config.scale, windowStart: config.datagen.window.start, windowEnd: config.datagen.window.end, customerLaw: config.datagen.customers });
  let manifest = opts.generate ? undefined : await platform.existingManifest(config);
  if (manifest) await preflight(manifest);
  else if (!opts.generate && !opts.generateIfMissing) {
    throw new BadInputError('no bronze dataset for this config (scale, seed, window): run `lakebench run` or `lakebench generate` first', 'bronze');
  }

  const stores = remote ? [local, remote] : [local];
  const hooks = await opts.prepare?.(stores, (line) => progress.line(line));
  const start = new Date();
  const runId = newRunId(start);
  const record: RunRecord = { run_id: runId, state: 'running', started_at: start.toISOString(), heartbeat_at: start.toISOString(), ended_at: null, reason: null, lease: hooks?.lease ?? null };
  // In the bucket too, from the start: a run killed with its pod leaves a record there, never a gap.
  for (const store of stores) await writeRunRecord(store, record);
  hooks?.started(record);
  const logLines: string[] = [];
  const log = (line: string) => {
    logLines.push(`${new Date().toISOString()} ${line}`);
    progress.line(line);
  };
  let interrupted: string | null = null;
  // Ends the record as incomplete everywhere (a cluster run also stops its work and releases its Lease).
  const endIncomplete = async (reason: string): Promise<void> => {
    if (hooks) return hooks.interrupt(reason);
    await Promise.all(stores.map((st) => writeRunRecord(st, { ...record, state: 'incomplete', ended_at: new Date().toISOString(), reason })));
  };
  // The signal handler's work: ends the record as incomplete, then exits 130.
  let interruption: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const reason = `interrupted by ${signal}`;
    interrupted = reason;
    interruption = endIncomplete(reason).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stages: StageEntry[] = [];
  const files: Record<string, string> = {};
  let datagenSeconds: number | null = null;
  let benchmark: Metrics['benchmark'] = null;
  let failed = false;
  const pipelineEngine = platform.kind === 'embedded' ? 'duckdb' : 'spark';
  let step: StageEntry['name'] = 'datagen';
  let stepStart = new Date();
  try {
    log(`run ${runId}: ${platform.kind} platform, scale ${config.scale}, output ${local.location}`);
    if (!manifest) {
      const t0 = new Date();
      log('datagen: generating bronze');
      manifest = await platform.generate(config, (p) => progress.datagen(p));
      datagenSeconds = (Date.now() - t0.getTime()) / 1000;
      stages.push(
        observedEntry('datagen', 'datagen', t0, new Date(), 'succeeded', platform.resources('bronze-verify'), {
          output_bytes: manifest.totals.total_bytes,
          output_rows: manifest.totals.total_rows,
          files_written: manifest.totals.file_count,
          metrics_source: 'stage-report',
          extras: { data_fingerprint: manifest.data_fingerprint },
        }),
      );
      log(`datagen: ${manifest.totals.file_count} files, ${manifest.totals.total_rows} rows, ${(manifest.totals.total_bytes / 2 ** 20).toFixed(1)} MiB in ${datagenSeconds.toFixed(1)} s`);
    }
    files['datagen-manifest.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
    const ctx: RunContext = { config, runId, referenceDate: config.asOfDate?.slice(0, 10) ?? manifest.totals.event_date_max, manifest, log };

    for (const stage of BATCH_STAGES) {
      if (!opts.stages.includes(stage)) continue;
      [step, stepStart] = [stage, new Date()];
      if (failed) {
        stages.push(observedEntry(stage, pipelineEngine, new Date(), new Date(), 'skipped', platform.resources(stage), { error: { message: 'an earlier stage failed', reason: 'SKIPPED', log_tail: null } }));
        continue;
      }
      const t0 = new Date();
      const timer = progress.stage(stage);
      try {
        // A cluster platform enforces the per-job timeout itself (and deletes the application); this
        // outer timer only catches a platform that hangs, so it waits a grace period longer.
        const report = await withTimeout(platform.runStage(stage, ctx), opts.timeoutSeconds + (platform.kind === 'kubernetes' ? 300 : 0), stage);
        files[`stages/${stage}.json`] = `${JSON.stringify(report, null, 2)}\n`;
        const logTail = logTailOf(report.extras);
        if (logTail) files[`logs/${stage}-driver.log`] = logTail;
        const entry = entryFromReport(report, platform.resources(stage));
        stages.push(entry);
        failed = entry.status === 'failed';
        timer.done(entry.status === 'succeeded', entry.error?.message);
      } catch (e) {
        failed = true;
        const message = errorMessage(e);
        stages.push(observedEntry(stage, pipelineEngine, t0, new Date(), 'failed', platform.resources(stage), { error: { message, reason: 'ERROR', log_tail: null } }));
        timer.done(false, message);
      }
    }

    if (opts.benchmark) {
      stages.push(observedEntry('maintenance', 'duckdb', new Date(), new Date(), 'skipped', platform.resources('gold-finalize'), {
        metrics_source: 'stage-report',
        extras: { skip_reason: platform.kind === 'embedded' ? 'the embedded mode keeps plain Parquet tables: nothing to compact' : 'not run' },
      }));
    }
    if (opts.benchmark && !failed) {
      const t0 = new Date();
      [step, stepStart] = ['benchmark', t0];
      const timer = progress.stage('benchmark');
      const engine = await platform.openQueryEngine(config);
      try {
        const outcome = await runBenchmark(engine, config, manifest, (e) => progress.query(e));
        benchmark = outcome.block;
        for (const r of outcome.runs) files[`benchmark/${r.def.id}.json`] = `${JSON.stringify(storedResult(r), null, 2)}\n`;
        const ok = outcome.block.queries.filter((q) => q.success).length;
        stages.push(observedEntry('benchmark', engine.type, t0, new Date(), 'succeeded', platform.resources('gold-finalize'), { metrics_source: 'stage-report', extras: { queries_succeeded: ok, qph: benchmark.qph } }));
        timer.done(ok === outcome.block.queries.length, `${ok}/${outcome.block.queries.length} queries succeeded`);
      } finally {
        await engine.close();
      }
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'BadInputError') {
      // Bad input only found once the run started still exits 2, but never leaves the record `running`.
      await endIncomplete(`refused: ${e.message}`).catch((err: unknown) => progress.line(`could not mark run ${runId} incomplete: ${errorMessage(err)}`));
      throw e;
    }
    log(`${step} failed: ${errorMessage(e)}`);
    const engine = step === 'datagen' ? 'datagen' : platform.kind === 'embedded' ? 'duckdb' : step === 'benchmark' ? 'trino' : pipelineEngine;
    stages.push(observedEntry(step, engine, stepStart, new Date(), 'failed', platform.resources('gold-finalize'), { error: { message: errorMessage(e), reason: 'ERROR', log_tail: null } }));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // A stage the signal cut short ends here too; publishing now would overwrite the incomplete record
  // the handler writes with a complete one. The handler exits the process when it is done.
  if (interruption) {
    await interruption;
    throw new Error(interrupted ?? 'interrupted');
  }

  const end = new Date();
  const res = platform.resources('silver-build');
  const metrics = assembleMetrics({
    runId,
    config,
    platform: platform.kind,
    start,
    end,
    manifest: manifest ?? null,
    datagenSeconds,
    stages,
    benchmark,
    benchmarkExpected: opts.benchmark,
    versions: await platform.versions(),
    sizing: { executors: res.executors, cores: res.cores, memory_gb: Math.round(res.memoryGb) },
    incompleteReason: interrupted,
  });
  log(`verdict: ${metrics.verdict.status}`);
  files['logs/runner.log'] = `${logLines.join('\n')}\n`;
  // A bad object in the runs index is named and skipped: it never fails the run or hides its record.
  const warn = warnOnce((line) => log(`warning: ${line}`));
  const history = [...(await readHistory(local, warn)), indexEntryFromMetrics(metrics)];
  const reportHtml = renderReport(metrics, { history });
  try {
    // Ends run.json in every store, as incomplete with the reason where publishing failed.
    await publishAndEndRun(stores, record, end.toISOString(), { metrics, reportHtml, files }, warn);
  } finally {
    await hooks?.finished();
  }
  return { metrics, exitCode: metrics.verdict.status === 'FAILED' ? 1 : 0, reportKey: `runs/${runId}/report.html` };
}

/** The driver's log tail a cluster stage observed (secrets already redacted by the platform). */
function logTailOf(extras: Record<string, unknown>): string | undefined {
  const k = extras.kubernetes;
  const tail = k && typeof k === 'object' ? (k as { log_tail?: unknown }).log_tail : undefined;
  return typeof tail === 'string' && tail.length > 0 ? tail : undefined;
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
