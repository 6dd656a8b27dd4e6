import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { metricsJsonSchema, metricsSchemaFile } from '../../runner/src/model/metrics-json-schema.js';
import { parseMetrics } from '../../runner/src/storage/results.js';
import { makeMetrics } from '../fixtures/metrics.js';

describe('metrics.json schema', () => {
  it('is published in runner/schemas and matches the zod schema the runner writes with', () => {
    expect(readFileSync(metricsSchemaFile, 'utf8')).toBe(metricsJsonSchema());
  });

  it('reads version 1.x and refuses an unknown major version with a clear message', () => {
    const doc = makeMetrics({});
    expect(parseMetrics(JSON.stringify({ ...doc, schema_version: '1.7' }), 'm.json').run_id).toBe(doc.run_id);
    expect(() => parseMetrics(JSON.stringify({ ...doc, schema_version: '2.0' }), 'm.json')).toThrow(/m\.json: metrics schema_version "2\.0" is not supported \(this runner reads 1\.x\)/);
    expect(() => parseMetrics('{', 'm.json')).toThrow(/m\.json: not JSON/);
  });
});
