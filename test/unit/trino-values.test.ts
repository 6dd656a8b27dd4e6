// Trino's JSON result values as engine-neutral cells (runner/src/engines/trino-values.ts), chosen by the
// column's declared type as the protocol spells it. A value that cannot be read exactly fails the
// query with TrinoDecodeError, never becomes a silent approximation.
import { describe, expect, it } from 'vitest';
import { decodeRow, decoderFor, TrinoDecodeError } from '../../runner/src/engines/trino-values.js';

const decode = (type: string, value: unknown) => decoderFor(type)(value);

describe('Trino values by declared type', () => {
  it('reads integers exactly as bigint, and refuses one JSON has already rounded (beyond 2^53)', () => {
    expect(decode('bigint', 42)).toBe(42n);
    expect(decode('integer', -7)).toBe(-7n);
    expect(decode('BIGINT', Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(() => decode('bigint', 2 ** 53)).toThrow(TrinoDecodeError);
    expect(() => decode('bigint', 1.5)).toThrow('cannot read 1.5 as an exact integer');
    expect(() => decode('integer', '42')).toThrow(TrinoDecodeError);
  });

  it('reads doubles, including the protocol’s NaN and ±Infinity strings, and nothing else', () => {
    expect(decode('double', 0.25)).toBe(0.25);
    expect(decode('real', 'NaN')).toBeNaN();
    expect([decode('double', 'Infinity'), decode('double', '-Infinity')]).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(() => decode('double', '0.25')).toThrow('cannot read "0.25" as double');
  });

  it('reads decimals sent as strings, whatever their precision, and refuses other shapes', () => {
    expect(decode('decimal(38, 2)', '1234.50')).toBe(1234.5);
    expect(decode('decimal(10,0)', '-17')).toBe(-17);
    expect(() => decode('decimal(38, 2)', 1234.5)).toThrow(TrinoDecodeError);
    expect(() => decode('decimal(38, 2)', '1e3')).toThrow(TrinoDecodeError);
  });

  it('reads text, booleans and dates only in their own JSON shape', () => {
    expect(decode('varchar(20)', 'web')).toBe('web');
    expect(decode('char(3)', 'abc')).toBe('abc');
    expect(() => decode('varchar', 5)).toThrow(TrinoDecodeError);
    expect(decode('boolean', false)).toBe(false);
    expect(() => decode('boolean', 'false')).toThrow(TrinoDecodeError);
    expect(decode('date', '2025-12-30')).toEqual({ date: '2025-12-30' });
    expect(() => decode('date', '2025-12-30T00:00:00')).toThrow(TrinoDecodeError);
  });

  it('writes timestamps as UTC ISO-8601 with exactly six fractional digits, shifting a numeric offset to UTC', () => {
    expect(decode('timestamp(3)', '2025-01-02 03:04:05.123')).toEqual({ timestamp: '2025-01-02T03:04:05.123000Z' });
    expect(decode('timestamp(6)', '2025-01-02 03:04:05')).toEqual({ timestamp: '2025-01-02T03:04:05.000000Z' });
    expect(decode('timestamp(9) with time zone', '2025-01-02 03:04:05.123456789 UTC')).toEqual({ timestamp: '2025-01-02T03:04:05.123456Z' });
    expect(decode('timestamp(6) with time zone', '2025-01-02 01:30:00.5 +02:00')).toEqual({ timestamp: '2025-01-01T23:30:00.500000Z' });
    expect(() => decode('timestamp(6) with time zone', '2025-01-02 01:30:00 Europe/Paris')).toThrow('timestamp (UTC or a numeric offset)');
  });

  it('keeps the JSON text of types without an exact mapping, and NULL as null for every type', () => {
    expect(decode('array(integer)', [1, 2])).toBe('[1,2]');
    expect(decode('json', '{"a":1}')).toBe('{"a":1}');
    for (const type of ['bigint', 'double', 'decimal(38,2)', 'varchar', 'boolean', 'date', 'timestamp(6)', 'map(varchar,integer)']) expect(decode(type, null), type).toBeNull();
  });

  it('decodes a row column by column, and refuses a row whose width is not the columns’', () => {
    const decoders = ['bigint', 'varchar', 'decimal(10,2)'].map(decoderFor);
    expect(decodeRow([3, 'x', '1.25'], decoders)).toEqual([3n, 'x', 1.25]);
    expect(() => decodeRow([3, 'x'], decoders)).toThrow('a row has 2 values for 3 columns');
  });
});
