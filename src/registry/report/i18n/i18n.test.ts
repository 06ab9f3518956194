/**
 * Issue 13, item 10: the report in Norwegian bokmål. The translator (numbers, templates, keyed
 * entries that go stale), every note the analysis can write in its variants, the definitions in
 * both languages from the same parameters, and the Norwegian methods text against the English it
 * translates. The whole report on a generated twin: rapport.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { PublishedTable } from '../../analyze/model.js';
import { competingEventsTable } from '../../analyze/competing-events.js';
import { equityTable } from '../../analyze/equity-table.js';
import { gpCharacteristicsTable, gpModelsTable, negativePcvNote } from '../../analyze/gp-models-table.js';
import { gpVariationTable } from '../../analyze/gp-variation.js';
import { flowTable, keyFigures } from '../../analyze/key-figures.js';
import { methodsHtml } from '../../analyze/methods-text.js';
import { pathwayTable, publishPathways } from '../../analyze/pathways.js';
import { indicatorDefs } from '../../analyze/tables.js';
import {
  CHARACTERISTIC_DEFINITIONS,
  INDICATOR_DEFINITIONS,
  definitionSentence,
} from '../../engine/definitions.js';
import type { GpModelResult } from '../../engine/gp-model-types.js';
import { makeParams, resolveParams, type AnalysisParams, type ResolvedParams } from '../../engine/params.js';
import { renderTable } from '../html.js';
import { translator } from './index.js';
import { METHODS_EN_FINGERPRINT, paragraphFingerprints } from './methods-nb.js';
import {
  catalogueTranslator,
  nbFixed,
  nbNumber,
  nbNumbersIn,
  type Catalogue,
  type Translator,
} from './translator.js';
import { UI_NB } from './nb.js';
import { englishLeftIn } from './untranslated.js';

const params = (overrides: Partial<AnalysisParams> = {}): ResolvedParams =>
  resolveParams(makeParams(overrides), { firstDate: '2009-01-01', lastDate: '2016-12-31' });

/** The parameter choices that change words in the report. */
const VARIANTS: Partial<AnalysisParams>[] = [
  {},
  { adNewUser: false, sickLeaveDenominator: 'all', sickLeaveRule: 'overlaps' },
  { episodes: 'first', requireListedGp: true, maxAge: 66, minAge: 20, icd10Codes: ['F32', 'F33'] },
  {
    incomeYear: 'latest_before',
    careTariffIcpcChapter: null,
    referralSectors: ['VOP'],
    mainDiagnosisOnly: true,
  },
  { longConsultationTariffs: ['2cd', '2ck'], washoutAnyContact: false },
];

/** Every text of a table through the translator: title, caption, column labels, text cells, notes. */
function translateTable(t: Translator, table: PublishedTable): void {
  t.tableTitle(table);
  t.tableCaption(table);
  for (const c of table.columns) t.column(table, c);
  for (const row of table.rows) for (const v of row) if (typeof v === 'string') t.text(v);
  for (const n of table.notes) t.text(n);
}

