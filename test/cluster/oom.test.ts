// An executor killed for memory on the real node, end to end: the chart's runner Job (profile-tiny +
// hive-iceberg-trino + node-overlay.yaml + runner-overlay.yaml, scale 0.01) next to the real Spark
// Operator; bronze-verify's executor containers are driven over their memory limit and the kernel's
// OOM killer ends them; Spark, the operator and the runner react as they would to any executor OOM.
// Checked: the run's metrics.json in the results bucket says FAILED, bronze-verify failed with the
// reason OOMKilled naming the executor pods, the later stages were skipped, and no SparkApplication
// (nor any pod of the run) is left behind.
//
// Why the memory is pushed from inside the container rather than by a smaller setting: the runner's
// per-stage sizes are whole GiB (executorHeapGb ≥ 1, executorOverheadGb ≥ 1, config/schema.ts), Spark
// sets the container limit to heap + overhead (BasicExecutorFeatureStep) and starts the executor JVM
// with -Xmx = the heap, so the smallest executor has ≥ 1 GiB outside its heap, which the JVM does not
// reach at scale 0.01; a heap too small for the work is a java.lang.OutOfMemoryError (executor exit
// code 52), not a kill. So the test does what a memory-hungry native library would: a process in the
// executor container allocates until the container's cgroup is full. It first raises the executor
// JVM's oom_score_adj (allowed for the process's own uid) so the kernel picks the JVM, as it picks the
// largest process of a real overhead overrun. The kill, the pod's OOMKilled status, Spark's retries
// and the operator's state are all the real ones.
import { BatchV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricsSchema } from '../../runner/src/model/metrics.js';
import { s3Client } from '../harness/engines/s3.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { describePods } from '../harness/node/describe.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import { installLakehouse, prepareRunnerSite, teardownRunnerSite, type RunnerSite } from './fixtures/lakehouse-release.js';

const run = promisify(execFile);
const stamp = Date.now().toString(36);
const namespace = `oom-${stamp}`;
const release = 'lakebench';
const resultsBucket = 'lakebench-results';
const RUN_ID_LABEL = 'lakebench.io/run-id';
const SPARK = { group: 'sparkoperator.k8s.io', version: 'v1beta2', plural: 'sparkapplications' };
const EXECUTOR_CONTAINER = 'spark-kubernetes-executor';
// Every executor Spark starts for the stage is killed: Spark gives up after 4 task failures
// (spark.task.maxFailures) or more than 3 executor failures (spark.executor.maxNumFailures' default
// for one executor), so 6 is a bound, not a target; each executor's scratch claim binds a fresh PV.
const maxKills = 6;
const runDeadlineMs = 20 * 60_000;

