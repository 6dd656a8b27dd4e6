// The document the runner hands each datagen pod (in a ConfigMap): the dataset parameters, fixed once
// by the runner so every pod generates exactly the same dataset, and where bronze lives. No secrets:
// the S3 keys come from the AWS_* environment of the pod.
import { z } from 'zod';
import { CLUSTER_FILE_SIZE_MB } from '../config/defaults.js';
import type { LakebenchConfig } from '../config/schema.js';
import { datasetParams, fileName, manifestEntryName, type DatasetParams } from './dataset.js';
import { manifestSchema } from './manifest.js';

export const DATA_PREFIX = 'customer/interactions/';
export const MANIFEST_PREFIX = 'customer/_manifest/';

export const datagenTaskSchema = z.strictObject({
  task_version: z.literal(1),
  run_id: z.string().min(1),
  dataset: manifestSchema.shape.dataset,
  storage: z.strictObject({ endpoint: z.url(), region: z.string().min(1), path_style: z.boolean(), bucket: z.string().min(3) }),
  /** Image reference recorded in the manifest (docs/data.md §8.1). */
  image: z.string().nullable(),
});
export type DatagenTask = z.infer<typeof datagenTaskSchema>;

export const dataKey = (index: number): string => `${DATA_PREFIX}${fileName(index)}`;
export const entryKey = (index: number): string => `${MANIFEST_PREFIX}files/${manifestEntryName(index)}`;
export const MANIFEST_KEY = `${MANIFEST_PREFIX}manifest.json`;

export function clusterDatasetParams(config: LakebenchConfig, scale: number = config.scale): DatasetParams {
  return datasetParams({
    seed: config.seed,
    scale,
    windowStart: config.datagen.window.start,
    windowEnd: config.datagen.window.end,
    dirtyRatio: config.datagen.dirtyRatio,
    fileSizeMb: config.datagen.fileSizeMb ?? CLUSTER_FILE_SIZE_MB,
    customerLaw: config.datagen.customers,
  });
}

export function datagenTask(runId: string, params: DatasetParams, storage: { endpoint: string; region: string; pathStyle: boolean; bucket: string }, image: string | null): DatagenTask {
  return datagenTaskSchema.parse({
    task_version: 1,
    run_id: runId,
    dataset: params,
    storage: { endpoint: storage.endpoint, region: storage.region, path_style: storage.pathStyle, bucket: storage.bucket },
    image,
  });
}

/** The file indices pod `index` of `pods` owns: index mod pods (docs/data.md §7). */
export function indicesOf(fileCount: number, index: number, pods: number): number[] {
  const out: number[] = [];
  for (let i = index; i < fileCount; i += pods) out.push(i);
  return out;
}
