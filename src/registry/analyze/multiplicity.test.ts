/**
 * Issue 13, item 7: the methods text states the number of estimates counted from the tables of the
 * run it is given, and Table 7 explains a negative PCV exactly where the PCV is negative.
 */
import { describe, expect, it } from 'vitest';
import type { GpModelResult } from '../engine/gp-model-types.js';
import { makeParams, type ResolvedParams } from '../engine/params.js';
import { gpCharacteristicsTable, gpModelsTable, negativePcvNote } from './gp-models-table.js';
import { methodsHtml } from './methods-text.js';
import type { CellValue, PublishedTable } from './model.js';
import { countRunEstimates } from './multiplicity.js';

const params = makeParams({ indexFrom: '2011-01-01', indexTo: '2012-12-31' }) as ResolvedParams;

/** A Table 3 with `shown` levels with both RRs, one with only the crude RR, one suppressed. */
function rrTable(key: string, shown: number): PublishedTable {
  const rows: CellValue[][] = [
    ...Array.from({ length: shown }, (_, i): CellValue[] => [`Level ${i}`, 1.2, 1.0, 1.4, 1.1, 0.9, 1.3]),
    ['Crude only', 1.2, 1.0, 1.4, null, null, null],
    ['Suppressed', null, null, null, null, null, null],
    ['Reference', '', '', '', '', '', ''],
  ];
  return {
    id: `table3_${key}`,
    title: '',
    caption: '',
    columns: [
      { key: 'level', label: 'Group', kind: 'label' },
      { key: 'crude_rr', label: 'Crude RR', kind: 'ratio' },
      { key: 'crude_lo', label: 'lo', kind: 'ratio' },
      { key: 'crude_hi', label: 'hi', kind: 'ratio' },
      { key: 'adj_rr', label: 'Adjusted RR', kind: 'ratio' },
      { key: 'adj_lo', label: 'lo', kind: 'ratio' },
      { key: 'adj_hi', label: 'hi', kind: 'ratio' },
    ],
    rows,
    notes: [],
  };
}

function textTable(id: string, columns: string[], rows: CellValue[][]): PublishedTable {
  return {
    id,
    title: '',
    caption: '',
    columns: [
      { key: 'label', label: '', kind: 'label' },
      ...columns.map((key) => ({ key, label: key, kind: 'text' as const })),
    ],
    rows,
    notes: [],
  };
}

const interval = '0.123 (0.050 to 0.200)';
const negative = '\u22120.050 (\u22120.100 to \u22120.010)';

function runTables(rrLevels: number): PublishedTable[] {
  return [
    textTable('table1_cohort', ['x'], [['a', interval]]), // not a table of comparisons: not counted
    rrTable('tt', rrLevels), // 2·rrLevels + 1
    rrTable('ad', 2), // 5
    textTable('table7_gp_mixed_models', ['gp_or'], [['tt', '1.10 (0.90 to 1.30)']]), // repeats 7b
    textTable(
      'table7b_gp_characteristics',
      ['or'],
      [
        ['a', '1.10 (0.90 to 1.30)'],
        ['b', null],
        ['c', '0.80 (0.60 to 1.05)'],
      ]
    ), // 2
    textTable(
      'table8_equity',
      ['c', 'hi', 'rii'],
      [
        ['x', interval, negative, '1.20 (1.00 to 1.40)'],
        ['y', null, null, null],
      ]
    ), // 3
  ];
}

describe('multiplicity note in the methods text', () => {
  it('states the number of estimates counted from the tables it is given', () => {
    const tables = runTables(3);
    const counts = countRunEstimates(tables);
    expect(counts).toEqual({ relativeRisks: 7 + 5, gpOddsRatios: 2, equityIndices: 3, total: 17 });
    const html = methodsHtml(params, tables);
    expect(html).toContain('This run gives 17 estimates with 95 % confidence intervals');
    expect(html).toContain('12 relative risks');
    expect(html).toContain('2 odds ratios of GP characteristics');
    expect(html).toContain('3 equity indices');
    expect(html).toContain('about 1 in 20 intervals would exclude the null value');
    expect(html).toContain('descriptive and hypothesis-generating');
    expect(html).toContain('Rothman 1990');
  });

  it('follows the tables, not a number written in the text', () => {
    const html = methodsHtml(params, runTables(10));
    expect(html).toContain('This run gives 31 estimates');
    expect(html).toContain('26 relative risks');
  });

  it('keeps the note, without numbers, when no tables are given', () => {
    const html = methodsHtml(params);
    expect(html).toContain('Multiple comparisons');
    expect(html).not.toContain('This run gives');
  });
});

