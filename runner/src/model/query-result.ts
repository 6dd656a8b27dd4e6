// One benchmark query's result in metrics.json (docs/results.md §2.3): the batch benchmark block and the
// in-stream rounds of the continuous block both hold these.
import { z } from 'zod';

export const queryCheckSchema = z.object({
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped']),
  expected: z.union([z.number(), z.string()]).nullable(),
  observed: z.union([z.number(), z.string()]).nullable(),
  detail: z.string().optional(),
});
export type QueryCheck = z.infer<typeof queryCheckSchema>;

export const queryClassSchema = z.enum(['scan', 'filter_prune', 'aggregation', 'analytics', 'operational']);
export type QueryClass = z.infer<typeof queryClassSchema>;

export const queryResultSchema = z.object({
  id: z.string().regex(/^Q[1-9]$/),
  name: z.string(),
  display_name: z.string(),
  class: queryClassSchema,
  success: z.boolean(),
  rows: z.number().int().nullable(),
  elapsed_seconds: z.number(),
  samples_seconds: z.array(z.number()),
  p50_seconds: z.number(),
  p95_seconds: z.number(),
  min_seconds: z.number(),
  max_seconds: z.number(),
  fingerprint: z.string().nullable(),
  fingerprint_stable: z.boolean(),
  checks: z.array(queryCheckSchema),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  engine_stats: z.record(z.string(), z.unknown()).nullable(),
});
export type QueryResult = z.infer<typeof queryResultSchema>;

