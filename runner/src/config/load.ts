// Reading a config: YAML file (optional) → env substitution → flag overrides → zod validation.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { configSchema, type LakebenchConfig } from './schema.js';
import { describeIssues } from './issues.js';
import { substituteEnv } from './env.js';
import { BadInputError } from '../util/errors.js';

export type ConfigOverrides = { scale?: number; output?: string; seed?: number; platform?: LakebenchConfig['platform'] };

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const doc = parseDocument(substituteEnv(text, env, file), { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new BadInputError(`malformed YAML: ${first.message.split('\n')[0]}`, file);
  }
  const value: unknown = doc.toJS() ?? {};
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
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new BadInputError(`cannot read config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, file);
    }
    raw = parseConfigText(text, file, env) as Record<string, unknown>;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  return validateConfig(raw, file ?? 'flags');
}

export type { LakebenchConfig };
