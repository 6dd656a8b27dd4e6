// Names and labels of the objects a run submits. SparkApplications keep the fixed names of
// docs/pipeline.md §9.3 (`lakebench-<job>`, an existing one is deleted first); per-run documents carry the
// run id in their name; every object carries the run id as a label so a run's objects can be listed.
export const RUN_ID_LABEL = 'lakebench.io/run-id';
export const STAGE_LABEL = 'lakebench.io/stage';

/** Labels of objects shared by runs (the content-addressed scripts ConfigMap). */
export function baseLabels(release: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'lakebench',
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'lakebench',
    'app.kubernetes.io/managed-by': 'lakebench-runner',
  };
}

export function runLabels(release: string, runId: string, component: string, stage?: string): Record<string, string> {
  return {
    ...baseLabels(release, component),
    [RUN_ID_LABEL]: runId,
    ...(stage ? { [STAGE_LABEL]: stage } : {}),
  };
}

export const sparkApplicationName = (job: string): string => `lakebench-${job}`;
export const jobConfigMapName = (job: string, runId: string): string => `lakebench-${job}-${runId}`;
export const DATAGEN_JOB_NAME = 'lakebench-datagen';
export const datagenTaskConfigMapName = (runId: string): string => `lakebench-datagen-${runId}`;
