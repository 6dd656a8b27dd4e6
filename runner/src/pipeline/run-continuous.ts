// The continuous orchestrator (docs/pipeline.md §8), as named phases: resolve bronze (the base set) →
// open the run record → [datagen of the base set] → stream for the duration while node-cron fires the
// in-stream rounds → stop cleanly → publish metrics.json (mode continuous, with its scorecard) and
// the report. It talks to the platform through Platform.openStreaming and the query engine only.
// A SIGINT/SIGTERM stops the landing and the jobs cleanly, then ends the record as incomplete.
import type { LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import { checkDatasetInput } from '../datagen/dataset.js';
import type { Platform } from '../platforms/platform.js';
import type { StreamingRun } from '../platforms/streaming.js';
import type { QueryEngine } from '../engines/engine.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Progress } from './progress.js';
import type { Metrics, StageEntry } from '../model/metrics.js';
import type { RoundRecord } from '../model/continuous-metrics.js';
import { observedEntry } from '../model/stage-entry.js';
import { assembleMetrics } from '../model/assemble-metrics.js';
import { continuousBlock, silverLagMaxSeconds, type StreamingFacts } from '../model/continuous-scorecard.js';
import { withContinuous } from '../model/assemble-continuous.js';
import type { IndexEntry } from '../model/index-entry.js';
import { runRound, skippedRound, unrunnableRound, type RoundOptions } from '../benchmark/in-stream-round.js';
import { startRoundScheduler } from '../benchmark/round-scheduler.js';
import type { MaintenanceBlock } from '../model/continuous-maintenance.js';
import { startMaintenance } from './maintenance-schedule.js';
import { readHistory, warnOnce } from '../storage/results.js';
import { errorMessage } from '../util/errors.js';
import { openRunRecord, publishRun, runFacts, type BatchResult, type OpenRecord } from './run-batch.js';
import { resourceProfileOf } from './step-failure.js';

export type ContinuousRunInput = {
  config: LakebenchConfig;
  platform: Platform;
  local: ObjectStore;
  remote?: ObjectStore;
  progress: Progress;
};

/** How often the run logs what the streams show. */
const OBSERVE_EVERY_MS = 15_000;

export async function runContinuous(run: ContinuousRunInput): Promise<BatchResult> {
  const { config, platform, progress } = run;
  // Phase 1, before any record: what the platform cannot stream, the dataset's own checks, the base set in place.
  platform.checkContinuous(config);
  checkDatasetInput({ scale: config.scale, windowStart: config.datagen.window.start, windowEnd: config.datagen.window.end, customerLaw: config.datagen.customers });
  let manifest = await platform.existingManifest(config);
  if (manifest) await platform.preflight(manifest);

  let streaming: StreamingRun | undefined;
  const rec = await openRunRecord(run, async () => {
    await streaming?.stop('signal');
  });
  const stages: StageEntry[] = [];
  let datagenSeconds: number | null = null;
  let facts: StreamingFacts | undefined;
  let failure: string | null = null;
  try {
    rec.log(`run ${rec.runId}: continuous, ${platform.kind} platform, scale ${config.scale}, ${config.continuous.durationSeconds} s`);
    if (!manifest) {
      const t0 = new Date();
      rec.log('datagen: generating the base set');
      manifest = await platform.generate(config, (p) => progress.datagen(p), rec.runId);
      datagenSeconds = (Date.now() - t0.getTime()) / 1000;
      stages.push(
        observedEntry('datagen', 'datagen', t0, new Date(), 'succeeded', platform.resources(resourceProfileOf('datagen')), {
          output_bytes: manifest.totals.total_bytes,
          output_rows: manifest.totals.total_rows,
          files_written: manifest.totals.file_count,
          metrics_source: 'stage-report',
          extras: { data_fingerprint: manifest.data_fingerprint },
        }),
      );
    }
    const referenceDate = config.asOfDate?.slice(0, 10) ?? manifest.totals.event_date_max;
    streaming = await platform.openStreaming({ config, continuous: config.continuous, runId: rec.runId, referenceDate, base: manifest, log: rec.log });
    facts = await streamPhase({ config, platform, progress, log: rec.log }, streaming, baseSetOf(manifest));
  } catch (e) {
    if (e instanceof Error && e.name === 'BadInputError') {
      await streaming?.stop('signal').catch(() => undefined);
      await rec.endIncomplete(`refused: ${e.message}`).catch((err: unknown) => progress.line(`could not mark run ${rec.runId} incomplete: ${errorMessage(err)}`));
      throw e;
    }
    failure = errorMessage(e);
    rec.log(`continuous run failed: ${failure}`);
    await streaming?.stop('duration').catch(() => undefined);
  } finally {
    rec.stopListening();
  }
  await rec.waitForInterruption();
  return publishPhase(run, rec, { manifest: manifest ?? null, datagenSeconds, stages, facts, failure });
}

/** What the stream phase needs of the run: the config, the platform's query engine and cores, where it reports. */
export type StreamPhaseInput = {
  config: LakebenchConfig;
  platform: Pick<Platform, 'openQueryEngine' | 'resources'>;
  progress: Pick<Progress, 'line'>;
  log: (line: string) => void;
};

/** The base set as the scorecard counts it: already landed when the streams start. */
export function baseSetOf(base: Manifest): StreamingFacts['base'] {
  return { files: base.totals.file_count, rows: base.totals.total_rows, bytes: base.totals.total_bytes, filteredRows: base.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0 };
}

/**
 * Phase 3: start the streams, fire rounds on the schedule, close the window at the duration, stop;
 * what the run observed. The window closes at the deadline (start + durationSeconds): a round or
 * maintenance pass still running then is waited for before the stop, but that wait is not streaming
 * time, so neither silver's lag nor duration_seconds grows with it.
 */
export async function streamPhase({ config, platform, progress, log }: StreamPhaseInput, streaming: StreamingRun, base: StreamingFacts['base']): Promise<StreamingFacts> {
  const c = config.continuous;
  // The duration is streaming time: it starts once the platform says the jobs are up (on a cluster,
  // minutes after their submission), not while they are still being submitted and started.
  await streaming.start();
  const start = Date.now();
  log(`streaming: landing, bronze-ingest every ${c.triggers.bronzeSeconds} s, silver-stream every ${c.triggers.silverSeconds} s, gold-refresh every ${c.triggers.goldRefreshSeconds} s`);
  const roundOptions: RoundOptions = { timeoutSeconds: config.benchmark.timeoutSeconds, q9RetryWaitSeconds: c.rounds.q9RetryWaitSeconds, q9MaxAttempts: c.rounds.q9MaxAttempts };
  const scheduler = startRoundScheduler({
    schedule: c.rounds.schedule,
    notBefore: new Date(start + c.rounds.warmupSeconds * 1000),
    log,
    runRound: async (index, at) => {
      // The freshness probe: the newest gold commit when the round starts is the snapshot it reads.
      const started = new Date();
      const commits = (await streaming.observe()).gold_commits;
      const newest = commits[commits.length - 1];
      // Gold must complete one refresh before a round means anything (docs/pipeline.md §8.4).
      if (!newest) return skippedRound(index, at, 'gold has no commit yet');
      let engine: QueryEngine;
      try {
        engine = await platform.openQueryEngine(config);
      } catch (e) {
        return unrunnableRound(index, at, started, errorMessage(e));
      }
      try {
        return await runRound(engine, index, at, { at: started, goldCommitId: newest.id, sourceMaxProcessingTs: newest.source_max_processing_ts }, roundOptions);
      } finally {
        await engine.close();
      }
    },
  });
  const maintenance = startMaintenance({ streaming, config: c.maintenance, durationSeconds: c.durationSeconds, startMs: start, log });
  const ticker = setInterval(() => {
    void streaming.observe().then((o) => progress.line(`streaming: ${o.landed.length} files landed, silver ${o.silver_rows} rows, ${o.gold_commits.length} gold commits`)).catch(() => undefined);
  }, OBSERVE_EVERY_MS);
  let rounds: RoundRecord[];
  let maintained: MaintenanceBlock;
  let closedMs: number;
  try {
    // A timer may fire a millisecond before the wall clock reaches its time: wait until it has.
    const deadline = start + c.durationSeconds * 1000;
    while (Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, deadline - Date.now()));
  } finally {
    // The window closes when the duration's wait ends, before waiting for the round or maintenance
    // pass in flight (minutes, possibly): silver's lag is judged at this instant (silverLagSeconds),
    // and the streaming window it ends is the run's duration_seconds.
    closedMs = Date.now();
    clearInterval(ticker);
    [rounds, maintained] = await Promise.all([scheduler.stop(), maintenance.stop()]);
  }
  const closedAt = new Date(closedMs).toISOString();
  const durationSeconds = (closedMs - start) / 1000;
  const overran = (Date.now() - closedMs) / 1000;
  if (overran >= 1) log(`window closed after ${durationSeconds.toFixed(1)} s; the round or maintenance pass in flight then took ${overran.toFixed(1)} s more to finish`);
  const jobs = await streaming.stop('duration');
  const seen = await streaming.observe();
  log(`streaming stopped ${((Date.now() - start) / 1000).toFixed(1)} s after it started: ${jobs.map((j) => `${j.job} ${j.batches.length} batches (${j.stopped_by})`).join(', ')}`);
  return {
    durationSeconds,
    base,
    landed: seen.landed,
    jobs,
    goldCommits: seen.gold_commits,
    rounds,
    cores: platform.resources('silver-build').cores,
    batchBaselineQph: null,
    saturationRatio: c.saturationRatio,
    window: { openedAt: new Date(start).toISOString(), closedAt },
    silverLagMaxSeconds: silverLagMaxSeconds(c.triggers),
    maintenance: maintained,
  };
}

