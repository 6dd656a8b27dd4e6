// Watch-based monitoring of SparkApplications against the real kube-apiserver, with the runner
// acting under the chart's runner Role through the fault proxy. The test plays the Spark Operator
// (status.applicationState) and the kubelet (pod status); faults (429, 503, cut streams, a canned
// pods/log answer, since no kubelet exists) come from the proxy; 410 Gone is the real server's.
import { describe, expect, it } from 'vitest';
import type { Operator } from './runtime-env.js';
import { useRuntimeEnv } from './fixtures/suite-servers.js';
import { failTimes } from '../harness/kube/fault-proxy.js';
import { monitorSparkApplication, type SparkApplicationEnd } from '../../runner/src/platforms/kubernetes/spark-monitor.js';
import type { KubeClient } from '../../runner/src/platforms/kubernetes/client.js';
import { apiErrorOf } from '../harness/kube/index.js';

const T0 = '2026-01-01T00:00:00Z';
const START = '2026-01-01T00:00:20Z';
const END = '2026-01-01T00:03:20Z';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Operator + kubelet: submitted, driver running, (work), driver done, app terminal. With
 * `driverDelivered`, the app turns terminal only once the driver's termination has reached the
 * runner, as it does on a real cluster (the operator reacts to the pod): the monitor then never
 * needs its grace period or the extra driver read, whatever the machine's load.
 */
async function succeed(op: Operator, app: string, runningMs: number, ticks = 0, driverDelivered?: { podWatchOpen: () => boolean; termination: () => boolean }): Promise<void> {
  await op.setState(app, 'SUBMITTED');
  const driver = await op.createPod(app, 'driver');
  await op.podRunning(driver, START);
  await op.setState(app, 'RUNNING');
  // Executor churn while running: events on the watched streams, which must not cost requests.
  for (let i = 0; i < ticks; i++) {
    const exec = await op.createPod(app, 'executor', `${app}-exec-${i}`);
    await op.podRunning(exec, START, 'executor');
  }
  await sleep(runningMs);
  // (The termination must travel on the watch, not in the initial list, for the probe to see it.)
  if (driverDelivered) await waitUntil(driverDelivered.podWatchOpen, 30_000, () => 'for the runner’s pod watch');
  await op.podTerminated(driver, { startedAt: START, finishedAt: END, exitCode: 0, reason: 'Completed' });
  if (driverDelivered) await waitUntil(driverDelivered.termination, 30_000, () => 'for the driver pod termination to reach the runner');
  await op.setState(app, 'SUCCEEDING');
  await op.setState(app, 'COMPLETED');
}

