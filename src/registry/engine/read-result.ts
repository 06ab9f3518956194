/**
 * Reads a DuckDB query result into columns (wire.ts) with the same values that
 * `getRowObjectsJS()` followed by the worker's plain conversion gives: numbers (BIGINT and HUGEINT
 * as Number, as before), strings, booleans, dates as 'YYYY-MM-DD', timestamps as ISO strings, NULL
 * as null. Worker-side only (it imports DuckDB).
 *
 * Why not `getRowObjectsJS()`: the node API reads one value at a time through a generic converter,
 * which costs about 150 ns a number (its NULL check makes BigInts) and 700 ns a string (a
 * TextDecoder call each); the national indicator_patterns (225,000 rows × 24 columns) took seconds.
 * Here the common column types (DOUBLE, INTEGER, BIGINT, HUGEINT, VARCHAR) are read from the
 * vector's memory, which @duckdb/node-api keeps on its vector objects (items, dataView, validity:
 * not in its typings, so each is checked before use); a short string (at most 12 bytes, stored
 * inline by DuckDB) is decoded once per distinct value in a chunk. Any other type, or a vector
 * whose internals are not as expected (another version of the API), goes through the API's own
 * converter, so the values are the same either way, only slower (read-result.test.ts compares the
 * two on every type the analyses return).
 */
import { endianness } from 'node:os';
import {
  DuckDBBigIntVector,
  DuckDBDoubleVector,
  DuckDBHugeIntVector,
  DuckDBIntegerVector,
  DuckDBTypeId,
  DuckDBVarCharVector,
  JSDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBType,
  type DuckDBVector,
} from '@duckdb/node-api';
import { codeColumn, type Cell, type WireColumn, type WireTable } from './wire.js';

/** The plain value of what the API's JS converter returns (bigint → number, Date → string). */
export function toPlain(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(value);
}

const NUMERIC = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

const LITTLE_ENDIAN = endianness() === 'LE';

/** Is row i valid (not NULL)? From the vector's validity bitmap, or null when it cannot be read. */
type Validity = ((i: number) => boolean) | null;

function validityOf(vector: DuckDBVector): Validity {
  const v = (vector as unknown as { validity?: { data?: unknown; offset?: unknown } }).validity;
  if (!LITTLE_ENDIAN || !v || typeof v.offset !== 'number') return null;
  if (v.data === null) return () => true;
  if (!(v.data instanceof BigUint64Array)) return null;
  // Bit k of the mask is bit (k mod 32) of 32-bit word k div 32 (little-endian 64-bit words).
  const words = new Uint32Array(v.data.buffer, v.data.byteOffset, v.data.length * 2);
  const offset = v.offset;
  return (i) => ((words[(offset + i) >>> 5]! >>> ((offset + i) & 31)) & 1) === 1;
}

/** A field the API keeps on its vector objects (not in its typings). */
function internal(vector: DuckDBVector, field: 'items' | 'dataView'): unknown {
  return (vector as unknown as Record<string, unknown>)[field];
}

/** Reads rows [0, n) of a chunk's number column into out[at …]; false when the fast path does not apply. */
function readNumbers(
  vector: DuckDBVector,
  n: number,
  out: Float64Array,
  nulls: Uint8Array,
  at: number
): boolean {
  const valid = validityOf(vector);
  if (!valid) return false;
  if (vector instanceof DuckDBDoubleVector || vector instanceof DuckDBIntegerVector) {
    const values = internal(vector, 'items');
    if (!(values instanceof Float64Array || values instanceof Int32Array) || values.length < n) return false;
    for (let i = 0; i < n; i++) {
      if (valid(i)) out[at + i] = values[i]!;
      else nulls[at + i] = 1;
    }
    return true;
  }
  if (vector instanceof DuckDBBigIntVector) {
    const items = internal(vector, 'items');
    if (!(items instanceof BigInt64Array) || items.length < n) return false;
    for (let i = 0; i < n; i++) {
      if (valid(i)) out[at + i] = Number(items[i]!);
      else nulls[at + i] = 1;
    }
    return true;
  }
  if (vector instanceof DuckDBHugeIntVector) {
    const view = internal(vector, 'dataView');
    if (!(view instanceof DataView) || view.byteLength < n * 16) return false;
    for (let i = 0; i < n; i++) {
      if (!valid(i)) {
        nulls[at + i] = 1;
        continue;
      }
      // A 128-bit integer as four 32-bit words, lowest first. Within ±2^53 (every count) the value
      // is exact from the lower two words; else the API's BigInt, converted as before.
      const o = i * 16;
      const w0 = view.getUint32(o, true);
      const w1 = view.getUint32(o + 4, true);
      const w2 = view.getUint32(o + 8, true);
      const w3 = view.getUint32(o + 12, true);
      if (w3 === 0 && w2 === 0 && w1 < 0x200000) out[at + i] = w1 * 0x100000000 + w0;
      else if (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000)
        out[at + i] = (w1 - 0x100000000) * 0x100000000 + w0;
      else out[at + i] = Number(vector.getItem(i)!);
    }
    return true;
  }
  return false;
}