describe('Norwegian numbers', () => {
  it('decimal comma, a no-break space between thousands, a true minus, no −0', () => {
    expect(nbNumber('43.5')).toBe('43,5');
    expect(nbNumber('2,261')).toBe('2\u00a0261');
    expect(nbNumber('1,234.50')).toBe('1\u00a0234,50');
    expect(nbNumber('−0.038')).toBe('\u22120,038');
    expect(nbNumber('-1.25')).toBe('\u22121,25');
    expect(nbNumber('2010')).toBe('2010');
    expect(nbFixed(-0.0001, 1)).toBe('0,0');
    expect(nbFixed(40730.44, 1)).toBe('40\u00a0730,4');
    // Rounded as the English report and the files round (toFixed), not as Intl would.
    expect(nbFixed(1.005, 2)).toBe('1,00');
    expect(nbFixed(1.005, 2)).toBe((1.005).toFixed(2).replace('.', ','));
    expect(nbFixed(-1234567.891, 2)).toBe(
      (-1234567.891).toLocaleString('nb-NO', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    );
    expect(translator('nb').count(365947)).toBe('365\u00a0947');
  });

  it('inside a text: decimals and grouped numbers only, ranges and codes kept', () => {
    expect(nbNumbersIn('0.93-1.09')).toBe('0,93-1,09');
    expect(nbNumbersIn('ICD-10 F32.1 in 2010: 99.8 % of 1,000')).toBe(
      'ICD-10 F32,1 in 2010: 99,8 % of 1\u00a0000'
    );
    expect(nbNumbersIn('< 0.001')).toBe('< 0,001');
  });
});

describe('the translator', () => {
  const catalogue: Catalogue = {
    ui: UI_NB,
    words: { Women: 'Kvinner', 'Sick leave': 'Sykmelding' },
    messages: [
      ['{care:t}: {n:n} episodes', '{care}: {n} episoder'],
      ['Between {a:n} and {b:n}', (v) => `Mellom ${v.a} og ${v.b}`],
    ],
    sections: { 'rr-*': ['{care:t}: relative risks', '{care}: relativ risiko'] },
    tables: {
      t1: {
        title: ['Table 1. Sick leave', 'Tabell 1. Sykmelding'],
        columns: { n: ['Episodes', 'Episoder'] },
      },
    },
    columns: {},
  };

  it('translates words, templates with typed placeholders, and codes as they are', () => {
    const t = catalogueTranslator('nb', catalogue);
    expect(t.text('Women')).toBe('Kvinner');
    expect(t.text('Sick leave: 1,204.5 episodes')).toBe('Sykmelding: 1\u00a0204,5 episoder');
    expect(t.text('Between 0.5 and 2')).toBe('Mellom 0,5 og 2');
    expect(t.text('S > T')).toBe('S > T');
    expect(t.text('Women; Sick leave')).toBe('Kvinner; Sykmelding');
    expect(t.text('Sick leave → Women')).toBe('Sykmelding → Kvinner');
    expect(t.section('rr-sl', 'Sick leave: relative risks')).toBe('Sykmelding: relativ risiko');
    expect(t.missing.size).toBe(0);
  });

  it('a placeholder that must translate, or be a number, does not match otherwise', () => {
    const t = catalogueTranslator('nb', catalogue);
    expect(t.tryText('Men: 12 episodes')).toBeNull();
    expect(t.tryText('Women: twelve episodes')).toBeNull();
  });

  it('keeps an English text it cannot translate, and lists it', () => {
    const t = catalogueTranslator('nb', catalogue);
    expect(t.text('Something new')).toBe('Something new');
    expect([...t.missing]).toEqual(['Something new']);
  });

  it('a keyed entry whose English was changed does not apply: the new English is listed', () => {
    const t = catalogueTranslator('nb', catalogue);
    const table: PublishedTable = {
      id: 't1',
      title: 'Table 1. Sick leave among the employed',
      caption: '',
      columns: [{ key: 'n', label: 'Episodes', kind: 'count' }],
      rows: [],
      notes: [],
    };
    expect(t.column(table, table.columns[0]!)).toBe('Episoder');
    expect(t.tableTitle(table)).toBe('Table 1. Sick leave among the employed');
    expect([...t.missing]).toEqual(['Table 1. Sick leave among the employed']);
  });

  it('English is the text as the analysis wrote it', () => {
    const en = translator('en');
    expect(en.text('Sick leave: 1,204.5 episodes')).toBe('Sick leave: 1,204.5 episodes');
    expect(en.fixed(1234.56, 1)).toBe('1234.6');
    expect(en.count(2261)).toBe('2,261');
  });
});

describe('a table in Norwegian', () => {
  const table: PublishedTable = {
    id: 'table3_tt',
    title: 'Table 3.1. Talking therapy (615): relative risks',
    caption: '',
    columns: [
      { key: 'covariate', label: 'Characteristic', kind: 'label' },
      { key: 'level', label: 'Group', kind: 'label' },
      { key: 'events', label: 'With care', kind: 'count' },
      { key: 'percent', label: '%', kind: 'percent' },
      { key: 'adj_rr', label: 'Adjusted RR', kind: 'ratio' },
      { key: 'adj_lo', label: 'Adjusted RR lower 95%', kind: 'ratio' },
      { key: 'adj_hi', label: 'Adjusted RR upper 95%', kind: 'ratio' },
    ],
    rows: [
      ['Sex', 'Women (ref.)', 1204, 52.25, 1, 1, 1],
      ['Sex', 'Men', null, null, 1.0123, 0.9345, 1.0956],
    ],
    notes: [
      "An RR is left out where its group's or the reference group's counts are suppressed, or where the group has no events.",
    ],
  };

  it('words, numbers and the suppressed mark as a Norwegian reader expects', () => {
    const t = translator('nb');
    const html = renderTable({ ...table, caption: '' }, { t });
    expect(html).toContain('<caption>Tabell 3.1. Samtaleterapi (615): relativ risiko<span>');
    expect(html).toContain('<th scope="col">Justert RR (95 % KI)</th>');
    expect(html).toContain(
      '<th scope="row">Kjønn</th><th scope="row">Kvinner (ref.)</th><td class="num">1\u00a0204</td><td class="num">52,3</td>'
    );
    expect(html).toContain('<td class="sup">:</td>');
    expect(html).toContain('1,01 (0,93–1,10)');
    expect(html).toContain('En RR er utelatt der antallene');
    expect([...t.missing]).toEqual([]);
  });
});

describe('every note and label the analysis writes has its Norwegian', () => {
  it('cohort flow, key figures and the kinds of care, in every parameter variant', () => {
    const t = translator('nb');
    for (const v of VARIANTS) {
      const p = params(v);
      const inds = indicatorDefs(p);
      for (const ind of inds) {
        t.text(ind.label);
        t.section(`rr-${ind.key}`, `${ind.label}: relative risks`);
      }
      // Every restriction, pooled or not: the flow pools steps that exclude 1-4.
      for (const flow of [
        { new_episodes: 1000, alive_resident: 990, age_eligible: 900, episode_eligible: 800, cohort: 700 },
        { new_episodes: 1000, alive_resident: 998, age_eligible: 997, episode_eligible: 996, cohort: 995 },
      ])
        translateTable(t, flowTable(flow, p));
      const table2: PublishedTable = {
        id: 'table2_care_by_characteristics',
        title: '',
        caption: '',
        columns: ['tt', 'long', 'ad', 'ref', 'sl', 'none3'].map((k) => ({
          key: `${k}_pct`,
          label: k,
          kind: 'percent',
        })),
        rows: [[50, 60, 30, 20, 70, 15]],
        notes: [],
      };
      const summary = { episodes: 1000, patients: 990, women: 600, mean_age: 43, censored: 12 };
      const counts = { episodes: 1000, adAnyEvents: 300, slAllDenom: 800, slAllEvents: 400, employed: 600 };
      translateTable(
        t,
        keyFigures(summary, table2, 7, {
          sickLeaveDenominator: p.sickLeaveDenominator,
          adNewUser: p.adNewUser,
          counts,
        })
      );
    }
    expect([...t.missing]).toEqual([]);
  });

  it('competing events: none ended, few ended, a share withheld', () => {
    const t = translator('nb');
    const inds = indicatorDefs(params());
    const row = (ended: string, n: number, events: number) => ({
      ended,
      n,
      ...Object.fromEntries(
        inds.flatMap((i) => [
          [i.denom, n],
          [i.events, events],
        ])
      ),
    });
    for (const rows of [
      [row('full', 100, 40)],
      [row('full', 100, 40), row('death', 3, 1), row('emigration', 2, 0)],
      [row('full', 100, 40), row('death', 30, 12), row('emigration', 20, 6)],
    ])
      translateTable(t, competingEventsTable(rows, inds));
    expect([...t.missing]).toEqual([]);
  });

  it('pathways: every sequence of the four kinds of care, pooled and none', () => {
    const t = translator('nb');
    const counts = new Map<string, number>([
      ['', 40],
      ['T+S > A > R', 12],
      ['S > T > A > R', 9],
      ['A+R', 6],
      ['T', 2],
    ]);
    translateTable(t, pathwayTable(publishPathways(counts)));
    expect([...t.missing]).toEqual([]);
  });

  it('variation between GPs: not estimated, not fitted, a negative PCV, pooled levels', () => {
    const t = translator('nb');
    const labels = Object.fromEntries(indicatorDefs(params()).map((i) => [i.key, i.label]));
    translateTable(t, gpVariationTable([{ key: 'tt', label: labels.tt!, analysis: null }]));
    const interval = { estimate: 0.5, lower: 0.2, upper: 0.9 };
    const summary = {
      method: 'laplace',
      intervalMethod: 'profile',
      variance: interval,
      icc: interval,
      mor: interval,
      logLik: -10,
    };
    const fitted = {
      key: 'sl',
      patients: 500,
      events: 200,
      gps: 40,
      nullModel: summary,
      adjusted: {
        ...summary,
        fixedEffects: [
          {
            name: 'gp_ruralyes',
            estimate: 0.1,
            se: 0.1,
            oddsRatio: 1.1,
            oddsRatioLower: 0.9,
            oddsRatioUpper: 1.3,
          },
        ],
        ior80: [{ name: 'gp_ruralyes', lower: 0.5, upper: 2.1 }],
        gpsAbove: 2,
        gpsBelow: 1,
      },
      pcv: -0.382,
      pooledLevels: [
        'edu_group missing (14 persons, all with the outcome) with medium',
        'age_group 70+ (9 persons, none with the outcome) with 40-49',
      ],
      funnelUnits: [],
      error: null,
      ms: 1,
    } as unknown as GpModelResult;
    const failed = (key: string, error: string) =>
      ({
        key,
        patients: 0,
        events: 0,
        gps: 3,
        nullModel: null,
        adjusted: null,
        pcv: null,
        funnelUnits: [],
        error,
        ms: 0,
      }) as unknown as GpModelResult;
    const results = [
      fitted,
      failed('tt', '3 GPs; a between-GP variance needs at least 5'),
      failed(
        'ad',
        'Covariate "gp_salariedyes" is a linear combination of the earlier columns ((Intercept), sexM); drop it or one of them'
      ),
    ];
    translateTable(t, gpModelsTable(results, labels, { term: 'gp_ruralyes', label: 'Rural GP' }));
    translateTable(
      t,
      gpCharacteristicsTable(results, labels, [
        { term: 'gp_ruralyes', label: 'Rural practice (centrality 5-6)' },
        { term: 'gp_femaleyes', label: 'Female GP' },
      ])
    );
    expect(t.text(negativePcvNote(labels.ad!, -0.05)!)).toMatch(
      /^Antidepressiva utlevert .*: PCV er negativ \(−5,0 %\)/
    );
    expect(t.text(fitted.pooledLevels![0]!)).toBe(
      'utdanning mangler (14 personer, alle med utfallet) slått sammen med middels'
    );
    expect([...t.missing]).toEqual([]);
  });

  it('equity: rows not estimated for a small group, or withheld against Table 2', () => {
    const t = translator('nb');
    translateTable(t, equityTable([]));
    translateTable(t, equityTable([], { unknownHiddenInTable2: () => true, incomeYear: 'latest_before' }));
    expect([...t.missing]).toEqual([]);
  });
});

describe('definitions and methods in Norwegian', () => {
  const numbers = (s: string) => (s.match(/\d+(?:[.,]\d+)?/g) ?? []).map((n) => n.replace(',', '.')).sort();

  it('each definition has a Norwegian sentence with the same numbers and codes as the English, for every variant', () => {
    for (const v of VARIANTS) {
      const p = params(v);
      for (const d of [...INDICATOR_DEFINITIONS, ...CHARACTERISTIC_DEFINITIONS]) {
        const en = definitionSentence(d, p);
        const nb = definitionSentence(d, p, 'nb');
        expect(numbers(nb), `${d.key}: ${nb}`).toEqual(numbers(en));
        for (const code of [
          ...p.talkTherapyTariffs,
          ...p.longConsultationTariffs,
          ...p.referralSectors,
          ...p.antidepressantAtc,
        ])
          expect(nb.includes(code), `${d.key} ${code}`).toBe(en.includes(code));
        expect(englishLeftIn(`<p>${nb}</p>`, `<p>${en}</p>`), d.key).toEqual([]);
      }
    }
  });

  it('the Norwegian methods text has no English in it, in every variant, with the same structure', () => {
    for (const v of VARIANTS) {
      const p = params(v);
      const en = methodsHtml(p);
      const nb = methodsHtml(p, undefined, 'nb');
      expect(englishLeftIn(nb, en)).toEqual([]);
      expect(paragraphFingerprints(nb).map((f) => f.split(':')[0])).toEqual(
        paragraphFingerprints(en).map((f) => f.split(':')[0])
      );
    }
  });

  it('translates the English methods text as it is now (else update methods-nb.ts and its fingerprint)', () => {
    const now = paragraphFingerprints(methodsHtml(params()));
    const blocks = [...methodsHtml(params()).matchAll(/<(h3|p|dl)\b[^>]*>([\s\S]*?)<\/\1>/g)].map(
      (m) => m[2]!
    );
    const changed = now.flatMap((f, i) =>
      f === METHODS_EN_FINGERPRINT[i] ? [] : [`block ${i + 1}: ${blocks[i]!.slice(0, 160)}`]
    );
    expect(changed, 'English methods paragraphs changed since methods-nb.ts was written').toEqual([]);
    expect(now).toHaveLength(METHODS_EN_FINGERPRINT.length);
  });
});