describe('spark monitor (watch cache on)', () => {
  const env = useRuntimeEnv({ noOpenWatches: true });

  const monitor = (client: KubeClient, name: string, timeoutSeconds = 120) => monitorSparkApplication(client, { name, timeoutSeconds });

  it('follows SUBMITTED → RUNNING → SUCCEEDING → COMPLETED; stage time is the driver container’s', async () => {
    const { client, op } = await env.namespace('mon-happy');
    await op.createApp('lakebench-silver-build');
    const [outcome] = await Promise.all([monitor(client, 'lakebench-silver-build'), succeed(op, 'lakebench-silver-build', 300)]);
    // SUCCEEDING is already success (docs/pipeline.md §9.3): the monitor may end there or at COMPLETED.
    expect(['SUCCEEDING', 'COMPLETED']).toContain(outcome.state);
    expect(outcome).toMatchObject({ succeeded: true, reason: null, driver_pod: 'lakebench-silver-build-driver', driver_exit_code: 0, log_tail: null });
    // The pod's own times, not when the runner saw them (the test ran hours after 2026-01-01).
    expect(outcome.driver_started_at).toBe('2026-01-01T00:00:20Z');
    expect(outcome.driver_finished_at).toBe('2026-01-01T00:03:20Z');
    expect(Date.parse(outcome.submitted_at ?? '')).toBeGreaterThan(Date.parse(T0));
  });

  it('executor OOM: FAILED with reason OOMKilled, the error message and the redacted driver log tail', async () => {
    const { client, op } = await env.namespace('mon-oom');
    const app = 'lakebench-gold-finalize';
    await op.createApp(app);
    // No kubelet serves logs here: the proxy answers pods/log as one would (tail of a Spark driver).
    env.proxy.setRule((r) =>
      r.path.includes('/pods/lakebench-gold-finalize-driver/log')
        ? { status: 200, text: 'ERROR TaskSetManager: Lost task 3.0: ExecutorLostFailure (executor 1 exited: OOMKilled)\nspark.hadoop.fs.s3a.secret.key=SuperSecret123\nAKIAABCDEFGHIJKLMNOP\n' }
        : undefined,
    );
    const script = async () => {
      await op.setState(app, 'RUNNING');
      const driver = await op.createPod(app, 'driver');
      await op.podRunning(driver, START);
      const exec = await op.createPod(app, 'executor');
      await op.podTerminated(exec, { startedAt: START, finishedAt: '2026-01-01T00:01:00Z', exitCode: 137, reason: 'OOMKilled' }, 'executor');
      await op.podTerminated(driver, { startedAt: START, finishedAt: '2026-01-01T00:01:30Z', exitCode: 1, reason: 'Error' });
      await op.setState(app, 'FAILED', 'driver container failed with ExitCode: 1, Reason: Error');
    };
    let outcome: SparkApplicationEnd;
    try {
      [outcome] = await Promise.all([monitor(client, app), script()]);
    } finally {
      env.proxy.setRule(undefined);
    }
    expect(outcome).toMatchObject({ state: 'FAILED', succeeded: false, reason: 'OOMKilled', driver_exit_code: 1, driver_finished_at: '2026-01-01T00:01:30Z' });
    expect(outcome.message).toContain('driver container failed with ExitCode: 1');
    expect(outcome.message).toContain('executor pods OOMKilled: lakebench-gold-finalize-exec-1');
    expect(outcome.log_tail).toContain('ExecutorLostFailure');
    expect(outcome.log_tail).not.toContain('SuperSecret123');
    expect(outcome.log_tail).not.toContain('AKIAABCDEFGHIJKLMNOP');
    // The log was asked for with tailLines, for the driver container, under the runner's Role.
    expect(env.proxy.requests.some((r) => r.path.includes('/pods/lakebench-gold-finalize-driver/log?') && r.path.includes('tailLines=80') && r.path.includes('container=spark-kubernetes-driver'))).toBe(true);
  });

  it('SUBMISSION_FAILED: failed with the operator’s error message and no driver', async () => {
    const { client, op } = await env.namespace('mon-subfail');
    const app = 'lakebench-bronze-verify';
    await op.createApp(app);
    const [outcome] = await Promise.all([monitor(client, app), op.setState(app, 'SUBMISSION_FAILED', 'failed to run spark-submit: ConfigMap lakebench-scripts-abc not found')]);
    expect(outcome).toMatchObject({ state: 'SUBMISSION_FAILED', succeeded: false, reason: 'SUBMISSION_FAILED', driver_pod: null, driver_started_at: null, log_tail: null });
    expect(outcome.message).toContain('ConfigMap lakebench-scripts-abc not found');
  });

  it('resumes watches cut mid-stage from the last resourceVersion and still sees the terminal state', async () => {
    const { client, op } = await env.namespace('mon-drop');
    const app = 'lakebench-silver-build';
    await op.createApp(app);
    const from = env.proxy.requests.length;
    const run = monitor(client, app);
    await op.setState(app, 'RUNNING');
    const driver = await op.createPod(app, 'driver');
    await op.podRunning(driver, START);
    const mine = () => env.proxy.openWatchPaths().filter((p) => p.includes('/namespaces/mon-drop/')).length;
    await waitUntil(() => mine() === 2, 30_000, () => `open watches: ${JSON.stringify(env.proxy.openWatchPaths())}`);
    expect(env.proxy.cutWatches('/namespaces/mon-drop/')).toBe(2);
    // Changes made while no watch is connected must be delivered by the resumed watch.
    await op.podTerminated(driver, { startedAt: START, finishedAt: END, exitCode: 0, reason: 'Completed' });
    await op.setState(app, 'COMPLETED');
    const outcome = await run;
    expect(outcome).toMatchObject({ state: 'COMPLETED', succeeded: true, driver_finished_at: END });
    expect((outcome.watch.app?.dropped ?? 0) + (outcome.watch.pods?.dropped ?? 0)).toBeGreaterThanOrEqual(1);
    const watches = env.proxy.requests.slice(from).filter((r) => r.watch && r.path.includes('sparkapplications'));
    expect(watches.length).toBe(2);
    // The second watch resumed where the first left off: a resourceVersion, and no second list.
    expect(watches[1]!.path).toMatch(/resourceVersion=\d+/);
    expect(env.proxy.requests.slice(from).filter((r) => !r.watch && r.method === 'GET' && r.path.includes('sparkapplications?')).length).toBe(1);
  });

  it('answers 429 (honouring Retry-After) and 503 with backoff, and never retries a 4xx', async () => {
    const delays: number[] = [];
    const { client, op } = await env.namespace('mon-throttle', { sleep: async (ms) => void delays.push(ms) });
    const app = 'lakebench-bronze-verify';
    await op.createApp(app);
    const rule = failTimes(3, { status: 429, retryAfterSeconds: 2 }, (r) => !r.watch && r.path.includes('sparkapplications'));
    env.proxy.setRule(rule);
    const listed = await client.call('sparkapplication list', () => client.custom.listNamespacedCustomObject({ group: 'sparkoperator.k8s.io', version: 'v1beta2', namespace: 'mon-throttle', plural: 'sparkapplications' }));
    expect((listed as { items: unknown[] }).items).toHaveLength(1);
    expect(rule.fired()).toBe(3);
    expect(delays).toEqual([2000, 2000, 2000]);

    delays.length = 0;
    const unavailable = failTimes(3, { status: 503 }, (r) => !r.watch && r.path.includes('/pods'));
    env.proxy.setRule(unavailable);
    await client.call('pod list', () => client.core.listNamespacedPod({ namespace: 'mon-throttle' }));
    expect(unavailable.fired()).toBe(3);
    // Exponential with jitter: each delay within [cap/2, cap] of 20·2^n ms.
    expect(delays).toHaveLength(3);
    delays.forEach((d, n) => {
      expect(d).toBeGreaterThanOrEqual(10 * 2 ** n);
      expect(d).toBeLessThanOrEqual(20 * 2 ** n);
    });

    // A watch refused with 503 is retried as well, and the monitor still ends on the terminal state.
    const watchRefused = failTimes(2, { status: 503 }, (r) => r.watch);
    env.proxy.setRule(watchRefused);
    const [outcome] = await Promise.all([monitor(client, app), succeed(op, app, 100)]);
    expect(watchRefused.fired()).toBe(2);
    expect(outcome.succeeded).toBe(true);
    env.proxy.setRule(undefined);

    // 403 from the real RBAC (the runner's Role has no secrets): thrown after exactly one request.
    const before = env.proxy.requests.length;
    const denied = await apiErrorOf(client.call('secret list', () => client.core.listNamespacedSecret({ namespace: 'mon-throttle' })));
    expect(denied.code).toBe(403);
    expect(env.proxy.requests.length - before).toBe(1);
  });

  it('makes the same number of API requests for a stage ten times longer (no polling)', async () => {
    const counts: number[] = [];
    for (const [i, runningMs] of [400, 4000].entries()) {
      const { client, op } = await env.namespace(`mon-count-${i}`);
      const app = 'lakebench-silver-build';
      await op.createApp(app);
      const from = env.proxy.requests.length;
      const pods = `/namespaces/mon-count-${i}/pods`;
      const driverDelivered = { podWatchOpen: () => env.proxy.openWatchPaths().some((p) => p.includes(pods)), termination: () => env.proxy.watchText(pods).includes(`"finishedAt":"${END}"`) };
      const [outcome] = await Promise.all([monitor(client, app), succeed(op, app, runningMs, 3, driverDelivered)]);
      expect(outcome.succeeded).toBe(true);
      counts.push(env.proxy.requests.length - from);
    }
    console.info(`monitor requests per stage: ${counts[0]} (0.4 s running), ${counts[1]} (4 s running)`);
    // list + watch for the app and for its pods, plus at most one driver read.
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(5);
  });

  it('times out: deletes the application and reports TIMEOUT', async () => {
    const { client, op } = await env.namespace('mon-timeout');
    const app = 'lakebench-gold-finalize';
    await op.createApp(app);
    await op.setState(app, 'RUNNING');
    const outcome = await monitor(client, app, 2);
    expect(outcome).toMatchObject({ state: 'TIMEOUT', succeeded: false, reason: 'TIMEOUT' });
    expect(await op.appExists(app)).toBe(false);
  });
});

