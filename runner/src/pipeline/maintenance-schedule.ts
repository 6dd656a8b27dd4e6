// When a continuous run maintains its tables (docs/pipeline.md §8.3): a retention pass every
// continuous.maintenance.retentionIntervalSeconds, a compaction every compactionIntervalSeconds (0 =
// twice the retention interval), both counted from the start of the streams; a pass where both fall
// does both. Passes run one after another through StreamingRun.maintain, so one that overruns delays
// the next instead of overlapping it; none starts after the window has closed, and the actions a pass
// had not started by then are recorded as skipped. A platform with nothing to maintain (its
// maintenanceSkipReason) makes no pass, and the block says why.
import type { ContinuousConfig } from '../config/schema.js';
import type { MaintenanceAction, MaintenanceActionRecord, MaintenanceBlock } from '../model/continuous-maintenance.js';
import type { StreamingRun } from '../platforms/streaming.js';
import { errorMessage } from '../util/errors.js';

type MaintenanceConfig = ContinuousConfig['maintenance'];

export type MaintenancePass = { index: number; atSeconds: number; retention: boolean; compaction: boolean };

export function compactionIntervalSeconds(m: MaintenanceConfig): number {
  return m.compactionIntervalSeconds === 0 ? 2 * m.retentionIntervalSeconds : m.compactionIntervalSeconds;
}

/** The passes due strictly inside a run of `durationSeconds`, in time order. */
export function maintenancePasses(m: MaintenanceConfig, durationSeconds: number): MaintenancePass[] {
  const due = new Map<number, { retention: boolean; compaction: boolean }>();
  const mark = (every: number, kind: 'retention' | 'compaction') => {
    for (let t = every; t < durationSeconds; t += every) {
      const at = due.get(t) ?? { retention: false, compaction: false };
      at[kind] = true;
      due.set(t, at);
    }
  };
  mark(m.retentionIntervalSeconds, 'retention');
  mark(compactionIntervalSeconds(m), 'compaction');
  return [...due.entries()].sort(([a], [b]) => a - b).map(([atSeconds, kinds], index) => ({ index, atSeconds, ...kinds }));
}

export type MaintenanceScheduler = {
  /** Closes the window: no further pass starts, the one in flight finishes its current statement; the block. */
  stop(): Promise<MaintenanceBlock>;
};

export function startMaintenance(opts: { streaming: StreamingRun; config: MaintenanceConfig; durationSeconds: number; startMs: number; log: (line: string) => void }): MaintenanceScheduler {
  const { streaming, config: m } = opts;
  const actions: MaintenanceActionRecord[] = [];
  const block = (passes: number): MaintenanceBlock => ({
    skip_reason: streaming.maintenanceSkipReason,
    retention_interval_seconds: m.retentionIntervalSeconds,
    compaction_interval_seconds: compactionIntervalSeconds(m),
    retention_threshold_seconds: m.retentionThresholdSeconds,
    passes,
    actions,
  });
  if (streaming.maintenanceSkipReason !== null) {
    opts.log(`maintenance: skipped, ${streaming.maintenanceSkipReason}`);
    return { stop: () => Promise.resolve(block(0)) };
  }
  const passes = maintenancePasses(m, opts.durationSeconds);
  opts.log(`maintenance: ${passes.length} passes due in the run (retention every ${m.retentionIntervalSeconds} s, threshold ${m.retentionThresholdSeconds} s; compaction every ${compactionIntervalSeconds(m)} s)`);
  let stopping = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ran = 0;
  const loop = (async () => {
    for (const pass of passes) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, Math.max(0, opts.startMs + pass.atSeconds * 1000 - Date.now()));
      });
      if (stopping) return;
      ran++;
      const request = { pass: pass.index, retention: pass.retention, compaction: pass.compaction, retentionThresholdSeconds: m.retentionThresholdSeconds, statementTimeoutSeconds: m.retentionIntervalSeconds, stopping: () => stopping };
      try {
        actions.push(...(await streaming.maintain(request)));
      } catch (e) {
        // A platform records failed actions itself; anything it threw is recorded here, never dropped.
        const kinds: MaintenanceAction[] = [...(pass.retention ? (['expire_snapshots', 'remove_orphan_files'] as const) : []), ...(pass.compaction ? (['rewrite_data_files'] as const) : [])];
        const at = new Date().toISOString();
        for (const action of kinds) actions.push({ pass: pass.index, started_at: at, table: 'all tables', action, status: 'failed', seconds: 0, older_than_seconds: null, detail: null, error: errorMessage(e) });
        opts.log(`maintenance pass ${pass.index} failed: ${errorMessage(e)}`);
      }
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      clearTimeout(timer);
      wake?.();
      await loop;
      return block(ran);
    },
  };
}
