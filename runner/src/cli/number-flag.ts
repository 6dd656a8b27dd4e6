// Numeric flags, checked where they are parsed. yargs' own `type: 'number'` turns `abc` into NaN
// and an empty value into 0, and lets 1e999 through as Infinity; a run then starts and fails much
// later ("timed out after NaN s"). Here every numeric flag is read from its text, and anything that
// is not a finite number in the flag's range is bad input (exit 2) naming the flag.
import { BadInputError } from '../util/errors.js';

export type NumberRule = {
  /** Whole numbers only (counts, ports, indices). */
  integer?: boolean;
  min?: number;
  /** `min` itself is refused (a timeout of 0 s means nothing). */
  minExclusive?: boolean;
  max?: number;
};

// A plain decimal number: no hex, no underscores, no `Infinity`, nothing yargs or Number() would
// quietly reinterpret.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumberFlag(flag: string, raw: unknown, rule: NumberRule): number {
  if (Array.isArray(raw)) throw new BadInputError(`given ${raw.length} times; give it once`, flag);
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!DECIMAL.test(text)) throw new BadInputError(`expected ${expectation(rule)}, got ${JSON.stringify(typeof raw === 'string' ? raw : String(raw))}`, flag);
  const value = Number(text);
  const tooLow = rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min);
  const tooHigh = rule.max !== undefined && value > rule.max;
  if (!Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) || tooLow || tooHigh) {
    throw new BadInputError(`expected ${expectation(rule)}, got ${text}`, flag);
  }
  return value;
}

function expectation(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const low = rule.min === undefined ? undefined : `${rule.minExclusive ? 'above' : 'at least'} ${rule.min}`;
  const high = rule.max === undefined ? undefined : `at most ${rule.max}`;
  const range = [low, high].filter((s) => s !== undefined).join(' and ');
  return range ? `${kind} ${range}` : kind;
}

/**
 * A yargs option for a numeric flag: read as text (so nothing is converted before the check) and
 * coerced through `parseNumberFlag`, whose BadInputError reaches the CLI's exit code 2.
 */
export function numberOption(flag: string, describe: string, rule: NumberRule) {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    coerce: (raw: unknown): number => parseNumberFlag(`--${flag}`, raw, rule),
  } as const;
}
