// The chart's default lakehouse on the real node: `helm install` of values/profile-tiny.yaml +
// values/hive-iceberg-trino.yaml (+ test/cluster/fixtures/node-overlay.yaml, only what the node cannot
// serve) in a namespace enforcing the restricted Pod Security Standard; every pod (PostgreSQL, the
// Hive Metastore after its schematool init, Trino coordinator and worker) becomes Ready from the
// stand-in images, the chart's `helm test` hooks pass against them, and an Iceberg table is written
// through Trino and the metastore into the S3 bucket. Then the chart's runner CronJob, run by the
// real CronJob controller: it fires, and a schedule due while its Job is active is skipped (Forbid).
import { BatchV1Api, CoreV1Api, type V1Job } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from '../harness/engines/s3.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import {
  componentOf,
  diagnose,
  expectRestrictedRelease,
  helm,
  installLakehouse,
  lakehouseBuckets,
  prepareLakehouse,
  teardownLakehouse,
  waitForReleasePods,
  type LakehouseSite,
} from './fixtures/lakehouse-release.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const namespace = `lakehouse-${Date.now().toString(36)}`;
const release = 'lakebench';
const installDeadlineMs = 15 * 60_000;
const helmTestTimeout = '10m';
// Far more CPU than the node has: the CronJob's runner pod stays Pending, so its Job stays active
// into the next scheduled minute (and no benchmark runs; the schedule is what is tested here).
const unschedulableRunnerCpu = '64';
// The first firing comes at the next minute after the upgrade, the skipped one a minute later.
const cronDeadlineMs = 200_000;
// What kube-controller-manager v1.36.4 records when Forbid skips a schedule
// (pkg/controller/cronjob/cronjob_controllerv2.go, syncCronJob).
const forbidSkip = { reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' };
const scheduledAtAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

// The pods the default combination runs, by app.kubernetes.io/component.
const expectedComponents = ['hive-metastore', 'postgres', 'trino-coordinator', 'trino-worker'];

describe('the default lakehouse (profile-tiny, hive-iceberg-trino) on the real node', () => {
  let state: NodeState;
  let core: CoreV1Api;
  let site: LakehouseSite | undefined;
  const timings: Record<string, number> = {};
  // The later checks need the lakehouse up; without it they would only repeat the install's failure.
  let lakehouseReady = false;
  const requireLakehouse = () => {
    if (!lakehouseReady) throw new Error('not run: the lakehouse did not come up (see the install test)');
  };

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    const values = await helm(state, ['show', 'values', path.join(repo, 'charts/lakebench')], 60_000);
    for (const bucket of lakehouseBuckets) expect(values, `charts/lakebench/values.yaml still names bucket ${bucket}`).toContain(bucket);
    site = await prepareLakehouse(state, { namespace, release });
    core = site.core;
  });

  afterAll(async () => {
    await teardownLakehouse(site);
    console.log(`lakehouse timings (s): ${JSON.stringify(timings)}`);
  });

  it('installs with every pod Ready under the restricted Pod Security Standard', async () => {
    const started = Date.now();
    await installLakehouse(site!);
    const pods = await waitForReleasePods(core, namespace, expectedComponents, installDeadlineMs);
    timings.installToReady = Math.round((Date.now() - started) / 1000);
    lakehouseReady = true;
    expect(pods.map(componentOf).sort()).toEqual(expectedComponents);
    await expectRestrictedRelease(core, namespace, pods);
  });

  it('passes its helm test hooks (catalog health, S3 probe, Trino query through the metastore)', async () => {
    requireLakehouse();
    const started = Date.now();
    let output: string;
    try {
      output = await helm(state, ['test', release, '--namespace', namespace, '--timeout', helmTestTimeout, '--logs'], 11 * 60_000);
    } catch (e) {
      const hooks = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.metadata?.annotations?.['helm.sh/hook'] === 'test');
      throw new Error(`${(e as Error).message}\n${await diagnose(core, namespace, hooks)}`, { cause: e });
    }
    timings.helmTest = Math.round((Date.now() - started) / 1000);
    for (const hook of ['catalog-health', 's3-probe', 'trino-query']) expect(output).toMatch(new RegExp(`TEST SUITE:\\s+${release}-test-${hook}\\n[^]*?Phase:\\s+Succeeded`));
    expect(output).not.toMatch(/Phase:\s+Failed/);
  });

  it('writes and reads an Iceberg table through Trino and the metastore, into the silver bucket', async () => {
    requireLakehouse();
    // The hooks above only list schemas; creating a schema and a table makes the metastore create
    // directories over S3A and commit Iceberg metadata, which a real benchmark run needs.
    const schema = `cluster_probe_${Date.now().toString(36)}`;
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=trino-coordinator' })).items;
    const coordinator = pods[0]?.metadata?.name;
    expect(coordinator, 'a Trino coordinator pod').toBeDefined();
    const sql = [
      `CREATE SCHEMA lakehouse.${schema}`,
      `CREATE TABLE lakehouse.${schema}.probe AS SELECT * FROM (VALUES 1, 2, 3) AS t(x)`,
      `SELECT sum(x) FROM lakehouse.${schema}.probe`,
    ].join('; ');
    let stdout: string;
    try {
      ({ stdout } = await run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, '-n', namespace, 'exec', coordinator ?? '', '--', 'trino', '--execute', sql], { timeout: 300_000 }));
    } catch (e) {
      const hive = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=hive-metastore' })).items;
      throw new Error(`${(e as Error).message}\n${await diagnose(core, namespace, hive)}`, { cause: e });
    }
    expect(stdout).toContain('"6"');
    const client = s3Client(site!.minio);
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: 'lakebench-silver', Prefix: `warehouse/${schema}.db/` }));
      const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
      expect(keys.some((k) => k.endsWith('.metadata.json')), keys.join(', ')).toBe(true);
      expect(keys.some((k) => k.endsWith('.parquet')), keys.join(', ')).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it("fires the chart's runner CronJob and skips the next schedule while that Job is active (concurrencyPolicy Forbid)", async () => {
    requireLakehouse();
    const started = Date.now();
    const batch = site!.kc.makeApiClient(BatchV1Api);
    const cronJobName = `${release}-runner`;
    const ownJobs = async () =>
      (await batch.listNamespacedJob({ namespace })).items.filter((j) => j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === cronJobName));
    // The chart's own CronJob (templates/runner/cronjob.yaml), added to the installed release.
    const upgrade = ['--reuse-values', '--set-string', 'runner.schedule=*/1 * * * *', '--set-string', `runner.resources.requests.cpu=${unschedulableRunnerCpu}`];
    await helm(state, ['upgrade', release, path.join(repo, 'charts/lakebench'), '--namespace', namespace, ...upgrade], 120_000);
    try {
      let jobs: V1Job[] = [];
      let skipped = false;
      const upgradedAt = Date.now();
      for (;;) {
        jobs = await ownJobs();
        // Allow (or Replace) would start the next schedule's Job beside (or instead of) the first.
        if (jobs.length > 1) throw new Error(`a second Job started while the first was active: ${jobs.map((j) => j.metadata?.name).join(', ')}`);
        const selector = `involvedObject.kind=CronJob,involvedObject.name=${cronJobName},reason=${forbidSkip.reason}`;
        skipped = (await core.listNamespacedEvent({ namespace, fieldSelector: selector })).items.length > 0;
        if (jobs.length === 1 && skipped) break;
        if (Date.now() - upgradedAt > cronDeadlineMs) {
          const why = `${jobs.length} Job(s) of CronJob ${cronJobName} and ${skipped ? 'a' : 'no'} ${forbidSkip.reason} event after ${cronDeadlineMs / 1000} s`;
          throw new Error(`${why}\n${await diagnose(core, namespace, [])}`);
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
      const job = jobs[0]!;
      const cronJob = await batch.readNamespacedCronJob({ namespace, name: cronJobName });
      expect(cronJob.spec?.concurrencyPolicy).toBe('Forbid');
      // It fired: the controller created the Job of a minute after the CronJob existed, named after that minute.
      const scheduledAt = Date.parse(job.metadata?.annotations?.[scheduledAtAnnotation] ?? '');
      expect(scheduledAt).toBeGreaterThan(cronJob.metadata?.creationTimestamp?.getTime() ?? Infinity);
      expect(job.metadata?.name).toBe(`${cronJobName}-${scheduledAt / 60_000}`);
      // It stayed active because its runner pod cannot be scheduled.
      expect(job.status?.active).toBe(1);
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: `batch.kubernetes.io/job-name=${job.metadata?.name}` })).items;
      expect(pods.map((p) => p.status?.phase)).toEqual(['Pending']);
      expect(pods[0]?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason).toBe('Unschedulable');
      // The next schedule (a minute later) was skipped, with the controller's own event, and left the status as it was.
      const events = (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${cronJobName},reason=${forbidSkip.reason}` })).items;
      expect(events.map((e) => [e.type, e.message, e.source?.component])).toEqual([['Normal', forbidSkip.message, 'cronjob-controller']]);
      expect(events[0]?.firstTimestamp?.getTime()).toBeGreaterThanOrEqual(scheduledAt + 59_000);
      expect(cronJob.status?.active?.map((a) => a.name)).toEqual([job.metadata?.name]);
      expect(cronJob.status?.lastScheduleTime?.getTime()).toBe(scheduledAt);
      expect((await ownJobs()).map((j) => j.metadata?.name)).toEqual([job.metadata?.name]);
    } finally {
      // The schedule removed again: back to the release as installed, without the CronJob.
      await helm(state, ['rollback', release, '--namespace', namespace, '--wait', '--timeout', '2m'], 150_000);
    }
    await expect(batch.readNamespacedCronJob({ namespace, name: cronJobName })).rejects.toThrow(/404|not found/i);
    // The garbage collector deletes the CronJob's Job, and the Job's pod, after it.
    const gcDeadline = Date.now() + 90_000;
    while ((await ownJobs()).length > 0 && Date.now() < gcDeadline) await new Promise((r) => setTimeout(r, 2000));
    expect(await ownJobs()).toEqual([]);
    timings.cronJob = Math.round((Date.now() - started) / 1000);
  });
});
