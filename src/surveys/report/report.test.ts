import { describe, expect, it } from 'vitest';
import { analyzeSurvey } from '../analyze/analyze.js';
import type { LinkedResults } from '../analyze/registry-link.js';
import { FIXTURE_GP_QUESTIONNAIRE } from '../generate/fixture-questionnaire.js';
import { syntheticFrame } from '../generate/frame.js';
import { plantSurvey } from '../generate/plant.js';
import { divergingBarChart, likertColours, segments, textColour } from './diverging.js';
import { renderSurveyReport } from './html.js';
import { texts } from './i18n.js';
import { publishResults } from './results-json.js';

const { dataset } = plantSurvey(syntheticFrame(600, 2), {
  seed: 2,
  surveyId: 'gp',
  questionnaire: FIXTURE_GP_QUESTIONNAIRE,
});
const results = analyzeSurvey(dataset, { collapse: true });
const linked: LinkedResults = {
  format: 'gpdep-survey-linkage-results/1',
  item: 'own-talk-therapy',
  contrast: 'often',
  answers: ['never', 'sometimes', 'often'],
  counts: { answered: 240, linked: 240, withPatients: 230 },
  params: { indexFrom: '2010-01-01', indexTo: '2015-12-31' },
  rates: [
    {
      indicator: 'tt',
      label: 'Talking therapy (615)',
      groups: [
        { answer: 'never', gps: 40, patients: 800, events: 300, percent: 37.5 },
        { answer: 'sometimes', gps: null, patients: null, events: null, percent: null },
        { answer: 'often', gps: 100, patients: 2000, events: 1300, percent: 65 },
      ],
    },
  ],
  models: [
    {
      indicator: 'tt',
      label: 'Talking therapy (615)',
      term: 'own-talk-therapy = often',
      gps: 230,
      patients: 4000,
      estimate: 0.9,
      se: 0.12,
      lower: 0.6648,
      upper: 1.1352,
      oddsRatio: 2.4596,
      oddsRatioLower: 1.944,
      oddsRatioUpper: 3.1116,
      pValue: 1e-12,
      gpVariance: 0.4,
      covariates: [],
      error: null,
    },
  ],
  notes: [],
};

describe('diverging stacked bars', () => {
  it('centres the scale: the lower half left of zero, the middle category across it', () => {
    // Shares 20 / 30 / 50 %: left of zero 0.2 + 0.3/2 = 0.35, so the segments run
    // −0.35…−0.15, −0.15…0.15, 0.15…0.65.
    const s = segments([0.2, 0.3, 0.5]);
    [
      [-0.35, -0.15],
      [-0.15, 0.15],
      [0.15, 0.65],
    ].forEach(([a, b], i) => {
      expect(s[i]!.start).toBeCloseTo(a!, 12);
      expect(s[i]!.end).toBeCloseTo(b!, 12);
    });
    // Four categories: zero between the second and the third.
    expect(segments([0.1, 0.2, 0.3, 0.4])[2]!.start).toBeCloseTo(0, 12);
  });

  it('has distinct colours, readable labels and a text alternative with every number', () => {
    for (const k of [2, 3, 4, 5, 7, 8, 9]) expect(new Set(likertColours(k)).size).toBe(k);
    expect(textColour('#542788')).toBe('#fff');
    expect(textColour('#dddddd')).toBe('#000');
    const svg = divergingBarChart({
      id: 'x',
      title: 'Scale',
      categories: ['Never', 'Sometimes', 'Often'],
      rows: [{ label: 'Talking therapy', shares: [0.2, 0.3, 0.5] }],
      percent: (v) => `${v.toFixed(1)} %`,
      describe: 'Weighted percentages per item:',
    });
    expect(svg).toMatch(/role="img" aria-labelledby="x-title x-desc"/);
    expect(svg).toContain(
      '<desc id="x-desc">Weighted percentages per item: Talking therapy: Never 20.0 %, Sometimes 30.0 %, Often 50.0 %.</desc>'
    );
  });
});

describe('the survey report', () => {
  const en = renderSurveyReport({ results, linked, generatedAt: '2026-12-04', dataLabel: 'gp.json' }, 'en');
  const nb = renderSurveyReport({ results, linked, generatedAt: '2026-12-04', dataLabel: 'gp.json' }, 'nb');

  it('has every section in both languages, in the page language', () => {
    for (const id of ['response', 'nonresponse', 'weights', 'results', 'cross', 'linked', 'methods'])
      for (const html of [en, nb]) expect(html).toContain(`<section id="${id}"`);
    expect(en).toContain('<html lang="en">');
    expect(nb).toContain('<html lang="nb">');
    expect(en).toContain('How often do you yourself give talking therapy');
    expect(nb).toContain('Hvor ofte gir du selv samtaleterapi');
    expect(nb).toContain('Svarere og utvalgsrammen');
    expect(nb).not.toContain('Weighted results');
  });

  it('prints numbers the language writes them, with the linked model and hidden cells', () => {
    // Linked model: 0.900 (0.665-1.135), in Norwegian with decimal commas.
    expect(en).toContain('0.900 (0.665-1.135)');
    expect(nb).toContain('0,900 (0,665-1,135)');
    expect(nb).toContain('&lt;0,001');
    // The hidden "sometimes" group shows the colon, never a number.
    expect(en).toMatch(/<th scope="row">Sometimes<\/th><td class="sup">:<\/td>/);
  });

  it('draws the Likert items as diverging bars with a text alternative', () => {
    expect(en).toMatch(/<figure><svg [^>]*role="img"/);
    expect(en).toMatch(
      /<desc id="likert-0-desc">Weighted percentages per item: How often do you yourself give talking therapy/
    );
  });
});

describe('warnings in the report language', () => {
  it('words a collapsed cell in Norwegian with the attribute and category names', () => {
    const w = {
      kind: 'collapsed',
      margin: 'sex×age_group',
      from: 'M×<40',
      into: 'M×40-49',
      message: 'x',
    } as const;
    expect(texts('nb').warning(w)).toBe(
      'Marginal Kjønn × Aldersgruppe: ingen svarere i Menn × <40, slått sammen med Menn × 40-49.'
    );
    expect(texts('en').warning(w)).toBe('x');
  });
});

describe('results.json', () => {
  it('carries the weights and shares, but no count a cross-table hides', () => {
    const published = publishResults(results, linked, '2026-12-04');
    expect(published.results.weights).toHaveLength(results.response.complete);
    let hiddenCells = 0;
    published.results.crossTables.forEach((table, t) =>
      table.cells.forEach((cell, i) =>
        cell.shares.forEach((share, j) => {
          const original = results.crossTables[t]!;
          if (original.hidden[i]![j] || original.hiddenLevels[i]) {
            hiddenCells++;
            expect(share.n).toBeNull();
            expect(share.weighted.estimate).toBeNull();
          } else expect(share.n).toBe(original.cells[i]!.shares[j]!.n);
        })
      )
    );
    expect(hiddenCells).toBeGreaterThan(0);
  });
});
