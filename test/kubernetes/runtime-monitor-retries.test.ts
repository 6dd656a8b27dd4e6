// The monitor against a real kube-apiserver when the Spark Operator retries: the runner submits its
// batch stages with `OnFailure`, 2 retries, and the operator v2.5.2 then moves FAILING to PENDING_RERUN
// and runs the application again (only FAILED is final). The test plays the operator (status, with its
// attempt counters) and the kubelet (pod status), as runtime-monitor.test.ts does.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoOpenWatches, startRuntimeEnv, type RuntimeEnv } from './runtime-env.js';
import { monitorSparkApplication } from '../../runner/src/platforms/kubernetes/spark-monitor.js';

const SPARK = { group: 'sparkoperator.k8s.io', version: 'v1beta2', plural: 'sparkapplications' };
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const START = '2026-01-01T00:00:20Z';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('spark monitor with the operator’s retries', () => {
  let env: RuntimeEnv;
  let custom: CustomObjectsApi;
  beforeAll(async () => {
    env = await startRuntimeEnv();
    custom = env.admin.makeApiClient(CustomObjectsApi);
  });
  afterAll(async () => {
    await env?.stop();
  });
  afterEach(async () => {
    if (env) await expectNoOpenWatches(env);
  });

  /** A SparkApplication with the runner's restart policy (manifests/spark-application.ts). */
  const createApp = (namespace: string, name: string) =>
    custom.createNamespacedCustomObject({
      ...SPARK,
      namespace,
      body: {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name },
        spec: {
          type: 'Python',
          mode: 'cluster',
          sparkVersion: '4.0.1',
          image: 'apache/spark:4.0.1-python3',
          mainApplicationFile: 'local:///opt/spark/job.py',
          restartPolicy: { type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 30, onSubmissionFailureRetries: 2, onSubmissionFailureRetryInterval: 30 },
          driver: { cores: 1, memory: '1g' },
          executor: { cores: 1, instances: 1, memory: '1g' },
        },
      },
    });
  /** The operator's status write: the state, its attempt counters and the driver's name. */
  const setStatus = (namespace: string, name: string, state: string, attempts: number, errorMessage?: string) =>
    custom.patchNamespacedCustomObjectStatus(
      { ...SPARK, namespace, name, body: { status: { applicationState: { state, ...(errorMessage ? { errorMessage } : {}) }, executionAttempts: attempts, submissionAttempts: attempts, driverInfo: { podName: `${name}-driver` } } } },
      merge,
    );

  it('a failure the operator retries is not the end: the monitor follows the rerun to COMPLETED', async () => {
    const ns = 'mon-retry';
    const { client, op } = await env.namespace(ns);
    const app = 'lakebench-silver-build';
    await createApp(ns, app);
    let done = false;
    const outcome = monitorSparkApplication(client, { name: app, timeoutSeconds: 120 }).finally(() => (done = true));
    await setStatus(ns, app, 'RUNNING', 1);
    let driver = await op.createPod(app, 'driver');
    await op.podRunning(driver, START);
    await op.podTerminated(driver, { startedAt: START, finishedAt: '2026-01-01T00:01:00Z', exitCode: 1, reason: 'Error' });
    await setStatus(ns, app, 'FAILING', 1, 'driver container failed with ExitCode: 1, Reason: Error');
    // Retries remain (1 ≤ 2): still watching well after FAILING reached it.
    await sleep(1500);
    expect(done, 'the monitor ended at a FAILING the operator retries').toBe(false);
    await setStatus(ns, app, 'PENDING_RERUN', 1);
    await setStatus(ns, app, 'SUBMITTED', 2);
    driver = await op.createPod(app, 'driver');
    await op.podRunning(driver, '2026-01-01T00:02:00Z');
    await setStatus(ns, app, 'RUNNING', 2);
    await op.podTerminated(driver, { startedAt: '2026-01-01T00:02:00Z', finishedAt: '2026-01-01T00:04:00Z', exitCode: 0, reason: 'Completed' });
    await setStatus(ns, app, 'COMPLETED', 2);
    expect(await outcome).toMatchObject({ state: 'COMPLETED', succeeded: true, reason: null, driver_started_at: '2026-01-01T00:02:00Z', driver_finished_at: '2026-01-01T00:04:00Z' });
  });

  it('retries exhausted: FAILING with executionAttempts above onFailureRetries ends it as failed', async () => {
    const ns = 'mon-retry-out';
    const { client, op } = await env.namespace(ns);
    const app = 'lakebench-gold-finalize';
    await createApp(ns, app);
    const script = async () => {
      await setStatus(ns, app, 'RUNNING', 3);
      const driver = await op.createPod(app, 'driver');
      await op.podTerminated(driver, { startedAt: START, finishedAt: '2026-01-01T00:01:00Z', exitCode: 1, reason: 'Error' });
      await setStatus(ns, app, 'FAILING', 3, 'driver container failed with ExitCode: 1, Reason: Error');
    };
    const [outcome] = await Promise.all([monitorSparkApplication(client, { name: app, timeoutSeconds: 120 }), script()]);
    expect(outcome).toMatchObject({ state: 'FAILING', succeeded: false, reason: 'FAILING' });
    // Not retried by the operator, so nothing for the runner to stop: the application stays for inspection.
    expect(await op.appExists(app)).toBe(true);
  });

  it('an executor OOM-killed in an attempt the operator would retry: reason OOMKilled, and the application is deleted so it is not rerun with the same memory', async () => {
    const ns = 'mon-retry-oom';
    const { client, op } = await env.namespace(ns);
    const app = 'lakebench-bronze-verify';
    await createApp(ns, app);
    const lines: string[] = [];
    const script = async () => {
      await setStatus(ns, app, 'RUNNING', 1);
      const driver = await op.createPod(app, 'driver');
      await op.podRunning(driver, START);
      for (const exec of [`${app}-exec-1`, `${app}-exec-2`]) {
        await op.createPod(app, 'executor', exec);
        await op.podTerminated(exec, { startedAt: START, finishedAt: '2026-01-01T00:00:50Z', exitCode: 137, reason: 'OOMKilled' }, 'executor');
      }
      await op.podTerminated(driver, { startedAt: START, finishedAt: '2026-01-01T00:01:30Z', exitCode: 1, reason: 'Error' });
      await setStatus(ns, app, 'FAILING', 1, 'driver container failed with ExitCode: 1, Reason: Error');
    };
    const [outcome] = await Promise.all([monitorSparkApplication(client, { name: app, timeoutSeconds: 120, log: (l) => lines.push(l) }), script()]);
    expect(outcome).toMatchObject({ state: 'FAILING', succeeded: false, reason: 'OOMKilled', driver_exit_code: 1 });
    expect(outcome.message).toContain(`executor pods OOMKilled: ${app}-exec-1, ${app}-exec-2`);
    expect(outcome.message).toContain('not retried with the same memory');
    expect(await op.appExists(app), 'the SparkApplication after the monitor returned').toBe(false);
    expect(lines.join('\n')).toContain('deleting it so the operator does not rerun it with the same memory');
  });
});
