// The Kubernetes part of `lakebench cleanup`: this release's Spark applications, the datagen Job and
// continuous mode's landing Job, and the runner's own objects. Each returns what it did; an object
// already gone is not an error, so a re-run succeeds.
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { deleteSparkApplication, SPARK_GROUP, SPARK_PLURAL, SPARK_VERSION } from './spark-monitor.js';
import { DATAGEN_JOB_NAME } from './manifests/labels.js';
import { LANDING_JOB_NAME } from './streaming/streaming-plan.js';
import { LEASE_NAME, leaseExpiry } from './lease.js';
import { listed, parseItems, sparkAppSchema } from './objects.js';

/** Deletes every SparkApplication of the release (by its instance and part-of labels). */
export async function deleteReleaseSparkApplications(client: KubeClient, release: string): Promise<string> {
  const raw = await client.call('sparkapplication list', () =>
    client.custom.listNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: client.namespace, plural: SPARK_PLURAL, labelSelector: `app.kubernetes.io/instance=${release},app.kubernetes.io/part-of=lakebench` }),
  );
  const apps = parseItems(sparkAppSchema, listed(raw).items).map((a) => a.metadata.name);
  for (const name of apps) await deleteSparkApplication(client, name);
  return apps.length ? `deleted ${apps.join(', ')}` : 'none';
}

/**
 * Deletes the datagen Jobs: the base set's and continuous mode's landing Job (`lakebench
 * datagen-land`), which a runner killed before its stop leaves landing files into the bronze bucket
 * until its own duration ends. Their pods go with them (background propagation).
 */
export async function deleteDatagenJob(client: KubeClient): Promise<string> {
  const deleted: string[] = [];
  for (const name of [DATAGEN_JOB_NAME, LANDING_JOB_NAME]) if (await deleteJobNamed(client, name)) deleted.push(name);
  return deleted.length ? `deleted ${deleted.join(', ')}` : 'none';
}

/** True when the Job was there. */
async function deleteJobNamed(client: KubeClient, name: string): Promise<boolean> {
  try {
    await client.call('job delete', () => client.batch.deleteNamespacedJob({ namespace: client.namespace, name, propagationPolicy: 'Background' }));
    return true;
  } catch (e) {
    if (hasStatus(e, 404)) return false;
    throw e;
  }
}

/**
 * What the runner made that outlives its runs and Helm does not know, so `helm uninstall` would leave
 * it behind (found on the cluster tier's node): its ConfigMaps (the content-addressed scripts, and any
 * per-run document a killed run left) and the run Lease, deleted only when no runner holds it.
 */
export async function deleteRunnerObjects(client: KubeClient, release: string): Promise<string> {
  const labelSelector = `app.kubernetes.io/instance=${release},app.kubernetes.io/managed-by=lakebench-runner`;
  const maps = await client.call('configmap list', () => client.core.listNamespacedConfigMap({ namespace: client.namespace, labelSelector }));
  const deleted: string[] = [];
  for (const name of maps.items.map((m) => m.metadata?.name ?? '').filter(Boolean)) {
    try {
      await client.call('configmap delete', () => client.core.deleteNamespacedConfigMap({ namespace: client.namespace, name }));
      deleted.push(name);
    } catch (e) {
      if (!hasStatus(e, 404)) throw e;
    }
  }
  try {
    const lease = await client.call('lease get', () => client.coordination.readNamespacedLease({ namespace: client.namespace, name: LEASE_NAME }));
    const expiry = leaseExpiry(lease);
    if (lease.spec?.holderIdentity && expiry && expiry.getTime() > Date.now()) {
      throw new Error(`lease ${LEASE_NAME} is held by ${lease.spec.holderIdentity} until ${expiry.toISOString()}: a run is going on`);
    }
    await client.call('lease delete', () => client.coordination.deleteNamespacedLease({ namespace: client.namespace, name: LEASE_NAME }));
    deleted.push(`lease ${LEASE_NAME}`);
  } catch (e) {
    if (!hasStatus(e, 404)) throw e;
  }
  return deleted.length ? `deleted ${deleted.join(', ')}` : 'none';
}
