// Follows one SparkApplication to a terminal state by watch (docs/pipeline.md §9.3): the application
// itself and its pods (driver and executors, by the operator's app-name label). Stage time is the
// driver container's own start and termination, read from the pod, not when the runner noticed.
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { watchUntil, type WatchStats } from './watch.js';
import { isSuccess, isTerminal, listed, podSchema, safe, sparkAppSchema, type Pod, type SparkApp } from './objects.js';
import { operatorWillRetry } from './operator-retry.js';
import { DRIVER_CONTAINER, podLogTail } from './log-tail.js';
import type { ClusterObservation } from '../../model/stage-report.js';
import { sparkEndReason } from '../../model/stage-reasons.js';

export const SPARK_GROUP = 'sparkoperator.k8s.io';
export const SPARK_VERSION = 'v1beta2';
export const SPARK_PLURAL = 'sparkapplications';
export const APP_NAME_LABEL = 'sparkoperator.k8s.io/app-name';

/**
 * How a watched SparkApplication ended: the observation the stage's report records (`extras.kubernetes`),
 * plus what the runner decides with and does not record: success, the failure message, the watch statistics.
 */
export type SparkApplicationEnd = ClusterObservation & {
  /** The application's last state (`state`, or TIMEOUT / DELETED when the runner ended it or lost it) is a success. */
  succeeded: boolean;
  /** Why it did not succeed, in words: how it ended, the operator's message, the driver's, executor OOM kills; null on success. */
  message: string | null;
  watch: { app: WatchStats | null; pods: WatchStats | null };
};

export type MonitorOptions = { name: string; timeoutSeconds: number; signal?: AbortSignal; log?: (line: string) => void };

const POD_GRACE_MS = 2000;
const appsPath = (ns: string) => `/apis/${SPARK_GROUP}/${SPARK_VERSION}/namespaces/${ns}/${SPARK_PLURAL}`;

/** What the monitor does after an application event: keep watching, stop (the end), or stop and end the operator's retries. */
export type WatchDecision = 'watch' | 'ended' | 'stop-retries';

/**
 * A success or a failure the operator will not retry ends the watch. A failure it will retry is
 * followed through PENDING_RERUN to the next attempt (docs/pipeline.md §9.3: 2 retries), unless a
 * container of the application was OOM-killed: the rerun would get the same sizes and be killed
 * again, so the runner ends the retries (the caller deletes the application) and reports OOMKilled.
 * The kill may reach the runner after FAILING, hence PENDING_RERUN is checked too.
 */
export function watchDecision(state: string | undefined, operatorRetries: boolean, oomKilled: boolean): WatchDecision {
  if (isSuccess(state)) return 'ended';
  if (isTerminal(state)) return !operatorRetries ? 'ended' : oomKilled ? 'stop-retries' : 'watch';
  return state === 'PENDING_RERUN' && oomKilled ? 'stop-retries' : 'watch';
}

type DriverView = { pod: string | null; startedAt: string | null; finishedAt: string | null; exitCode: number | null; reason: string | null; message: string | null };

/** What the driver container's state says, from whichever pod object was seen last. */
export function driverView(pod: Pod | undefined): DriverView {
  const statuses = pod?.status?.containerStatuses ?? [];
  const c = statuses.find((s) => s.name === DRIVER_CONTAINER) ?? statuses[0];
  const t = c?.state?.terminated;
  return {
    pod: pod?.metadata.name ?? null,
    startedAt: t?.startedAt ?? c?.state?.running?.startedAt ?? null,
    finishedAt: t?.finishedAt ?? null,
    exitCode: t?.exitCode ?? null,
    reason: t?.reason ?? null,
    message: t?.message ?? null,
  };
}