/** Reads rows [0, n) of a chunk's VARCHAR column into out[at …]; false when the fast path does not apply. */
function readStrings(vector: DuckDBVector, n: number, out: Cell[], at: number): boolean {
  if (!(vector instanceof DuckDBVarCharVector)) return false;
  const valid = validityOf(vector);
  const view = internal(vector, 'dataView');
  if (!valid || !(view instanceof DataView) || view.byteLength < n * 16) return false;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, n * 16);
  // Short strings are inline: 4 bytes of length, then the bytes. The distinct ones seen in this
  // chunk are kept (length + bytes → string) and compared byte by byte.
  const seen: { length: number; at: number; value: string }[] = [];
  for (let i = 0; i < n; i++) {
    if (!valid(i)) {
      out[at + i] = null;
      continue;
    }
    const o = i * 16;
    const length = view.getUint32(o, true);
    if (length > 12) {
      out[at + i] = vector.getItem(i);
      continue;
    }
    let value: string | undefined;
    for (let s = 0; s < seen.length && value === undefined; s++) {
      const c = seen[s]!;
      if (c.length !== length) continue;
      let same = true;
      for (let b = 0; b < length; b++)
        if (bytes[o + 4 + b] !== bytes[c.at + 4 + b]) {
          same = false;
          break;
        }
      if (same) value = c.value;
    }
    if (value === undefined) {
      value = vector.getItem(i)!;
      if (seen.length < 64) seen.push({ length, at: o, value });
    }
    out[at + i] = value;
  }
  return true;
}

function slowValues(vector: DuckDBVector, type: DuckDBType, n: number, out: Cell[], at: number): void {
  for (let i = 0; i < n; i++)
    out[at + i] = toPlain(JSDuckDBValueConverter(vector.getItem(i), type, JSDuckDBValueConverter));
}

function readColumn(
  chunks: readonly DuckDBDataChunk[],
  j: number,
  type: DuckDBType,
  length: number
): WireColumn {
  if (NUMERIC.has(type.typeId)) {
    const values = new Float64Array(length);
    const nulls = new Uint8Array(length);
    let at = 0;
    let scratch: Cell[] | null = null;
    for (const chunk of chunks) {
      const n = chunk.rowCount;
      const vector = chunk.getColumnVector(j);
      if (!readNumbers(vector, n, values, nulls, at)) {
        scratch ??= [];
        slowValues(vector, type, n, scratch, 0);
        for (let i = 0; i < n; i++) {
          const v = scratch[i];
          if (v === null || v === undefined) nulls[at + i] = 1;
          else values[at + i] = Number(v);
        }
      }
      at += n;
    }
    return { kind: 'number', values, nulls: nulls.includes(1) ? nulls : null };
  }
  const out = new Array<Cell>(length);
  let at = 0;
  for (const chunk of chunks) {
    const n = chunk.rowCount;
    const vector = chunk.getColumnVector(j);
    if (!(type.typeId === DuckDBTypeId.VARCHAR && readStrings(vector, n, out, at)))
      slowValues(vector, type, n, out, at);
    at += n;
  }
  return codeColumn(out);
}

/**
 * Runs a query and reads its result as columns. Materialised, not streamed (which would save a
 * copy): DuckDB keeps a materialised result in a fixed order, a streamed one in the order its
 * threads finish, and the model fits sum over rows in their order, so a streamed result changed
 * them in the 9th digit from run to run.
 */
export async function readTable(connection: DuckDBConnection, sql: string): Promise<WireTable> {
  const result = await connection.run(sql);
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  const chunks = (await result.fetchAllChunks()).filter((c) => c.rowCount > 0);
  const length = chunks.reduce((s, c) => s + c.rowCount, 0);
  return { names, length, columns: types.map((type, j) => readColumn(chunks, j, type, length)) };
}
