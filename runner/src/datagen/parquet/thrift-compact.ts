// The few pieces of Thrift's compact protocol a Parquet footer and page header need: structs of
// i32/i64/binary/bool fields, nested structs and lists of structs, i32s or strings. Writing only
// (the generator never reads Thrift), into a growable byte buffer.

const TYPE = { TRUE: 1, FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

export class CompactWriter {
  private buf = Buffer.allocUnsafe(1024);
  private len = 0;
  private lastField: number[] = [0];

  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53 (numbers, not bigints: every size here fits). */
  private varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** Zigzag, so small negative numbers stay short; exact for |v| < 2^52. */
  private zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  private fieldHeader(id: number, type: number): void {
    const last = this.lastField[this.lastField.length - 1]!;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastField[this.lastField.length - 1] = id;
  }

  i32(id: number, v: number): this {
    this.fieldHeader(id, TYPE.I32);
    this.zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.fieldHeader(id, TYPE.I64);
    this.zigzag(v);
    return this;
  }

  bool(id: number, v: boolean): this {
    this.fieldHeader(id, v ? TYPE.TRUE : TYPE.FALSE);
    return this;
  }

  binary(id: number, v: Uint8Array | string): this {
    this.fieldHeader(id, TYPE.BINARY);
    this.rawBinary(v);
    return this;
  }

  private rawBinary(v: Uint8Array | string): void {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A nested struct as field `id`; `body` writes its fields. */
  struct(id: number, body: (w: this) => void): this {
    this.fieldHeader(id, TYPE.STRUCT);
    this.structBody(body);
    return this;
  }

  private structBody(body: (w: this) => void): void {
    this.lastField.push(0);
    body(this);
    this.byte(0); // STOP
    this.lastField.pop();
  }

  private listHeader(id: number, elementType: number, size: number): void {
    this.fieldHeader(id, TYPE.LIST);
    if (size < 15) this.byte((size << 4) | elementType);
    else {
      this.byte(0xf0 | elementType);
      this.varint(size);
    }
  }

  structList<T>(id: number, items: readonly T[], body: (w: this, item: T) => void): this {
    this.listHeader(id, TYPE.STRUCT, items.length);
    for (const item of items) this.structBody((w) => body(w, item));
    return this;
  }

  i32List(id: number, items: readonly number[]): this {
    this.listHeader(id, TYPE.I32, items.length);
    for (const v of items) this.zigzag(v);
    return this;
  }

  stringList(id: number, items: readonly string[]): this {
    this.listHeader(id, TYPE.BINARY, items.length);
    for (const v of items) this.rawBinary(v);
    return this;
  }

  /** A top-level struct (a page header, the file footer): its fields, then STOP. */
  static struct(body: (w: CompactWriter) => void): Buffer {
    const w = new CompactWriter();
    body(w);
    w.byte(0);
    return w.bytes();
  }
}
