// Turns zod issues into lines a user can act on: the dotted path of the field, what is wrong,
// and for an unknown key the closest known key.
import { z } from 'zod';

export function describeIssues(error: z.ZodError, schema: z.ZodType): string {
  return error.issues.map((issue) => `  - ${formatIssue(issue, schema)}`).join('\n');
}

function formatIssue(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((key) => {
        const where = path ? `${path}.${key}` : key;
        const known = knownKeys(schema, issue.path.map(String));
        const near = closest(key, known);
        return `${where}: unknown key${near ? ` (did you mean '${near}'?)` : ''}${known.length ? `; allowed: ${known.join(', ')}` : ''}`;
      })
      .join('\n  - ');
  }
  return `${path || '(top level)'}: ${issue.message}`;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: z.core.$ZodType };
    if (def.innerType && ['default', 'optional', 'nullable', 'prefault', 'catch', 'readonly'].includes(def.type)) s = def.innerType;
    else return s;
  }
}

export function knownKeys(schema: z.core.$ZodType, path: string[]): string[] {
  let s = unwrap(schema);
  for (const part of path) {
    const def = s._zod.def as { type: string; shape?: Record<string, z.core.$ZodType> };
    if (def.type !== 'object' || !def.shape || !def.shape[part]) return [];
    s = unwrap(def.shape[part]);
  }
  const def = s._zod.def as { type: string; shape?: Record<string, z.core.$ZodType> };
  if (def.type !== 'object' || !def.shape) return [];
  const shape = def.shape;
  // A removed key (schema.ts removedKey: a `never`) is refused with its own message, never offered.
  return Object.keys(shape).filter((k) => (unwrap(shape[k]!)._zod.def as { type: string }).type !== 'never');
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
