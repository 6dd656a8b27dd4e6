// A streaming Parquet file writer for the bronze schema: row groups of column values in, "PAR1" + column
// chunks + footer out, hashed (SHA-256) as the bytes are written so the file is never read back. Pages
// are format v1, PLAIN, Snappy, every column OPTIONAL; the footer carries min/max statistics for the
// integer and timestamp columns and null counts for all. The file is written under a temporary name
// and renamed into place only when complete.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { endianness } from 'node:os';
import { CompactWriter } from './thrift-compact.js';
import { encodePage, pageRanges, type ColumnValues } from './column-pages.js';

export type ParquetColumn = { name: string; type: 'int64' | 'timestamp-us' | 'int32' | 'double' | 'boolean' | 'string' };

// parquet.thrift enums
const PHYSICAL = { boolean: 0, int32: 1, int64: 2, 'timestamp-us': 2, double: 5, string: 6 } as const;
const OPTIONAL = 1;
const REQUIRED = 0;
const CONVERTED_UTF8 = 0;
const CONVERTED_TIMESTAMP_MICROS = 10;
const ENCODING_PLAIN = 0;
const ENCODING_RLE = 3;
const CODEC_SNAPPY = 1;
const PAGE_DATA = 0;
const MAGIC = Buffer.from('PAR1', 'ascii');

type ChunkMeta = { column: ParquetColumn; offset: number; compressed: number; uncompressed: number; values: number; nulls: number; min?: number; max?: number };
type RowGroupMeta = { rows: number; offset: number; chunks: ChunkMeta[] };

if (endianness() !== 'LE') throw new Error('the Parquet writer assumes a little-endian host');

export class ParquetFileWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly hash: Hash = createHash('sha256');
  private position = 0;
  private readonly groups: RowGroupMeta[] = [];
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly columns: readonly ParquetColumn[],
    private readonly createdBy: string,
  ) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
    this.write(MAGIC);
  }

  private write(b: Uint8Array): void {
    for (let done = 0; done < b.length; ) done += writeSync(this.fd, b, done, b.length - done);
    this.hash.update(b);
    this.position += b.length;
  }

  /** Writes one row group; `data` is in column order and `random-ascii` columns are generated now. */
  writeRowGroup(rows: number, data: readonly ColumnValues[]): void {
    if (data.length !== this.columns.length) throw new Error(`row group has ${data.length} columns, schema ${this.columns.length}`);
    const group: RowGroupMeta = { rows, offset: this.position, chunks: [] };
    this.columns.forEach((column, c) => {
      const values = data[c]!;
      const chunk: ChunkMeta = { column, offset: this.position, compressed: 0, uncompressed: 0, values: rows, nulls: 0, ...integerRange(values, rows) };
      for (const [from, to] of pageRanges(values, rows)) {
        const page = encodePage(values, from, to);
        const header = CompactWriter.struct((w) =>
          w
            .i32(1, PAGE_DATA)
            .i32(2, page.uncompressedBytes)
            .i32(3, page.body.length)
            .struct(5, (d) => d.i32(1, to - from).i32(2, ENCODING_PLAIN).i32(3, ENCODING_RLE).i32(4, ENCODING_RLE)),
        );
        this.write(header);
        this.write(page.body);
        chunk.compressed += header.length + page.body.length;
        chunk.uncompressed += header.length + page.uncompressedBytes;
        chunk.nulls += page.nulls;
      }
      group.chunks.push(chunk);
    });
    this.groups.push(group);
  }

  /** Footer, rename into place; returns the file's size and SHA-256. */
  close(): { bytes: number; sha256: string } {
    const footer = this.footer();
    this.write(footer);
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(footer.length, 0);
    MAGIC.copy(tail, 4);
    this.write(tail);
    closeSync(this.fd);
    this.closed = true;
    renameSync(this.tmp, this.path);
    return { bytes: this.position, sha256: this.hash.digest('hex') };
  }

  /** Removes the temporary file after a failure. */
  abort(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.tmp, { force: true });
  }

  private footer(): Buffer {
    const rows = this.groups.reduce((n, g) => n + g.rows, 0);
    return CompactWriter.struct((w) =>
      w
        .i32(1, 1)
        .structList(2, [undefined, ...this.columns], (s, column) => {
          if (!column) return void s.i32(3, REQUIRED).binary(4, 'schema').i32(5, this.columns.length);
          s.i32(1, PHYSICAL[column.type]).i32(3, OPTIONAL).binary(4, column.name);
          if (column.type === 'string') s.i32(6, CONVERTED_UTF8).struct(10, (l) => l.struct(1, () => {}));
          if (column.type === 'timestamp-us')
            s.i32(6, CONVERTED_TIMESTAMP_MICROS).struct(10, (l) => l.struct(8, (t) => t.bool(1, true).struct(2, (u) => u.struct(2, () => {}))));
        })
        .i64(3, rows)
        .structList(4, this.groups, (g, group) =>
          g
            .structList(1, group.chunks, (cc, chunk) => cc.i64(2, chunk.offset).struct(3, (m) => columnMetaData(m, chunk)))
            .i64(2, group.chunks.reduce((n, c) => n + c.uncompressed, 0))
            .i64(3, group.rows)
            .i64(5, group.offset)
            .i64(6, group.chunks.reduce((n, c) => n + c.compressed, 0)),
        )
        .binary(6, this.createdBy)
        .structList(7, this.columns, (o) => o.struct(1, () => {})),
    );
  }
}

function columnMetaData(m: CompactWriter, chunk: ChunkMeta): void {
  m.i32(1, PHYSICAL[chunk.column.type])
    .i32List(2, [ENCODING_PLAIN, ENCODING_RLE])
    .stringList(3, [chunk.column.name])
    .i32(4, CODEC_SNAPPY)
    .i64(5, chunk.values)
    .i64(6, chunk.uncompressed)
    .i64(7, chunk.compressed)
    .i64(9, chunk.offset)
    .struct(12, (s) => {
      s.i64(3, chunk.nulls);
      if (chunk.min !== undefined && chunk.max !== undefined) {
        const width = chunk.column.type === 'int32' ? 4 : 8;
        s.binary(5, plainInteger(chunk.max, width)).binary(6, plainInteger(chunk.min, width));
      }
    });
}

function plainInteger(v: number, width: 4 | 8): Buffer {
  const b = Buffer.alloc(width);
  if (width === 4) b.writeInt32LE(v, 0);
  else {
    b.writeUInt32LE(v >>> 0, 0);
    b.writeInt32LE(Math.floor(v / 4294967296), 4);
  }
  return b;
}

/** Min and max of the present values of an integer or timestamp column; nothing for other types. */
function integerRange(column: ColumnValues, rows: number): { min?: number; max?: number } {
  if (column.type !== 'int64' && column.type !== 'timestamp-us' && column.type !== 'int32') return {};
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < rows; r++) {
    if (column.valid && !column.valid[r]) continue;
    const v = column.values[r]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : {};
}