/** The QpH of the newest batch power run on the same data and platform that did not fail: the in-stream baseline. */
export function batchBaseline(history: readonly IndexEntry[], dataFingerprint: string | null, platform: string): number | null {
  const same = history.filter((h) => h.mode === 'batch' && h.platform === platform && h.data_fingerprint === dataFingerprint && h.verdict !== 'FAILED' && h.headline_qph_kind === 'power' && h.headline_qph !== null);
  same.sort((a, b) => (a.start_time < b.start_time ? 1 : -1));
  return same[0]?.headline_qph ?? null;
}

type Outcome = { manifest: Manifest | null; datagenSeconds: number | null; stages: StageEntry[]; facts: StreamingFacts | undefined; failure: string | null };

/** Phase 4: the verdict, metrics.json, the report and the index entry, and run.json ended in every store. */
async function publishPhase({ platform, config, local }: ContinuousRunInput, rec: OpenRecord, o: Outcome): Promise<BatchResult> {
  const end = new Date();
  const warn = warnOnce((line) => rec.log(`warning: ${line}`));
  const previous = await readHistory(local, warn);
  const batch = assembleMetrics({
    ...(await runFacts(platform, config, rec, end)),
    manifest: o.manifest,
    datagenSeconds: o.datagenSeconds,
    stages: o.stages,
    benchmark: null,
    benchmarkExpected: false,
    incompleteReason: o.failure,
  });
  const facts = o.facts ? { ...o.facts, batchBaselineQph: batchBaseline(previous, o.manifest?.data_fingerprint ?? null, platform.kind) } : undefined;
  const metrics: Metrics = withContinuous(batch, facts ? continuousBlock(facts) : null, config);
  const files: Record<string, string> = o.manifest ? { 'datagen-manifest.json': `${JSON.stringify(o.manifest, null, 2)}\n` } : {};
  return publishRun(rec, end, metrics, files, previous, warn);
}
