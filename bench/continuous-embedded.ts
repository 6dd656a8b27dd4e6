// Embedded continuous mode (README "Continuous mode"): at each landing rate, one continuous run on the
// same base set, and what the tables say about it — worst refresh freshness, median query-time
// freshness, ingest ratio (saturated below continuous.saturationRatio) — so the rate at which the
// embedded pipeline saturates on this machine can be read off. The machine is shared and noisy: the
// load average is printed with every figure. The ingest ratio only sees bronze-ingest after the stop's
// catch-up; a landing that could not keep its rate shows in landed_per_min (achieved), and silver-stream falling
// behind in silver_in_window (silver rows committed by the last landing ÷ rows landed by then minus the
// documented filter; continuous-saturation.ts) and in refresh freshness growing from commit to commit.
// Usage: npx tsx bench/continuous-embedded.ts [--scale 0.1] [--duration 300] [--rates 2,6,12,30] [--max-files 4]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { metricsSchema } from '../runner/src/model/metrics.js';
import { jobReportSchema } from '../runner/src/model/streaming-job-report.js';
import { saturationFigures } from './continuous-saturation.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg('scale', '0.1'));
const duration = Number(arg('duration', '300'));
const rates = arg('rates', '2,6,12,30').split(',').map(Number);
const maxFiles = Number(arg('max-files', '4'));
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-bench-continuous-'));
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

try {
  console.log(`machine: ${os.availableParallelism()} cores, load ${load()}; scale ${scale}, ${duration} s per rate, maxFilesPerTrigger ${maxFiles}`);
  console.log('files/min  extra_files  landed_per_min  ingest_ratio  saturated  silver_lag_s  silver_in_window  first_refresh_freshness_s  data_freshness_s  last_refresh_freshness_s  query_time_freshness_s  rounds  in_stream_qph  silver_batch_p50_s  gold_commits  wall_s  load');
  for (const rate of rates) {
    const config = path.join(dir, `rate-${rate}.yaml`);
    writeFileSync(
      config,
      `scale: ${scale}\noutput: ${path.join(dir, 'out')}\ncontinuous:\n  landing: { filesPerMinute: ${rate} }\n  triggers: { bronzeSeconds: 15, silverSeconds: 30, goldRefreshSeconds: 60 }\n  maxFilesPerTrigger: ${maxFiles}\n  rounds: { schedule: '*/1 * * * *', warmupSeconds: 90 }\n`,
    );
    const started = Date.now();
    const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'runner/src/cli/main.ts'), 'run', '--config', config, '--mode', 'continuous', '--duration', String(duration), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`rate ${rate}: exit ${r.status}\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { metrics: string };
    const m = metricsSchema.parse(JSON.parse(readFileSync(summary.metrics, 'utf8')));
    const s = m.continuous!.scorecard;
    const f = (v: number | null, d = 1) => (v === null ? '—' : v.toFixed(d));
    const c = m.continuous!;
    const silver = c.jobs.find((j) => j.job === 'silver-stream');
    const reportFile = path.join(dir, 'out', 'warehouse', 'checkpoints', m.run_id, 'silver-stream', 'report.json');
    const silverReport = jobReportSchema.parse(JSON.parse(readFileSync(reportFile, 'utf8')));
    const sat = saturationFigures(m, silverReport);
    const firstCommit = c.gold_commits.at(0);
    const lastCommit = c.gold_commits.at(-1);
    console.log(
      `${String(rate).padStart(9)}  ${String(c.landed.extra_files).padStart(11)}  ${f(sat.landedPerMinute, 2).padStart(14)}  ${f(s.ingest_ratio, 3).padStart(12)}  ${String(s.pipeline_saturated).padStart(9)}  ${f(s.silver_lag_seconds ?? null).padStart(12)}  ${f(sat.silverInWindow, 3).padStart(16)}  ${f(firstCommit?.refresh_freshness_seconds ?? null).padStart(25)}  ${f(s.data_freshness_seconds).padStart(16)}  ${f(lastCommit?.refresh_freshness_seconds ?? null).padStart(24)}  ${f(s.query_time_freshness_seconds).padStart(22)}  ${String(s.benchmark_rounds_count).padStart(6)}  ${f(s.in_stream_composite_qph, 0).padStart(13)}  ${f(silver?.batch_seconds_p50 ?? null).padStart(18)}  ${String(c.gold_commits.length).padStart(12)}  ${String(Math.round((Date.now() - started) / 1000)).padStart(6)}  ${load()}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
