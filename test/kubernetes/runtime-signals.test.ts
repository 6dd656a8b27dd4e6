// The runner as a real OS process (bin/lakebench.cjs, the image's entrypoint) against the real
// kube-apiserver, MinIO for the bronze and results buckets, and the chart's runner RBAC.
// 1. Node loss: runner A is SIGKILLed while its first SparkApplication runs — nothing of it can clean
//    up. Its Lease expires (the test ages renewTime, as time would), runner B takes the Lease, marks
//    A's run incomplete at once (same Lease, heartbeat still fresh), replaces A's orphaned
//    application with its own.
// 2. Pod deletion: runner B gets SIGTERM — it deletes its SparkApplication, marks its run incomplete
//    in the bucket and locally, releases the Lease and exits 130.
// The Spark Operator is not running: the applications stay unprocessed, which is all this needs.
import { CoordinationV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLakebench, type CliProcess } from '../harness/cli.js';
import { useMinio, useRuntimeEnv } from './fixtures/suite-servers.js';
import { configSchema } from '../../runner/src/config/schema.js';
import { clusterDatasetParams, datagenTask } from '../../runner/src/datagen/datagen-task.js';
import { runDatagenWorker } from '../../runner/src/datagen/upload-worker.js';
import { finalizeBronze } from '../../runner/src/datagen/bronze-finalize.js';
import { LEASE_NAME } from '../../runner/src/platforms/kubernetes/lease.js';
import { RUN_ID_LABEL } from '../../runner/src/platforms/kubernetes/manifests/labels.js';
import { runRecordSchema, type RunRecord } from '../../runner/src/storage/results.js';
import { S3Store } from '../../runner/src/storage/s3-store.js';

const NS = 'signals';
const APP = 'lakebench-bronze-verify';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let kubeconfig: string;
const started: CliProcess[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('the runner process under SIGKILL and SIGTERM', () => {
  const { minio } = useMinio(['lakebench-bronze', 'lakebench-silver', 'lakebench-gold', 'lakebench-results']);
  const env = useRuntimeEnv();
  const rawConfig = (output: string) => ({
    scale: 0.01,
    seed: 23,
    platform: 'kubernetes',
    output,
    datagen: { fileSizeMb: 16, workers: 1 },
    results: { bucket: { endpoint: minio.endpoint, bucket: 'lakebench-results', region: minio.region } },
    cluster: { namespace: NS, release: 'lakebench', storage: { endpoint: minio.endpoint, region: minio.region }, catalog: { type: 'hive', uri: 'thrift://hive-metastore:9083' } },
  });

  beforeAll(async () => {
    // Bronze already in place (as after `lakebench generate`), so the run goes straight to its first stage.
    const config = configSchema.parse(rawConfig(os.tmpdir()));
    const task = datagenTask('seed-bronze', clusterDatasetParams(config), { endpoint: minio.endpoint, region: minio.region, pathStyle: true, bucket: 'lakebench-bronze' }, null);
    await runDatagenWorker(task, { index: 0, pods: 1 });
    await finalizeBronze(task);
    ({ kubeconfigPath: kubeconfig } = await env.namespace(NS));
  });
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  });

  function runner(holder: string): { proc: CliProcess; output: string } {
    const output = mkdtempSync(path.join(os.tmpdir(), `lakebench-${holder}-`));
    const file = path.join(output, 'config.yaml');
    writeFileSync(file, stringify(rawConfig(path.join(output, 'out'))));
    const proc = startLakebench(['run', '--config', file, '--kubeconfig', kubeconfig], {
      env: { HOSTNAME: holder, AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: minio.secretKey, AWS_REGION: minio.region },
    });
    started.push(proc);
    return { proc, output: path.join(output, 'out') };
  }

  const custom = () => env.admin.makeApiClient(CustomObjectsApi);
  const leases = () => env.admin.makeApiClient(CoordinationV1Api);
  const appRunId = async (): Promise<string | undefined> => {
    const app = (await custom().getNamespacedCustomObject({ group: 'sparkoperator.k8s.io', version: 'v1beta2', namespace: NS, plural: 'sparkapplications', name: APP })) as { metadata: { labels: Record<string, string> } };
    return app.metadata.labels[RUN_ID_LABEL];
  };
  const record = async (runId: string): Promise<RunRecord> => runRecordSchema.parse(JSON.parse((await new S3Store({ endpoint: minio.endpoint, bucket: 'lakebench-results', region: minio.region, pathStyle: true, prefix: '' }).get(`runs/${runId}/run.json`))!));

  it('a killed runner leaves a record the next Lease holder marks incomplete; SIGTERM stops the application, records and releases', async () => {
    // Runner A reaches its first stage, then its node is lost.
    const a = runner('runner-a');
    const runA = await until('runner A to submit bronze-verify', appRunId);
    expect((await record(runA)).state).toBe('running');
    expect((await record(runA)).lease).toBe(`${NS}/${LEASE_NAME}`);
    a.proc.child.kill('SIGKILL');
    const endA = await a.proc.done;
    expect(endA.signal).toBe('SIGKILL');
    expect((await record(runA)).state).toBe('running'); // nobody could say otherwise yet
    const held = await leases().readNamespacedLease({ namespace: NS, name: LEASE_NAME });
    expect(held.spec?.holderIdentity).toBe('runner-a');

    // Time passes: the lease runs out (renewTime moved back past its duration).
    const past = new Date(Date.now() - ((held.spec?.leaseDurationSeconds ?? 120) + 5) * 1000);
    await leases().patchNamespacedLease(
      { namespace: NS, name: LEASE_NAME, body: { spec: { renewTime: past.toISOString().replace('Z', '000Z') } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

    // Runner B takes over: A's run is marked incomplete though its heartbeat is seconds old.
    const b = runner('runner-b');
    const runB = await until('runner B to replace the application', async () => {
      const id = await appRunId();
      return id && id !== runA ? id : undefined;
    });
    const markedA = await record(runA);
    expect(markedA.state).toBe('incomplete');
    expect(markedA.reason).toMatch(new RegExp(`the Lease ${NS}/${LEASE_NAME} passed to runner-b`));
    expect(Date.now() - Date.parse(markedA.heartbeat_at)).toBeLessThan(300_000);
    expect(b.proc.stderr()).toContain(`marked stale run ${runA} incomplete`);
    expect((await leases().readNamespacedLease({ namespace: NS, name: LEASE_NAME })).spec?.holderIdentity).toBe('runner-b');
    expect((await record(runB)).state).toBe('running');

    // The pod of runner B is deleted: SIGTERM.
    b.proc.child.kill('SIGTERM');
    const endB = await b.proc.done;
    expect(endB.code, endB.stderr).toBe(130);
    expect(endB.stderr).toContain(`deleted: ${APP}`);
    await expect(appRunId()).rejects.toMatchObject({ code: 404 });
    const markedB = await record(runB);
    expect(markedB).toMatchObject({ state: 'incomplete', reason: 'interrupted by SIGTERM' });
    const local = runRecordSchema.parse(JSON.parse(readFileSync(path.join(b.output, 'runs', runB, 'run.json'), 'utf8')));
    expect(local).toMatchObject({ state: 'incomplete', reason: 'interrupted by SIGTERM' });
    expect((await leases().readNamespacedLease({ namespace: NS, name: LEASE_NAME })).spec?.holderIdentity).toBeUndefined();
  });
});