export async function monitorSparkApplication(client: KubeClient, opts: MonitorOptions): Promise<SparkApplicationEnd> {
  const ns = client.namespace;
  const log = opts.log ?? (() => {});
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let app: SparkApp | undefined;
  let deleted = false;
  let driver: Pod | undefined;
  let driverStarted: string | null = null;
  const executorKills: string[] = [];
  let stopRetries = false;
  const oomKilled = () => executorKills.length > 0 || driverView(driver).reason === 'OOMKilled';
  const stats: SparkApplicationEnd['watch'] = { app: null, pods: null };
  let driverTerminated: () => void = () => {};
  const driverTerminatedSeen = new Promise<void>((r) => (driverTerminated = r));

  const appWatch = watchUntil<{ app: SparkApp; retries: boolean }>(client, {
    what: 'sparkapplication',
    path: appsPath(ns),
    fieldSelector: `metadata.name=${opts.name}`,
    list: async () => listed(await client.custom.listNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: ns, plural: SPARK_PLURAL, fieldSelector: `metadata.name=${opts.name}` })),
    // The retry rule reads the spec and attempt counters, which the runner's own schema leaves out.
    parse: (raw) => {
      const parsed = safe(sparkAppSchema)(raw);
      return parsed && { app: parsed, retries: operatorWillRetry(raw) };
    },
    onObject: (type, { app: a, retries }) => {
      if (type === 'DELETED') return (deleted = true);
      const state = a.status?.applicationState?.state;
      if (app?.status?.applicationState?.state !== state) log(`${opts.name}: ${state ?? 'NEW'}${isTerminal(state) && retries ? ' (the operator will retry it)' : ''}`);
      app = a;
      const decision = watchDecision(state, retries, oomKilled());
      stopRetries = decision === 'stop-retries';
      return decision !== 'watch';
    },
    signal,
    log,
  }).then((s) => (stats.app = s));

  const podWatch = watchUntil<Pod>(client, {
    what: 'pod',
    path: `/api/v1/namespaces/${ns}/pods`,
    labelSelector: `${APP_NAME_LABEL}=${opts.name}`,
    list: async () => {
      const l = await client.core.listNamespacedPod({ namespace: ns, labelSelector: `${APP_NAME_LABEL}=${opts.name}` });
      return { items: l.items as unknown[], resourceVersion: l.metadata?.resourceVersion ?? '0' };
    },
    parse: safe(podSchema),
    onObject: (type, pod) => {
      if (type === 'DELETED') return false;
      // Pods of a previous application of the same name may still be terminating (the garbage
      // collector removes them after the app): anything created before this app is not ours.
      const appCreated = app?.metadata.creationTimestamp;
      if (appCreated && pod.metadata.creationTimestamp && Date.parse(pod.metadata.creationTimestamp) < Date.parse(appCreated)) return false;
      const isDriver = pod.metadata.labels?.['spark-role'] === 'driver' || pod.metadata.name === app?.status?.driverInfo?.podName;
      if (isDriver) {
        driver = pod;
        const view = driverView(pod);
        driverStarted ??= view.startedAt;
        if (view.finishedAt !== null) driverTerminated();
        return false;
      }
      for (const c of pod.status?.containerStatuses ?? []) {
        if (c.state?.terminated?.reason === 'OOMKilled' && !executorKills.includes(pod.metadata.name)) executorKills.push(pod.metadata.name);
      }
      return false;
    },
    signal,
    log,
  })
    .then((s) => (stats.pods = s))
    .catch((e: unknown) => {
      // Ending the pod watch is how the monitor stops it; anything else is worth a log line.
      if (!stop.signal.aborted) log(`${opts.name}: pod watch ended: ${(e as Error).message}`);
    });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort(new Error(`${opts.name} timed out after ${opts.timeoutSeconds} s`));
  }, opts.timeoutSeconds * 1000);
  try {
    await appWatch;
  } catch (e) {
    if (!timedOut) throw e;
  } finally {
    clearTimeout(timer);
    // The app's terminal event can overtake the driver pod's on the other stream: give it a moment.
    if (!timedOut && driver) await Promise.race([driverTerminatedSeen, new Promise((r) => setTimeout(r, POD_GRACE_MS))]);
    stop.abort();
    await podWatch;
  }

  if (timedOut) {
    log(`${opts.name}: timed out after ${opts.timeoutSeconds} s; deleting it`);
    await deleteSparkApplication(client, opts.name);
  }
  const state = timedOut ? 'TIMEOUT' : deleted ? 'DELETED' : (app?.status?.applicationState?.state ?? 'UNKNOWN');
  const succeeded = !timedOut && !deleted && isSuccess(state);
  let d = driverView(driver);
  let driverExists = driver !== undefined;
  const driverName = app?.status?.driverInfo?.podName ?? d.pod ?? `${opts.name}-driver`;
  // Still no termination (or no driver seen at all): one read settles it.
  if (!timedOut && d.finishedAt === null) {
    try {
      const pod = podSchema.parse(await client.call('pod get', () => client.core.readNamespacedPod({ namespace: ns, name: driverName })));
      d = driverView(pod);
      driverExists = true;
    } catch (e) {
      if (!hasStatus(e, 404)) log(`${opts.name}: cannot read driver pod ${driverName}: ${(e as Error).message}`);
    }
  }
  const errorMessage = app?.status?.applicationState?.errorMessage ?? null;
  let reason: string | null = null;
  let message: string | null = null;
  if (!succeeded) {
    if (d.reason === 'OOMKilled') reason = 'OOMKilled';
    else if (executorKills.length > 0) reason = 'OOMKilled';
    else reason = state;
    message = [
      timedOut ? `timed out after ${opts.timeoutSeconds} s and was deleted` : deleted ? 'the SparkApplication was deleted while running' : `ended ${state}`,
      errorMessage,
      d.reason && d.reason !== 'Completed' ? `driver ${d.reason}${d.exitCode !== null ? ` (exit code ${d.exitCode})` : ''}` : null,
      executorKills.length > 0 ? `executor pods OOMKilled: ${executorKills.join(', ')}` : null,
      stopRetries ? 'not retried with the same memory: the SparkApplication was deleted' : null,
    ]
      .filter(Boolean)
      .join('; ');
  }
  // A submission that failed never had a driver: its reason is the operator's errorMessage.
  const logTail = succeeded || !driverExists ? null : await podLogTail(client, driverName, DRIVER_CONTAINER);
  // After the driver's log is read: deleting the application deletes its pods.
  if (stopRetries) {
    log(`${opts.name}: ${state} after an OOM kill; deleting it so the operator does not rerun it with the same memory`);
    await deleteSparkApplication(client, opts.name);
  }
  const submittedAt = app?.metadata.creationTimestamp ?? null;
  const driverStartedAt = d.startedAt ?? driverStarted;
  return {
    application: opts.name,
    state,
    submitted_at: submittedAt,
    driver_pod: d.pod,
    queue_seconds: submittedAt && driverStartedAt ? (Date.parse(driverStartedAt) - Date.parse(submittedAt)) / 1000 : null,
    driver_started_at: driverStartedAt,
    driver_finished_at: d.finishedAt,
    driver_exit_code: d.exitCode,
    reason: sparkEndReason(reason),
    log_tail: logTail,
    succeeded,
    message,
    watch: stats,
  };
}

/** Deletes an application and waits (by watch) until it is gone, so a same-name create cannot collide. */
export async function deleteSparkApplication(client: KubeClient, name: string): Promise<boolean> {
  const ns = client.namespace;
  try {
    await client.call('sparkapplication delete', () =>
      client.custom.deleteNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: ns, plural: SPARK_PLURAL, name, propagationPolicy: 'Background' }),
    );
  } catch (e) {
    if (hasStatus(e, 404)) return false;
    throw e;
  }
  await watchUntil(client, {
    what: 'sparkapplication',
    path: appsPath(ns),
    fieldSelector: `metadata.name=${name}`,
    list: async () => listed(await client.custom.listNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: ns, plural: SPARK_PLURAL, fieldSelector: `metadata.name=${name}` })),
    parse: safe(sparkAppSchema),
    onListed: (items) => items.length === 0,
    onObject: (type) => type === 'DELETED',
    signal: AbortSignal.timeout(120_000),
  });
  return true;
}
