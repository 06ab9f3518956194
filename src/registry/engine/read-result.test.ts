/**
 * readTable reads the vectors' memory where it can; these tests hold it to the values the API's
 * own row reader gives (getRowObjectsJS, then toPlain) on every column type the analyses return,
 * with NULLs, several chunks (DuckDB hands results over in chunks of 2,048 rows), 128-bit sums
 * inside and outside ±2^53, and strings inline (≤ 12 bytes) and not.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable, toPlain } from './read-result.js';
import { columnsToRows, rowsToColumns, wireColumns, wireRows, wireToColumns } from './wire.js';

let instance: DuckDBInstance;
let c: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  c = await instance.connect();
  await c.run("SET TimeZone = 'UTC'");
});
afterAll(() => {
  c.closeSync();
  instance.closeSync();
});

async function viaRowObjects(sql: string) {
  const reader = await c.runAndReadAll(sql);
  return reader
    .getRowObjectsJS()
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toPlain(v)])));
}

async function same(sql: string) {
  const expected = await viaRowObjects(sql);
  const table = await readTable(c, sql);
  expect(table.length).toBe(expected.length);
  // toStrictEqual also tells -0 from 0 and keeps key order as the row reader does.
  expect(wireRows(table)).toStrictEqual(expected);
  return table;
}

describe('readTable', () => {
  it('gives what getRowObjectsJS gives, over 3 chunks, for every type the analyses return', async () => {
    // 5,000 rows: i = 0 … 4999. NULL in every column on some rows; an aggregate (GROUP BY) so
    // that the validity masks are materialised as they are in the analyses' results.
    const table = await same(`
      SELECT g AS int_col,
        CAST(g AS BIGINT) * 1000003 - 2500000000 AS bigint_col,
        SUM(CAST(g AS INTEGER)) AS hugeint_col,
        CASE WHEN g % 7 = 0 THEN NULL ELSE SUM(CAST(g AS BIGINT)) - 12000 END AS hugeint_nulls,
        CAST(g AS DOUBLE) / 7 AS double_col,
        CASE WHEN g % 5 = 0 THEN NULL ELSE -CAST(g AS DOUBLE) * 1e-300 END AS double_nulls,
        CASE WHEN g % 3 = 0 THEN 'F' WHEN g % 3 = 1 THEN 'M' END AS sex,
        CASE g % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high' ELSE 'missing' END AS edu,
        CASE WHEN g % 11 = 0 THEN NULL ELSE 'a string longer than twelve bytes ' || g END AS long_text,
        CASE g % 3 WHEN 0 THEN 'Tromsø' WHEN 1 THEN 'Ålesund' ELSE '' END AS unicode,
        g % 2 = 0 AS bool_col,
        CAST(g AS SMALLINT) AS smallint_col,
        CAST(g AS UBIGINT) AS ubigint_col,
        CAST(g AS FLOAT) / 3 AS float_col,
        CAST(g AS DECIMAL(12, 3)) / 8 AS decimal_col,
        DATE '2010-01-01' + CAST(g AS INTEGER) AS date_col,
        TIMESTAMP '2010-01-01 08:30:00' + INTERVAL (g) MINUTE AS ts_col,
        CAST(NULL AS INTEGER) AS all_null
      FROM range(5000) t(g) GROUP BY g ORDER BY g`);
    expect(table.length).toBe(5000);
    const kinds = Object.fromEntries(table.names.map((n, j) => [n, table.columns[j]!.kind]));
    expect(kinds).toMatchObject({
      int_col: 'number',
      hugeint_col: 'number',
      sex: 'coded',
      date_col: 'coded',
    });
  });

  it('128-bit sums: exact within ±2^53 from the lower words, beyond it as the API converts them', async () => {
    await same(`
      SELECT v, SUM(v) AS s FROM (VALUES
        (CAST(0 AS HUGEINT)), (CAST(-1 AS HUGEINT)), (CAST(9007199254740991 AS HUGEINT)),
        (CAST(-9007199254740991 AS HUGEINT)), (CAST(9007199254740993 AS HUGEINT)),
        (CAST(-9007199254740993 AS HUGEINT)), (CAST(4294967296 AS HUGEINT)), (CAST(-4294967296 AS HUGEINT)),
        (CAST('170141183460469231731687303715884105727' AS HUGEINT)),
        (CAST('-170141183460469231731687303715884105727' AS HUGEINT)), (NULL)
      ) t(v) GROUP BY v ORDER BY v NULLS LAST`);
  });

  it('any integers and strings, with NULLs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            n: fc.option(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), { nil: null }),
            s: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
          }),
          { minLength: 1, maxLength: 60 }
        ),
        async (rows) => {
          const values = rows
            .map(
              (r, i) =>
                `(${i}, ${r.n === null ? 'NULL' : `CAST('${r.n}' AS HUGEINT)`}, ${r.s === null ? 'NULL' : `'${r.s.replaceAll("'", "''")}'`})`
            )
            .join(', ');
          await same(
            `SELECT i, SUM(n) AS n, MIN(s) AS s FROM (VALUES ${values}) t(i, n, s) GROUP BY i ORDER BY i`
          );
        }
      ),
      { numRuns: 40 }
    );
  });

  it('an empty result has the columns and no rows', async () => {
    const table = await readTable(c, 'SELECT 1 AS a, CAST(NULL AS VARCHAR) AS b WHERE 1 = 0');
    expect(table).toMatchObject({ names: ['a', 'b'], length: 0 });
    expect(wireRows(table)).toEqual([]);
  });
});

describe('wire', () => {
  it('rows → columns → rows is the identity', () => {
    const rows = [
      { a: 1, b: 'x', c: null, d: true },
      { a: 2.5, b: null, c: 3, d: false },
    ];
    expect(columnsToRows(rowsToColumns(rows))).toStrictEqual(rows);
  });

  it('a number column without NULL stays a Float64Array; with NULL, or of other values, plain values', async () => {
    const table = await readTable(
      c,
      "SELECT 1.5 AS a, CASE WHEN g = 0 THEN NULL ELSE g END AS b, 'x' AS s FROM range(2) t(g)"
    );
    const columns = wireToColumns(table);
    expect(columns.columns.a).toBeInstanceOf(Float64Array);
    expect(Array.from(columns.columns.b!)).toEqual([null, 1]);
    expect(wireColumns(table)).toStrictEqual({ a: [1.5, 1.5], b: [null, 1], s: ['x', 'x'] });
  });
});