const summary = (variance: number) => ({
  method: 'Laplace',
  intervalMethod: 'profile',
  variance: { estimate: variance, lower: variance / 2, upper: variance * 2 },
  icc: { estimate: 0.05, lower: 0.02, upper: 0.1 },
  mor: { estimate: 1.4, lower: 1.2, upper: 1.7 },
  logLik: -100,
});

function model(key: string, nullVariance: number, adjustedVariance: number): GpModelResult {
  return {
    key,
    patients: 1000,
    events: 400,
    gps: 40,
    nullModel: summary(nullVariance),
    adjusted: {
      ...summary(adjustedVariance),
      fixedEffects: [
        {
          name: 'gp_rural',
          estimate: 0.1,
          se: 0.1,
          z: 1,
          pValue: 0.3,
          oddsRatio: 1.1,
          oddsRatioLower: 0.9,
          oddsRatioUpper: 1.3,
          groupLevel: true,
        },
      ],
      ior80: [{ name: 'gp_rural', lower: 0.6, upper: 1.9 }],
      gpsAbove: 1,
      gpsBelow: 2,
    },
    pcv: (nullVariance - adjustedVariance) / nullVariance,
    funnelUnits: [],
    error: null,
    ms: 0,
  };
}

describe('negative PCV note in Table 7', () => {
  const labels = { tt: 'Talking therapy', ad: 'Antidepressant', sl: 'Sick leave', ref: 'Referral' };
  const results: GpModelResult[] = [
    model('tt', 0.2, 0.25), // PCV −25 %
    model('ad', 0.2, 0.15), // PCV +25 %
    model('sl', 0.2, 0.2), // PCV 0
    model('ref', 0.29, 0.2999), // PCV −3.4 %
    { ...model('long', 0.2, 0.3), nullModel: null, adjusted: null, pcv: null, error: 'too few GPs' },
  ];
  const table = gpModelsTable(results, labels, { term: 'gp_rural', label: 'Rural practice' });
  const pcvNotes = table.notes.filter((n) => n.includes('PCV is negative'));

  it('appears exactly for the indicators with a negative PCV', () => {
    expect(pcvNotes).toHaveLength(2);
    expect(pcvNotes[0]).toMatch(/^Talking therapy: the PCV is negative \(\u221225\.0 %\)/);
    expect(pcvNotes[1]).toMatch(/^Referral: the PCV is negative \(\u22123\.4 %\)/);
    for (const label of ['Antidepressant', 'Sick leave', 'long'])
      expect(pcvNotes.some((n) => n.startsWith(label))).toBe(false);
  });

  it('explains the rescaling of a logistic model and cites a source', () => {
    expect(pcvNotes[0]).toContain('π²/3');
    expect(pcvNotes[0]).toContain('not evidence that case-mix creates variation');
    expect(pcvNotes[0]).toContain('Merlo et al. 2006');
  });

  it('is generated from the PCV alone', () => {
    expect(negativePcvNote('X', -0.001)).not.toBeNull();
    expect(negativePcvNote('X', 0)).toBeNull();
    expect(negativePcvNote('X', 0.3)).toBeNull();
    expect(negativePcvNote('X', null)).toBeNull();
    expect(negativePcvNote('X', Number.NaN)).toBeNull();
  });

  it('carries descriptive wording and multiplicity notes', () => {
    expect(table.title).toBe('Table 7. Variation in care between GPs: mixed models');
    expect(table.title + table.caption).not.toMatch(/depends on|explained by/);
    expect(table.notes.some((n) => n.includes('this table gives 4 odds ratios'))).toBe(true);
    const chars = gpCharacteristicsTable(results, labels, [{ term: 'gp_rural', label: 'Rural practice' }]);
    expect(chars.notes.some((n) => n.includes('this table gives 4 odds ratios'))).toBe(true);
  });
});
