import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runner/src/config/load.js';
import { badInputFrom as failure, parseConfigYaml as parse } from './fixtures/config-yaml.js';

describe('config validation', () => {
  it('fills every default from an empty document', () => {
    const c = parse('');
    expect(c.scale).toBe(0.1);
    expect(c.seed).toBe(42);
    expect(c.datagen.window).toEqual({ start: '2024-01-01', end: '2025-12-31' });
    expect(c.benchmark).toMatchObject({ mode: 'power', iterations: 1, cache: 'hot', timeoutSeconds: 300 });
    expect(c.quality.thresholds.duplicate_suspected_rate).toEqual({ max: 0.05, mode: 'fail' });
    expect(c.quality.thresholds.dirt_present.mode).toBe('warn');
  });

  it('rejects an unknown key with its path and the closest known key', () => {
    const e = failure(() => parse('benchmark:\n  iteratons: 3\n'));
    expect(e.message).toContain('benchmark.iteratons: unknown key');
    expect(e.message).toContain("did you mean 'iterations'");
    expect(e.message).toContain('test.yaml');
  });

  it('rejects wrong types and out-of-range values naming the field', () => {
    expect(failure(() => parse('scale: -1\n')).message).toMatch(/scale: scale must be at least 0\.01/);
    expect(failure(() => parse('benchmark:\n  iterations: many\n')).message).toMatch(/benchmark\.iterations: .*number/i);
    expect(failure(() => parse('benchmark:\n  cache: warm\n')).message).toMatch(/benchmark\.cache/);
    expect(failure(() => parse('results:\n  bucket:\n    endpoint: not a url\n    bucket: abc\n')).message).toMatch(/results\.bucket\.endpoint/);
  });

  it('rejects malformed YAML naming the file', () => {
    expect(failure(() => parse('scale: [1, 2\n')).message).toMatch(/^test\.yaml: malformed YAML/);
  });

  it('substitutes ${VAR} and ${VAR:-default} into scalar values, typed like YAML literals', () => {
    const c = parse('scale: ${SCALE}\nseed: ${SEED:-7}\nname: ${NAME:-bench}\n', { SCALE: '0.5' });
    expect(c.scale).toBe(0.5);
    expect(c.seed).toBe(7);
    expect(c.name).toBe('bench');
  });

  it('refuses an unset variable without default', () => {
    expect(failure(() => parse('scale: ${NOPE}\n')).message).toMatch(/NOPE is not set/);
  });

  it('lets flags override the file', () => {
    const c = loadConfig(undefined, { scale: 2, output: '/tmp/x' });
    expect(c.scale).toBe(2);
    expect(c.output).toBe('/tmp/x');
  });

  it('never accepts credentials in the results bucket block', () => {
    const e = failure(() => parse('results:\n  bucket:\n    endpoint: http://s3:9000\n    bucket: results\n    secretAccessKey: x\n'));
    expect(e.message).toContain('results.bucket.secretAccessKey: unknown key');
  });
});