// Run in the executor container as its own uid (185). It finds the executor JVM (tini is PID 1 and
// names the same class in its arguments: argv[0] must be java), makes the JVM the OOM killer's first
// choice (oom_score_adj 1000; raising it is allowed for the process's own uid), then fills the
// container's memory in child processes of 128 MiB each (pages written, so they are charged). The
// kernel ranks a process by its resident memory plus oom_score_adj × the limit / 1000: one process
// holding the memory would outrank the JVM (seen on the node: python3 killed, the JVM left running),
// 128 MiB children never do.
const pushOverLimit = [
  'import os, time',
  'def jvm():',
  "    for p in filter(str.isdigit, os.listdir('/proc')):",
  '        try:',
  "            argv = open('/proc/%s/cmdline' % p, 'rb').read().split(b'\\0')",
  '        except OSError:',
  '            continue',
  "        if argv[0].endswith(b'/java') and b'org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend' in argv: return p",
  'pid = None',
  'while pid is None:',
  '    pid = jvm()',
  '    time.sleep(0.2)',
  "open('/proc/%s/oom_score_adj' % pid, 'w').write('1000')",
  "print('executor JVM', pid, flush=True)",
  'for _ in range(32):',
  '    if os.fork() == 0:',
  "        held = b'\\x01' * (128 << 20)",
  '        time.sleep(600)',
  '        os._exit(0)',
  '    time.sleep(0.1)',
  'time.sleep(600)',
].join('\n');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an executor OOM-killed on the real node (profile-tiny, hive-iceberg-trino, scale 0.01)', () => {
  let state: NodeState;
  let kc: KubeConfig;
  let batch: BatchV1Api;
  let custom: CustomObjectsApi;
  let site: RunnerSite | undefined;
  const timings: Record<string, number> = {};

  const kubectl = (args: string[], timeout = 300_000) => run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, ...args], { timeout, maxBuffer: 64 * 1024 * 1024 });
  const jobName = `${release}-run-1`;
  const diagnose = async () => {
    const pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: `job-name=${jobName}` })).items;
    const logs = await Promise.all(pods.map((p) => site!.core.readNamespacedPodLog({ namespace, name: p.metadata?.name ?? '', container: 'runner', tailLines: 80 }).catch((e: unknown) => String(e))));
    return `--- runner log:\n${logs.join('\n')}\n--- pods:\n${await describePods(kc, namespace)}\n--- operator:\n${await describePods(kc, site!.operatorNamespace)}`;
  };

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    // Each executor killed is replaced by one that claims a fresh scratch PV.
    await prepareRunnerSite(state, { namespace, release, scratchVolumes: maxKills + 2, onSite: (s) => (site = s) });
    kc = site!.kc;
    batch = kc.makeApiClient(BatchV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
  }, 15 * 60_000);

  afterAll(async () => {
    await teardownRunnerSite(site);
    console.log(`oom timings (s): ${JSON.stringify(timings)}`);
  }, 10 * 60_000);

  /** Kills every executor of the run's first Spark stage as it comes up, until the run's Job ends; the names killed. */
  async function killExecutors(jobEnded: () => boolean): Promise<string[]> {
    const killed: string[] = [];
    const tried = new Set<string>();
    while (!jobEnded() && killed.length < maxKills) {
      const pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: 'spark-role=executor' })).items;
      const ready = pods.find((p: V1Pod) => !tried.has(p.metadata?.name ?? '') && p.status?.containerStatuses?.find((c) => c.name === EXECUTOR_CONTAINER)?.state?.running);
      if (!ready) {
        await sleep(2000);
        continue;
      }
      const name = ready.metadata!.name!;
      tried.add(name);
      // At once: bronze-verify's tasks at scale 0.01 last seconds, so waiting would let the stage finish.
      const out = await kubectl(['-n', namespace, 'exec', name, '-c', EXECUTOR_CONTAINER, '--', 'python3', '-c', pushOverLimit], 180_000).catch((e: unknown) => e as { stdout?: string; stderr?: string });
      const terminated = (await site!.core.readNamespacedPod({ namespace, name }).catch(() => undefined))?.status?.containerStatuses?.find((c) => c.name === EXECUTOR_CONTAINER)?.state?.terminated;
      console.log(`${name}: ${JSON.stringify(out.stdout ?? '')} → ${terminated?.reason ?? 'pod gone or still running'} (${terminated?.exitCode ?? '-'})`);
      killed.push(name);
    }
    return killed;
  }

  it(
    'fails the run at bronze-verify with the reason OOMKilled naming the executor pods, skips the rest, and leaves no SparkApplication',
    async () => {
      const started = Date.now();
      await installLakehouse(site!, { overlays: ['runner-overlay.yaml'], sets: [`spark.mavenRepository=${site!.maven.url}`] });
      let ended = false;
      const killing = killExecutors(() => ended);
      let succeeded: boolean | undefined;
      try {
        for (;;) {
          const job = await batch.readNamespacedJobStatus({ namespace, name: jobName });
          if ((job.status?.succeeded ?? 0) > 0 || (job.status?.failed ?? 0) > 0) {
            succeeded = (job.status?.succeeded ?? 0) > 0;
            break;
          }
          if (Date.now() - started > runDeadlineMs) throw new Error(`Job ${jobName} not done after ${runDeadlineMs / 1000} s\n${await diagnose()}`);
          await sleep(5000);
        }
      } finally {
        ended = true;
      }
      const killed = await killing;
      timings.installToRunDone = Math.round((Date.now() - started) / 1000);
      // A run that ended before any executor started (a refused capacity preflight, exit 2) says why.
      expect(killed.length, `executors pushed over their limit\n${killed.length === 0 ? await diagnose() : ''}`).toBeGreaterThan(0);
      expect(succeeded, 'the run Job').toBe(false);

      const client = s3Client(site!.minio);
      try {
        const listed = await client.send(new ListObjectsV2Command({ Bucket: resultsBucket, Prefix: 'runs/' }));
        const runIds = [...new Set((listed.Contents ?? []).map((o) => (o.Key ?? '').split('/')[1] ?? '').filter(Boolean))];
        expect(runIds).toHaveLength(1);
        const runId = runIds[0]!;
        const got = await client.send(new GetObjectCommand({ Bucket: resultsBucket, Key: `runs/${runId}/metrics.json` }));
        const metrics = metricsSchema.parse(JSON.parse(await got.Body!.transformToString()));
        expect(metrics.verdict.status).toBe('FAILED');
        expect(metrics.stages.map((s) => [s.name, s.status])).toEqual([
          ['datagen', 'succeeded'],
          ['bronze-verify', 'failed'],
          ['silver-build', 'skipped'],
          ['gold-finalize', 'skipped'],
          // Recorded for every run with a benchmark (run-batch.ts); the benchmark itself is not run after a failure.
          ['maintenance', 'skipped'],
        ]);
        const verify = metrics.stages.find((s) => s.name === 'bronze-verify')!;
        expect(verify.error?.reason, JSON.stringify(verify.error)).toBe('OOMKilled');
        // The pods the kernel killed are named, as Kubernetes reported them (a pod Spark replaced
        // before its status reached the runner cannot be named, so at least one, each one killed).
        const named = killed.filter((pod) => verify.error?.message.includes(pod));
        expect(named.length, `${verify.error?.message} names one of ${killed.join(', ')}`).toBeGreaterThan(0);
        expect(verify.error?.message).toMatch(/executor pods OOMKilled: /);
        expect((verify.extras.kubernetes as { reason?: string } | undefined)?.reason).toBe('OOMKilled');
        expect(metrics.verdict.reasons).toContainEqual(expect.objectContaining({ code: 'STAGE_FAILED', severity: 'FAILED', source: 'bronze-verify' }));

        // Nothing of the run keeps running: no SparkApplication (the operator would otherwise retry
        // it after the run ended), and its driver and executor pods go with it.
        const apps = (await custom.listNamespacedCustomObject({ ...SPARK, namespace })) as { items: { metadata: { name: string }; status?: unknown }[] };
        expect(apps.items.map((a) => `${a.metadata.name} ${JSON.stringify(a.status)}`), 'SparkApplications after the run').toEqual([]);
        const deadline = Date.now() + 120_000;
        let pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: `${RUN_ID_LABEL}=${runId},spark-role` })).items;
        while (pods.length > 0 && Date.now() < deadline) {
          await sleep(3000);
          pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: `${RUN_ID_LABEL}=${runId},spark-role` })).items;
        }
        expect(pods.map((p) => p.metadata?.name), 'Spark pods of the run').toEqual([]);
      } finally {
        client.destroy();
      }
      timings.total = Math.round((Date.now() - started) / 1000);
    },
    30 * 60_000,
  );
});
