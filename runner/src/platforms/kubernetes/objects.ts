// The parts of the API objects the runner reads, validated. Watches hand over wire JSON (times as
// strings) while client-node's typed lists hand over Dates; both are accepted and kept as ISO text.
import { z } from 'zod';

const time = z.union([z.string(), z.date()]).transform((t) => (t instanceof Date ? t.toISOString() : t));
const meta = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: time.optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  deletionTimestamp: time.nullish(),
});

export const SPARK_SUCCESS_STATES = ['COMPLETED', 'SUCCEEDING'] as const;
export const SPARK_FAILURE_STATES = ['FAILED', 'FAILING', 'SUBMISSION_FAILED', 'INVALIDATING'] as const;
export const isTerminal = (state: string | undefined): boolean =>
  state !== undefined && ([...SPARK_SUCCESS_STATES, ...SPARK_FAILURE_STATES] as readonly string[]).includes(state);
export const isSuccess = (state: string | undefined): boolean => state !== undefined && (SPARK_SUCCESS_STATES as readonly string[]).includes(state);

export const sparkAppSchema = z.object({
  metadata: meta,
  status: z
    .object({
      applicationState: z.object({ state: z.string().optional(), errorMessage: z.string().optional() }).optional(),
      driverInfo: z.object({ podName: z.string().optional() }).optional(),
      terminationTime: time.nullish(),
      lastSubmissionAttemptTime: time.nullish(),
      executorState: z.record(z.string(), z.string()).nullish(),
    })
    .optional(),
});
export type SparkApp = z.infer<typeof sparkAppSchema>;

const containerState = z.object({
  running: z.object({ startedAt: time.nullish() }).nullish(),
  terminated: z
    .object({ startedAt: time.nullish(), finishedAt: time.nullish(), exitCode: z.number(), reason: z.string().nullish(), message: z.string().nullish() })
    .nullish(),
  waiting: z.object({ reason: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export const podSchema = z.object({
  metadata: meta,
  status: z
    .object({
      phase: z.string().nullish(),
      containerStatuses: z.array(z.object({ name: z.string(), state: containerState.nullish() })).nullish(),
    })
    .nullish(),
});
export type Pod = z.infer<typeof podSchema>;

export const jobSchema = z.object({
  metadata: meta,
  status: z
    .object({
      succeeded: z.number().nullish(),
      failed: z.number().nullish(),
      completedIndexes: z.string().nullish(),
      failedIndexes: z.string().nullish(),
      conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().nullish(), message: z.string().nullish() })).nullish(),
    })
    .nullish(),
});
export type Job = z.infer<typeof jobSchema>;

export const listMetaSchema = z.object({ metadata: z.object({ resourceVersion: z.string() }), items: z.array(z.unknown()) });

/** Validates each item of a list, keeping the ones that match. */
export function parseItems<T>(schema: z.ZodType<T>, items: unknown[]): T[] {
  return items.flatMap((i) => {
    const r = schema.safeParse(i);
    return r.success ? [r.data] : [];
  });
}

export const safe =
  <S extends z.ZodType>(schema: S) =>
  (o: unknown): z.output<S> | undefined => {
    const r = schema.safeParse(o);
    return r.success ? r.data : undefined;
  };

/** A list response as the watch helper takes it: items (validated later) and the list's resourceVersion. */
export function listed(raw: unknown): { items: unknown[]; resourceVersion: string } {
  const l = listMetaSchema.parse(raw);
  return { items: l.items, resourceVersion: l.metadata.resourceVersion };
}
