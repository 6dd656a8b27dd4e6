// How the runner reaches Trino. Endpoint and catalog come from the config; the user, the password
// and the TLS trust come only from environment variables, so no secret ever sits in a config file,
// in metrics or in a log.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CATALOG_NAME } from '../config/defaults.js';
import type { LakebenchConfig } from '../config/schema.js';
import { BadInputError } from '../util/errors.js';

export const trinoOptionsSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/ }),
  catalog: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a plain Trino catalog name').default(DEFAULT_CATALOG_NAME),
  user: z.string().min(1).default('lakebench'),
  /** Basic authentication; Trino accepts passwords only over https. */
  password: z.string().min(1).optional(),
  /** PEM bundle that signs the server's certificate, for https endpoints with a private CA. */
  caPem: z.string().min(1).optional(),
});

export type TrinoOptions = z.infer<typeof trinoOptionsSchema>;
export type TrinoOptionsInput = z.input<typeof trinoOptionsSchema>;

export const TRINO_ENV = {
  user: 'LAKEBENCH_TRINO_USER',
  password: 'LAKEBENCH_TRINO_PASSWORD',
  caFile: 'LAKEBENCH_TRINO_CA_FILE',
} as const;

/** The connection of a cluster run: `cluster.queryEngine.endpoint`, `cluster.catalog.name`, env. */
export function trinoOptionsFromConfig(config: LakebenchConfig, env: NodeJS.ProcessEnv = process.env): TrinoOptions {
  const endpoint = config.cluster?.queryEngine?.endpoint;
  if (!endpoint) throw new BadInputError('the trino engine needs cluster.queryEngine.endpoint', 'cluster.queryEngine.endpoint');
  return trinoOptionsFromEnv({ endpoint, catalog: config.cluster?.catalog?.name }, env);
}

export function trinoOptionsFromEnv(base: { endpoint: string; catalog?: string | undefined }, env: NodeJS.ProcessEnv = process.env): TrinoOptions {
  const caFile = env[TRINO_ENV.caFile];
  let caPem: string | undefined;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new BadInputError(`cannot read the Trino CA bundle (${(e as NodeJS.ErrnoException).code ?? 'error'})`, TRINO_ENV.caFile);
    }
  }
  const parsed = trinoOptionsSchema.safeParse({
    endpoint: base.endpoint,
    catalog: base.catalog,
    user: env[TRINO_ENV.user] || undefined,
    password: env[TRINO_ENV.password] || undefined,
    caPem,
  });
  // Issues name the field only: the password's value must not reach an error message.
  if (!parsed.success) throw new BadInputError(`invalid Trino connection: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'trino');
  return parsed.data;
}
