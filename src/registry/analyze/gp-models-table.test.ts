/**
 * Tables 7b and 7c from model results: a numeric GP characteristic (list size) with its scaling
 * note, and the three-level models with both variances, the share between municipalities, an MOR
 * per level and the test, or the reason a model was not fitted.
 */
import { describe, expect, it } from 'vitest';
import type { GpModelResult, ThreeLevelSummary } from '../engine/gp-model-types.js';
import type { FixedEffect } from '../stats/glmm/fit.js';
import { gpCharacteristicsTable, threeLevelTable } from './gp-models-table.js';

const interval = (estimate: number, lower: number, upper: number) => ({ estimate, lower, upper });
const effect = (name: string, estimate: number, se: number): FixedEffect => ({
  name,
  estimate,
  se,
  z: estimate / se,
  pValue: 0.5,
  oddsRatio: Math.exp(estimate),
  oddsRatioLower: Math.exp(estimate - 1.96 * se),
  oddsRatioUpper: Math.exp(estimate + 1.96 * se),
  groupLevel: true,
});

const threeLevel: ThreeLevelSummary = {
  municipalities: 356,
  method: 'Laplace',
  municipalityVariance: { ...interval(0.1, 0.07, 0.13), method: 'profile likelihood' },
  gpVariance: { ...interval(0.3, 0.28, 0.33), method: 'Wald on log σ' },
  share: interval(0.25, 0.19, 0.32),
  mor: {
    municipality: interval(1.35, 1.29, 1.41),
    gp: interval(1.69, 1.66, 1.73),
    total: interval(1.83, 1.8, 1.87),
  },
  lrt: { statistic: 80, pValue: 1e-19 },
  logLik: -1000,
  fixedEffects: [],
  ms: 10,
};

const result = (key: string, extra: Partial<GpModelResult>): GpModelResult => ({
  key,
  patients: 1000,
  events: 300,
  gps: 4800,
  nullModel: {
    method: 'Laplace',
    intervalMethod: 'Wald on log σ',
    variance: interval(0.45, 0.42, 0.48),
    icc: interval(0.12, 0.11, 0.13),
    mor: interval(1.9, 1.86, 1.94),
    logLik: -1100,
  },
  adjusted: {
    method: 'Laplace',
    intervalMethod: 'Wald on log σ',
    variance: interval(0.4, 0.37, 0.43),
    icc: interval(0.11, 0.1, 0.12),
    mor: interval(1.83, 1.79, 1.87),
    logLik: -1050,
    fixedEffects: [effect('gp_ruralyes', -0.3, 0.05), effect('gp_list_size', -0.05, 0.02)],
    ior80: [
      { name: 'gp_ruralyes', lower: 0.3, upper: 1.7 },
      { name: 'gp_list_size', lower: 0.4, upper: 2.1 },
    ],
    gpsAbove: 10,
    gpsBelow: 12,
  },
  pcv: 0.11,
  funnelUnits: [],
  error: null,
  ms: 1,
  ...extra,
});

describe('Table 7b: GP characteristics', () => {
  it('gives a numeric characteristic its odds ratio per unit and prints how it is scaled', () => {
    const note = 'List size: per 500 patients.';
    const table = gpCharacteristicsTable([result('tt', {})], { tt: 'Talking therapy' }, [
      { term: 'gp_ruralyes', label: 'Rural practice' },
      { term: 'gp_list_size', label: 'List size (per 500 patients)', note },
    ]);
    expect(table.rows).toEqual([
      ['Talking therapy', 'Rural practice', '0.74 (0.67 to 0.82)', '0.30 to 1.70'],
      ['Talking therapy', 'List size (per 500 patients)', '0.95 (0.91 to 0.99)', '0.40 to 2.10'],
    ]);
    expect(table.notes).toContain(note);
    expect(table.notes[0]).toBe('Reference: GPs without the characteristic (yes/no characteristics).');
  });
});

describe('Table 7c: three-level models', () => {
  it('reports both variances, the share, an MOR per level and the test, only for the models asked', () => {
    const zero: ThreeLevelSummary = {
      ...threeLevel,
      municipalityVariance: { ...interval(0, 0, 0.002), method: 'profile likelihood' },
      share: interval(0, Number.NaN, Number.NaN),
      lrt: { statistic: 0, pValue: 1 },
    };
    const table = threeLevelTable(
      [
        result('tt', { threeLevel }),
        result('ad', {}),
        result('ref', { threeLevel: zero }),
        result('sl', {
          threeLevel: { error: '6 municipalities; a between-municipality variance needs at least 10' },
        }),
      ],
      { tt: 'Talking therapy', ad: 'Antidepressants', ref: 'Referral', sl: 'Sick leave' },
      'Why these indicators.'
    );
    expect(table.id).toBe('table7c_three_level');
    expect(table.caption).toContain('Why these indicators.');
    expect(table.rows.map((r) => r[0])).toEqual(['Talking therapy', 'Referral', 'Sick leave']);
    expect(table.rows[0]).toEqual([
      'Talking therapy',
      4800,
      356,
      '0.400 (0.370 to 0.430)',
      '0.100 (0.070 to 0.130)',
      '0.300 (0.280 to 0.330)',
      '25.0 (19.0 to 32.0)',
      '1.35 (1.29 to 1.41)',
      '1.69 (1.66 to 1.73)',
      '1.83 (1.80 to 1.87)',
      '< 0.001',
    ]);
    // σ²_m at zero: the share has no interval, the test p is 1.
    expect(table.rows[1]![6]).toBe('0.0');
    expect(table.rows[1]![10]).toBe('1.000');
    expect(table.rows[2]!.slice(2)).toEqual([
      null,
      '0.400 (0.370 to 0.430)',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(table.notes).toContain(
      'Sick leave: not fitted (6 municipalities; a between-municipality variance needs at least 10).'
    );
  });
});
