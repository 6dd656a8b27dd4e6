// Two small deciders every metrics.json goes through: canonical JSON (runner/src/util/canonical-json.ts),
// whose bytes the fingerprints and datagen file keys hash, and the config redaction
// (runner/src/config/redact.ts) that keeps anything that looks like a credential out of the
// config snapshot in metrics.json and the report.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../runner/src/util/canonical-json.js';
import { redactConfig } from '../../runner/src/config/redact.js';
import { validateConfig } from '../../runner/src/config/load.js';
import type { LakebenchConfig } from '../../runner/src/config/schema.js';

describe('canonical JSON', () => {
  it('gives the same bytes whatever the key order, sorted at every depth, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } }));
  });

  it('leaves out undefined members but keeps null, and keeps array order', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [2, 1] })).toBe('{"b":null,"c":[2,1]}');
  });

  it('sorts keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, _: 3, é: 4 })).toBe('{"B":2,"_":3,"b":1,"é":4}');
  });
});

describe('config redaction', () => {
  it('keeps every ordinary key of a real config', () => {
    const config = validateConfig({ scale: 1, results: { bucket: { endpoint: 'http://s3:9000', bucket: 'results', prefix: 'team-a' } } }, 'test');
    const redacted = redactConfig(config);
    expect(redacted).toEqual(JSON.parse(JSON.stringify(config)));
  });

  it('drops keys that look like credentials at any depth, in objects and arrays, whatever their case', () => {
    const config = validateConfig({ scale: 1 }, 'test') as LakebenchConfig & Record<string, unknown>;
    const planted = {
      ...config,
      results: { bucket: { endpoint: 'http://s3:9000', bucket: 'r', prefix: '', secretAccessKey: 's3cr3t', ACCESS_KEY: 'AKIA' } },
      extra: [{ password: 'p', token: 't', name: 'kept' }, { Credentials: { user: 'u' } }],
    } as unknown as LakebenchConfig;
    const text = JSON.stringify(redactConfig(planted));
    for (const secret of ['s3cr3t', 'AKIA', '"p"', '"t"', '"u"']) expect(text).not.toContain(secret);
    expect(text).toContain('"name":"kept"');
    expect(text).toContain('"endpoint":"http://s3:9000"');
  });
});
