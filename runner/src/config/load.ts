// Reading a config: YAML file (optional) → YAML parse → env substitution into scalar values → flag
// overrides → zod validation. Whatever the file holds (an alias bomb, a nesting thousands deep,
// binary junk, a device), the answer is exit 2 naming the file, never a stack trace or a hang.
import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { configSchema, type LakebenchConfig } from './schema.js';
import { describeIssues } from './issues.js';
import { substituteEnvInDocument } from './env.js';
import { BadInputError, errorMessage } from '../util/errors.js';

/** A config is a few KiB; a ConfigMap holds at most 1 MiB. Anything larger is not a config. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Aliases expanded while building the config: a handful in a real file, billions in an alias bomb. */
const MAX_ALIAS_COUNT = 100;

export type ConfigOverrides = { scale?: number; output?: string; seed?: number; platform?: LakebenchConfig['platform'] };

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  let value: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      throw new BadInputError(`malformed YAML: ${first.message.split('\n')[0]}`, file);
    }
    substituteEnvInDocument(doc, env, file);
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (e) {
    if (e instanceof BadInputError) throw e;
    // The yaml package refuses alias expansion past maxAliasCount with a ReferenceError; a nesting
    // deep enough overflows the stack (RangeError). Both are the file's fault.
    const why = e instanceof RangeError ? 'nested too deeply' : errorMessage(e).split('\n')[0];
    throw new BadInputError(`unusable YAML: ${why}`, file);
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadInputError('the top level must be a mapping of keys', file);
  return value;
}

export function validateConfig(raw: unknown, source: string): LakebenchConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new BadInputError(`invalid configuration\n${describeIssues(result.error, configSchema)}`, source);
  return result.data;
}

export function loadConfig(file: string | undefined, overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): LakebenchConfig {
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      // A device or FIFO (/dev/zero, /dev/stdin) would be read forever: only a regular file of config size.
      const info = statSync(file);
      if (!info.isFile()) throw new BadInputError(`not a regular file (${info.isDirectory() ? 'a directory' : 'a device, socket or pipe'})`, file);
      if (info.size > MAX_CONFIG_BYTES) throw new BadInputError(`${info.size} bytes: a config file is at most ${MAX_CONFIG_BYTES} bytes`, file);
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (e instanceof BadInputError) throw e;
      throw new BadInputError(`cannot read config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, file);
    }
    raw = parseConfigText(text, file, env) as Record<string, unknown>;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  return validateConfig(raw, file ?? 'flags');
}

export type { LakebenchConfig };
