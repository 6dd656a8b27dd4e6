// The configuration as it may appear in metrics.json and reports: credentials never come from the
// config file, but a key that looks like one is still dropped, in case someone put it there.
import type { LakebenchConfig } from './schema.js';

const SECRET_KEY = /secret|password|token|credential|access[-_]?key/i;

export function redactConfig(config: LakebenchConfig): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !SECRET_KEY.test(k)).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(config) as Record<string, unknown>;
}
