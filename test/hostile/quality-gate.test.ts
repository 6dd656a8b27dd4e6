// bronze-verify's gates decide a real run: a threshold tightened in the config below what the data
// holds (about 2% duplicate_suspected rows) fails bronze-verify, skips every later stage and the
// benchmark, and the verdict is FAILED with QUALITY_GATE, exit 1. In warn mode the same breach is a
// WARNING with QUALITY_WARN, exit 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench } from '../harness/cli.js';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-gate-'));
const out = path.join(tmp, 'out');
const config = (mode: 'fail' | 'warn') => {
  const file = path.join(tmp, `gate-${mode}.yaml`);
  writeFileSync(file, `scale: 0.01\nquality:\n  thresholds:\n    duplicate_suspected_rate: { max: 0.001, mode: ${mode} }\n`);
  return file;
};
const metricsOf = (stdout: string): Metrics => {
  const summary = JSON.parse(stdout) as { metrics: string };
  return metricsSchema.parse(JSON.parse(readFileSync(summary.metrics, 'utf8')));
};

beforeAll(async () => {
  const g = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
  expect(g.code, g.stderr).toBe(0);
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a bronze-verify gate tightened in the config', () => {
  it('fail mode: bronze-verify FAILED, later stages skipped, verdict FAILED with QUALITY_GATE, exit 1', async () => {
    const r = await lakebench(['run', '--local', '--config', config('fail'), '--output', out, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/bronze-verify: FAILED/);
    const m = metricsOf(r.stdout);
    const stage = (name: string) => m.stages.find((s) => s.name === name);
    expect(stage('bronze-verify')).toMatchObject({ status: 'failed', error: { reason: 'QUALITY_GATE' } });
    const gate = stage('bronze-verify')!.validation!.find((c) => c.name === 'duplicate_suspected_rate')!;
    expect(gate).toMatchObject({ status: 'FAIL', threshold: 0.001, mode: 'fail' });
    expect(gate.observed).toBeGreaterThan(0.001);
    expect(stage('bronze-verify')!.validation!.filter((c) => c.status !== 'PASS').map((c) => c.name)).toEqual(['duplicate_suspected_rate']);
    expect([stage('silver-build')?.status, stage('gold-finalize')?.status]).toEqual(['skipped', 'skipped']);
    expect(m.benchmark).toBeNull();
    expect(m.verdict.status).toBe('FAILED');
    expect(m.verdict.reasons).toContainEqual(expect.objectContaining({ code: 'QUALITY_GATE', severity: 'FAILED', source: 'bronze-verify' }));
    expect(m.verdict.reasons.find((x) => x.code === 'QUALITY_GATE')!.message).toMatch(/^duplicate_suspected_rate: /);
    // Nothing was built from bronze that failed its gates.
    expect(existsSync(path.join(out, 'warehouse', 'silver'))).toBe(false);
  });

  it('warn mode: the same breach is a WARNING with QUALITY_WARN, exit 0', async () => {
    const r = await lakebench(['run', '--local', '--config', config('warn'), '--output', out, '--stage', 'bronze-verify', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = metricsOf(r.stdout);
    expect(m.stages.find((s) => s.name === 'bronze-verify')).toMatchObject({ status: 'succeeded' });
    expect(m.verdict.status).toBe('WARNING');
    expect(m.verdict.reasons.map((x) => x.code)).toEqual(['QUALITY_WARN']);
  });
});
