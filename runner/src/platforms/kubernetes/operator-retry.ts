// Whether the Spark Operator will run a failing SparkApplication again. The runner submits its batch
// stages with `OnFailure` retries (manifests/spark-application.ts), so FAILING and SUBMISSION_FAILED
// are not the end while retries remain: the operator (v2.5.2, pkg/util ShouldRetry) moves them to
// PENDING_RERUN and runs the application again, and only FAILED is final. A monitor that stopped at
// the first FAILING would publish a failed stage while the operator reruns it behind the run's back.
import { z } from 'zod';

/** The parts of a SparkApplication the operator's retry rule reads (field names of its v1beta2 CRD). */
const retryFieldsSchema = z.object({
  spec: z
    .object({
      restartPolicy: z
        .object({
          type: z.string().optional(),
          onFailureRetries: z.number().int().nullish(),
          onSubmissionFailureRetries: z.number().int().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  status: z
    .object({
      applicationState: z.object({ state: z.string().optional() }).nullish(),
      executionAttempts: z.number().int().nullish(),
      submissionAttempts: z.number().int().nullish(),
    })
    .nullish(),
});

/**
 * The operator's own rule, applied to the application as the API server returned it: `Always` retries
 * every failure; `OnFailure` retries FAILING while executionAttempts ≤ onFailureRetries and
 * SUBMISSION_FAILED while submissionAttempts ≤ onSubmissionFailureRetries; `Never` (the default) and
 * every other state do not. An application whose fields cannot be read is treated as not retried.
 */
export function operatorWillRetry(rawApp: unknown): boolean {
  const parsed = retryFieldsSchema.safeParse(rawApp);
  if (!parsed.success) return false;
  const policy = parsed.data.spec?.restartPolicy;
  const status = parsed.data.status;
  const state = status?.applicationState?.state;
  if (state !== 'FAILING' && state !== 'SUBMISSION_FAILED') return false;
  if (policy?.type === 'Always') return true;
  if (policy?.type !== 'OnFailure') return false;
  if (state === 'FAILING') return policy.onFailureRetries != null && (status?.executionAttempts ?? 0) <= policy.onFailureRetries;
  return policy.onSubmissionFailureRetries != null && (status?.submissionAttempts ?? 0) <= policy.onSubmissionFailureRetries;
}
