// Bad input never leaves a run record saying `running`. The window and date cases of the issue
// (end before start, a zero-day window, 2024-13-45) used to exit 2 with a good message and leave
// runs/<id>/run.json `running` forever: every config check now runs before the record is written,
// so nothing of the run exists. Bad input that can only show once a run started (the platform finds
// it) still exits 2, and the record ends `incomplete` with the reason.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench } from '../harness/cli.js';
import { loadConfig } from '../../runner/src/config/load.js';
import { runBatch } from '../../runner/src/pipeline/run-batch.js';
import { EmbeddedPlatform } from '../../runner/src/platforms/embedded/embedded-platform.js';
import type { Platform } from '../../runner/src/platforms/platform.js';
import { LocalStore } from '../../runner/src/storage/local-store.js';
import { runRecordSchema } from '../../runner/src/storage/results.js';
import { BadInputError } from '../../runner/src/util/errors.js';
import type { Progress } from '../../runner/src/pipeline/progress.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-record-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Everything under runs/ (there must be nothing), and no temporary files anywhere below `out`. */
function leftBehind(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((p) => p.startsWith('runs') || p.includes('.tmp-') || p.includes('write-probe'));
}

// Each case: the config, the field the message must name, and what it must say.
const CASES: [string, string, string, RegExp][] = [
  ['window end before start', 'datagen:\n  window: { start: 2025-01-01, end: 2024-01-01 }\n', 'datagen.window', /end must be after start/],
  ['a zero-day window', 'datagen:\n  window: { start: 2024-06-01, end: 2024-06-01 }\n', 'datagen.window', /end must be after start/],
  ['an impossible date 2024-13-45', 'datagen:\n  window: { start: 2024-13-45 }\n', 'datagen.window.start', /not a calendar date/],
  ['February 30th (Date.parse rolls it over to March 1st)', 'datagen:\n  window: { end: 2024-02-30 }\n', 'datagen.window.end', /not a calendar date/],
  ['hour 24 in an instant', "datagen:\n  window: { start: '2024-01-01T24:00:00Z' }\n", 'datagen.window.start', /not a calendar date/],
  ['an impossible asOfDate', 'asOfDate: 2025-04-31\n', 'asOfDate', /not a calendar date/],
  ['a pipeline timeout beyond what a timer holds', 'pipeline:\n  timeoutSeconds: 1e12\n', 'pipeline.timeoutSeconds', /Too big/],
  ['a customer law whose hottest customer holds most rows', 'datagen:\n  customers: { s: 3, q: 0 }\n', 'datagen.customers', /hottest customer would hold .* \(limit 5%\)/],
];

describe('config errors are refused before any run record exists', () => {
  it.each(CASES)('%s', async (name, yaml, field, message) => {
    const slug = name.replace(/\W+/g, '-');
    const config = path.join(tmp, `${slug}.yaml`);
    writeFileSync(config, `scale: 0.01\n${yaml}`);
    const out = path.join(tmp, `out-${slug}`);
    const r = await lakebench(['run', '--local', '--config', config, '--output', out], { cwd: tmp });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(field);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(leftBehind(out)).toEqual([]);
  });
});

describe('bad input found once the run started', () => {
  const quiet: Progress = { line: () => {}, datagen: () => {}, stage: () => ({ done: () => {} }), query: () => {} };

  it('exits as bad input, and ends the record incomplete with the reason', async () => {
    const out = path.join(tmp, 'late');
    const config = loadConfig(undefined, { scale: 0.01, output: out, platform: 'embedded' });
    // The real embedded platform, whose datagen meets bad input only the platform can see (as a
    // cluster's datagen Job finds a bucket it may not write): the run record already exists then.
    const real = new EmbeddedPlatform(out);
    const platform: Platform = Object.assign(Object.create(real) as EmbeddedPlatform, {
      generate: async () => {
        throw new BadInputError('the bronze bucket refuses writes', 'cluster.storage.buckets.bronze');
      },
    });
    const local = new LocalStore(out);
    const attempt = runBatch({ config, platform, local, options: { stages: ['bronze-verify'], benchmark: false, generate: true, generateIfMissing: true, timeoutSeconds: 60 }, progress: quiet });
    await expect(attempt).rejects.toThrow('cluster.storage.buckets.bronze: the bronze bucket refuses writes');

    const runs = readdirSync(path.join(out, 'runs'));
    expect(runs).toHaveLength(1);
    const record = runRecordSchema.parse(JSON.parse(readFileSync(path.join(out, 'runs', runs[0]!, 'run.json'), 'utf8')));
    expect(record.state).toBe('incomplete');
    expect(record.reason).toBe('refused: cluster.storage.buckets.bronze: the bronze bucket refuses writes');
    expect(record.ended_at).not.toBeNull();
    expect(leftBehind(out).filter((p) => p.includes('.tmp-'))).toEqual([]);
    // The signal handlers of the run are gone with it.
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
