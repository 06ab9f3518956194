import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitGroupedOls, type OlsCell } from './ols.js';

/** Gauss–Jordan inverse with partial pivoting (independent of linalg.ts). */
function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    const d = m[col]![col]!;
    for (let j = 0; j < 2 * n; j++) m[col]![j]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      for (let j = 0; j < 2 * n; j++) m[r]![j]! -= f * m[col]![j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** Person-level OLS with HC0 errors, the textbook way. */
function personOls(persons: { x: number[]; y: number }[]) {
  const p = persons[0]!.x.length;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (const { x, y } of persons)
    for (let a = 0; a < p; a++) {
      xty[a]! += x[a]! * y;
      for (let b = 0; b < p; b++) xtx[a]![b]! += x[a]! * x[b]!;
    }
  const inv = invert(xtx);
  const beta = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j]!, 0));
  const meat = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const { x, y } of persons) {
    const e = y - x.reduce((s, v, j) => s + v * beta[j]!, 0);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a]![b]! += x[a]! * x[b]! * e * e;
  }
  const mul = (u: number[][], v: number[][]) =>
    u.map((row) => v[0]!.map((_, j) => row.reduce((s, x, k) => s + x * v[k]![j]!, 0)));
  const cov = mul(mul(inv, meat), inv);
  return { beta, se: cov.map((row, i) => Math.sqrt(Math.max(0, row[i]!))) };
}

describe('grouped OLS with HC0 errors', () => {
  it('one binary regressor: slope = difference in proportions, HC0 SE = the unpooled closed form', () => {
    const cells: OlsCell[] = [
      { x: [1, 0], n: 300, sum: 45, sumSq: 45 },
      { x: [1, 1], n: 120, sum: 30, sumSq: 30 },
    ];
    const fit = fitGroupedOls(cells);
    const p0 = 45 / 300;
    const p1 = 30 / 120;
    expect(fit.beta[0]).toBeCloseTo(p0, 12);
    expect(fit.beta[1]).toBeCloseTo(p1 - p0, 12);
    expect(fit.se[1]).toBeCloseTo(Math.sqrt((p1 * (1 - p1)) / 120 + (p0 * (1 - p0)) / 300), 12);
    expect(fit.n).toBe(420);
  });

  it('matches a person-level fit exactly (binary and non-binary outcomes)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.integer({ min: 0, max: 2 }),
            b: fc.integer({ min: 0, max: 1 }),
            y: fc.integer({ min: 0, max: 4 }),
          }),
          { minLength: 12, maxLength: 60 }
        ),
        (rows) => {
          const x = (r: { a: number; b: number }) => [
            1,
            r.a === 1 ? 1 : 0,
            r.a === 2 ? 1 : 0,
            r.b,
            r.a * r.b,
          ];
          const persons = rows.map((r) => ({ x: x(r), y: r.y }));
          const cells = new Map<string, OlsCell>();
          for (const r of rows) {
            const key = `${r.a}${r.b}`;
            const c = cells.get(key) ?? { x: x(r), n: 0, sum: 0, sumSq: 0 };
            cells.set(key, { ...c, n: c.n + 1, sum: c.sum + r.y, sumSq: c.sumSq + r.y * r.y });
          }
          let grouped;
          try {
            grouped = fitGroupedOls([...cells.values()]);
          } catch {
            // Some random samples leave a level empty: the design is then singular. Fine.
            fc.pre(false);
            return;
          }
          const person = personOls(persons);
          grouped.beta.forEach((v, j) => expect(v).toBeCloseTo(person.beta[j]!, 8));
          grouped.se.forEach((v, j) => expect(v).toBeCloseTo(person.se[j]!, 7));
        }
      ),
      { numRuns: 60, seed: 11 }
    );
  });

  it('throws clear errors', () => {
    expect(() => fitGroupedOls([])).toThrow(/no cells/);
    expect(() =>
      fitGroupedOls([
        { x: [1, 0], n: 3, sum: 1, sumSq: 1 },
        { x: [1], n: 3, sum: 1, sumSq: 1 },
      ])
    ).toThrow(/mismatched covariate lengths/);
    expect(() =>
      fitGroupedOls([
        { x: [1, 1], n: 3, sum: 1, sumSq: 1 },
        { x: [1, 1], n: 5, sum: 2, sumSq: 2 },
      ])
    ).toThrow(/singular/);
    expect(() => fitGroupedOls([{ x: [1], n: -1, sum: 0, sumSq: 0 }])).toThrow(/invalid person count/);
    expect(() => fitGroupedOls([{ x: [1], n: 4, sum: 4, sumSq: 1 }])).toThrow(/inconsistent/);
    expect(() => fitGroupedOls([{ x: [NaN], n: 4, sum: 1, sumSq: 1 }])).toThrow(/non-finite/);
  });
});
