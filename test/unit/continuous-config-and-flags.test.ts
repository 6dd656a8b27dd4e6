// Continuous mode's configuration and run flags: defaults, every refusal naming its key or flag
// (exit 2 through BadInputError).
import { describe, expect, it } from 'vitest';
import { withModeFlags } from '../../runner/src/cli/run-command.js';
import { landingIntervalMs } from '../../runner/src/datagen/landing.js';
import { badInputFrom as failure, parseConfigYaml as parse } from './fixtures/config-yaml.js';

describe('continuous configuration', () => {
  it('has the contract defaults', () => {
    const c = parse('pipeline: { mode: continuous }');
    expect(c.pipeline.mode).toBe('continuous');
    expect(c.continuous).toEqual({
      durationSeconds: 1800,
      landing: {},
      triggers: { bronzeSeconds: 30, silverSeconds: 60, goldRefreshSeconds: 300 },
      maxFilesPerTrigger: 50,
      checkpointBase: 'checkpoints',
      rounds: { schedule: '*/5 * * * *', warmupSeconds: 300, q9RetryWaitSeconds: 30, q9MaxAttempts: 3 },
      saturationRatio: 0.95,
      maintenance: { retentionIntervalSeconds: 1800, retentionThresholdSeconds: 1800, compactionIntervalSeconds: 0 },
    });
    // No rate given: 2 files a minute.
    expect(landingIntervalMs(c.continuous.landing, 16 * 2 ** 20)).toBe(30_000);
    expect(landingIntervalMs({ mbPerSecond: 4 }, 16 * 1e6)).toBe(4000);
  });

  it('refuses, naming the key, a run shorter than 60 s, two landing rates, a bad cron expression and an escaping checkpoint base', () => {
    expect(failure(() => parse('continuous: { durationSeconds: 30 }')).message).toContain('continuous.durationSeconds');
    expect(failure(() => parse('continuous: { landing: { filesPerMinute: 2, mbPerSecond: 5 } }')).message).toMatch(/continuous\.landing.*not both/s);
    expect(failure(() => parse("continuous: { rounds: { schedule: '*/5 * * *' } }")).message).toContain('continuous.rounds.schedule');
    expect(failure(() => parse("continuous: { rounds: { schedule: '99 * * * *' } }")).message).toContain('continuous.rounds.schedule');
    expect(failure(() => parse('continuous: { checkpointBase: ../x }')).message).toContain('continuous.checkpointBase');
    expect(failure(() => parse('continuous: { checkpointBase: /abs }')).message).toContain('continuous.checkpointBase');
    expect(failure(() => parse('pipeline: { mode: streaming }')).message).toContain('pipeline.mode');
  });

  it('accepts a 6-field schedule with seconds first', () => {
    expect(parse("continuous: { rounds: { schedule: '*/10 * * * * *' } }").continuous.rounds.schedule).toBe('*/10 * * * * *');
  });
});

describe('run flags --mode and --duration', () => {
  const batch = parse('');
  const continuous = parse('pipeline: { mode: continuous }');

  it('sets the mode and the duration', () => {
    const c = withModeFlags(batch, { mode: 'continuous', duration: 90 });
    expect(c.pipeline.mode).toBe('continuous');
    expect(c.continuous.durationSeconds).toBe(90);
    expect(withModeFlags(continuous, { mode: 'batch' }).pipeline.mode).toBe('batch');
  });

  it('refuses --duration without continuous mode, and --stage or --skip-benchmark with it, naming the flag', () => {
    expect(failure(() => withModeFlags(batch, { duration: 90 })).where).toBe('--duration');
    expect(failure(() => withModeFlags(continuous, { stage: 'silver-build' })).where).toBe('--stage');
    expect(failure(() => withModeFlags(batch, { mode: 'continuous', skipBenchmark: true })).where).toBe('--skip-benchmark');
  });
});
