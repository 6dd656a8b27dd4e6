// The published JSON Schema of metrics.json (docs/results.md §3.1), derived from the zod schema so the two
// cannot drift: `npx tsx runner/src/model/metrics-json-schema.ts` rewrites runner/schemas/, and a
// unit test fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { metricsSchema, METRICS_SCHEMA_VERSION } from './metrics.js';

export const metricsSchemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', `metrics-${METRICS_SCHEMA_VERSION}.schema.json`);

export function metricsJsonSchema(): string {
  const schema = z.toJSONSchema(metricsSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: `https://lakebench.dev/schemas/metrics-${METRICS_SCHEMA_VERSION}.schema.json`, title: `Lakebench metrics.json ${METRICS_SCHEMA_VERSION}` }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeFileSync(metricsSchemaFile, metricsJsonSchema());
  console.log(metricsSchemaFile);
}
