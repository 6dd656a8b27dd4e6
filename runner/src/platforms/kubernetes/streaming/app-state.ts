// What a streaming SparkApplication's status says about its job, decided in one place: still running
// (including between a failure and the operator's retry), stopped by itself, or given up on. Restarts
// are the operator's count of runs (status.executionAttempts) minus the first one.
import { z } from 'zod';

const time = z.union([z.string(), z.date()]).transform((t) => (t instanceof Date ? t.toISOString() : t));

export const streamingAppSchema = z.object({
  metadata: z.object({ name: z.string(), creationTimestamp: time.optional(), labels: z.record(z.string(), z.string()).nullish() }),
  status: z
    .object({
      applicationState: z.object({ state: z.string().optional(), errorMessage: z.string().optional() }).optional(),
      executionAttempts: z.number().int().nonnegative().optional(),
      submissionAttempts: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
export type StreamingApp = z.infer<typeof streamingAppSchema>;

/** States the operator v2.5.2 leaves an OnFailure application in once it stopped retrying. */
const GAVE_UP = ['FAILED', 'SUBMISSION_FAILED'] as const;
const ENDED_CLEANLY = ['COMPLETED'] as const;

export type AppView = {
  /** The operator's state, NEW before it has written one, DELETED once the object is gone. */
  state: string;
  phase: 'running' | 'completed' | 'failed' | 'deleted';
  restarts: number;
  error: string | null;
};

export function appView(app: StreamingApp | undefined, deleted: boolean): AppView {
  const state = deleted ? 'DELETED' : (app?.status?.applicationState?.state ?? 'NEW');
  const restarts = Math.max(0, (app?.status?.executionAttempts ?? 0) - 1);
  const error = app?.status?.applicationState?.errorMessage ?? null;
  const phase = deleted ? 'deleted' : (GAVE_UP as readonly string[]).includes(state) ? 'failed' : (ENDED_CLEANLY as readonly string[]).includes(state) ? 'completed' : 'running';
  return { state, phase, restarts, error: phase === 'failed' ? (error ?? `the operator gave up on it (${state})`) : error };
}

/**
 * How a job stopped, for the run's record: an application the operator gave up on died ('failed'),
 * whatever its report says; any other stops for the run's reason ('duration', or 'signal' when the
 * run was interrupted), also when the runner had to delete it at the end.
 */
export function stoppedBy(view: AppView, reason: 'duration' | 'signal'): 'duration' | 'failed' | 'signal' {
  return view.phase === 'failed' ? 'failed' : reason;
}