describe('spark monitor with watches served by etcd (410 Gone)', () => {
  const env = useRuntimeEnv({ watchCache: false, noOpenWatches: true });

  it('relists after 410 Gone and does not miss the terminal state', async () => {
    const { client, op } = await env.namespace('mon-gone');
    const app = 'lakebench-silver-build';
    await op.createApp(app);
    const run = monitorSparkApplication(client, { name: app, timeoutSeconds: 120 });
    await op.setState(app, 'RUNNING');
    await waitUntil(() => env.proxy.openWatchPaths().filter((p) => p.includes('/namespaces/mon-gone/')).length === 2);
    // Keep the runner disconnected while the app finishes and etcd forgets the history it holds.
    env.proxy.setRule((r) => (r.watch ? { status: 503 } : undefined));
    env.proxy.cutWatches();
    await op.setState(app, 'COMPLETED');
    await op.touch();
    await env.api.compactEtcd();
    env.proxy.setRule(undefined);
    const outcome = await run;
    expect(outcome.state).toBe('COMPLETED');
    expect(outcome.watch.app?.expired).toBe(1);
    expect(outcome.watch.app?.lists).toBe(2);
  });
});

async function waitUntil(probe: () => boolean, timeoutMs = 30_000, what: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`condition not met ${what()}`);
    await sleep(50);
  }
}
