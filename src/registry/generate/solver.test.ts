import { describe, expect, it } from 'vitest';
import { solveCalibration, type Cell } from './solver.js';
import { Rng } from './random.js';

const expit = (x: number) => 1 / (1 + Math.exp(-x));

describe('solveCalibration', () => {
  const rng = new Rng(1, 'solver-test');
  const cells: Cell[] = [];
  for (const year of ['2009', '2010', '2011'])
    for (const sex of ['F', 'M'])
      for (const edu of ['low', 'medium', 'high'])
        for (let g = 0; g < 20; g++)
          cells.push({
            n: 1 + Math.floor(rng.next() * 30),
            offset: 0.9 * rng.normal(),
            levels: { year, sex, edu },
          });

  it('hits absolute year targets and relative levels exactly in expectation', () => {
    const res = solveCalibration(cells, [
      { name: 'year', kind: 'absolute', targets: { '2009': 0.4, '2010': 0.5, '2011': 0.6 } },
      { name: 'edu', kind: 'ratio', targets: { low: 0.9, medium: 1, high: 1.2 } },
      { name: 'sex', kind: 'ratio', targets: { F: 1, M: 1 } },
    ]);
    expect(res.maxError).toBeLessThan(1e-9);
    const share = (f: (c: Cell) => boolean) => {
      const sel = cells.filter(f);
      const lin = (c: Cell) =>
        c.offset + Object.entries(c.levels).reduce((a, [k, l]) => a + (res.theta[k]![l] ?? 0), 0);
      return sel.reduce((a, c) => a + c.n * expit(lin(c)), 0) / sel.reduce((a, c) => a + c.n, 0);
    };
    expect(share((c) => c.levels.year === '2010')).toBeCloseTo(0.5, 8);
    expect(share((c) => c.levels.edu === 'high') / share((c) => c.levels.edu === 'low')).toBeCloseTo(
      1.2 / 0.9,
      8
    );
    expect(share((c) => c.levels.sex === 'M')).toBeCloseTo(
      share((c) => c.levels.sex === 'F'),
      8
    );
  });

  it('solves when two targeted groups are the same episodes (a small twin)', () => {
    // Every 'M' is also 'immigrant yes' and the reverse: the two factors' Newton columns coincide,
    // and a plain solve is singular. With consistent targets the ridge step still meets them.
    const twin: Cell[] = cells.map((c) => ({
      ...c,
      levels: { ...c.levels, imm: c.levels.sex === 'M' ? 'yes' : 'no' },
    }));
    const res = solveCalibration(twin, [
      { name: 'year', kind: 'absolute', targets: { '2009': 0.4, '2010': 0.5, '2011': 0.6 } },
      { name: 'sex', kind: 'ratio', targets: { F: 1, M: 1.1 } },
      { name: 'imm', kind: 'ratio', targets: { no: 1, yes: 1.1 } },
    ]);
    expect(res.maxError).toBeLessThan(1e-6);
  });

  it('needs an absolute factor', () => {
    expect(() => solveCalibration(cells, [{ name: 'edu', kind: 'ratio', targets: { low: 1 } }])).toThrow(
      /absolute/
    );
  });
});
