// Which stage of an embedded continuous run fell behind, from the run's own records: the rate the
// landing achieved (against the configured one), and silver-stream against what had landed by the
// end of the landing window. The scorecard's ingest ratio shows neither: it divides by what actually
// landed (a landing that fell behind lowers both sides), and counts bronze_raw after the stop's final
// catch-up batch (which lets silver-stream catch up too, hiding its backlog). The scorecard's
// silver_lag_seconds (model/continuous-scorecard.ts) judges silver's backlog in time at the window's
// close and sets pipeline_saturated; silver_in_window here is the same backlog as a share of rows.
import type { Metrics } from '../runner/src/model/metrics.js';
import type { JobReport } from '../runner/src/model/streaming-job-report.js';

export type SaturationFigures = {
  /** Files a minute the landing achieved between its first and last file (the configured rate when it kept up). */
  landedPerMinute: number | null;
  /** Silver rows committed by the last landing ÷ rows landed by then minus silver's filter (base set included). */
  silverInWindow: number | null;
};

export function saturationFigures(m: Metrics, silver: JobReport | undefined): SaturationFigures {
  const landed = m.continuous!.landed;
  const times = landed.files.map((f) => Date.parse(f.landed_at));
  const lastLanding = Math.max(...times);
  const span = (lastLanding - Math.min(...times)) / 60_000;
  const landedPerMinute = times.length > 1 && span > 0 ? (times.length - 1) / span : null;
  if (!silver || !Number.isFinite(lastLanding)) return { landedPerMinute, silverInWindow: null };
  const extraFiltered = landed.files.reduce((n, f) => n + f.filtered_rows, 0);
  const expected = landed.base_rows - (landed.filtered_rows - extraFiltered) + landed.files.reduce((n, f) => n + f.rows - f.filtered_rows, 0);
  const committedBy = (t: number) => silver.batches.filter((b) => Date.parse(b.committed_at) <= t).reduce((n, b) => n + b.rows, 0);
  return {
    landedPerMinute,
    silverInWindow: expected > 0 ? committedBy(lastLanding) / expected : null,
  };
}
