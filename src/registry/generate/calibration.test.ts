/**
 * The calibration report is honest about its targets: every row names its published value, source
 * and year(s); a target that is not the published value says why; a published adjusted relative
 * risk is compared with an adjusted generated one or the row says it is crude against adjusted;
 * the GP-system figures are from the period (or say that none was found), not 2023's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCalibration, type CalibrationReport } from './calibration.js';
import { generateRegistry } from './generate.js';
import {
  EPISODES_PER_YEAR_NATIONAL,
  PERIOD_POPULATION,
  PRESENT_AT_REFERENCE,
  TWIN_GPS_NATIONAL,
  TWIN_MEAN_LIST,
  twinScale,
} from './params.js';

let dir: string;
let report: CalibrationReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-calibration-'));
  const result = await generateRegistry({
    persons: 8_000,
    firstYear: 2009,
    lastYear: 2016,
    seed: 5,
    out: dir,
    log: () => {},
  });
  report = result.calibration;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (prefix: string) => {
  const r = report.rows.find((x) => x.figure.startsWith(prefix));
  if (!r) throw new Error(`no calibration row "${prefix}"`);
  return r;
};

describe('the national scale is the period, not 2024', () => {
  it('scales by the persons present in mid-2012 against Norway then', () => {
    expect(PERIOD_POPULATION).toBeCloseTo(5_018_572.5, 1);
    expect(twinScale(PERIOD_POPULATION / PRESENT_AT_REFERENCE)).toBeCloseTo(1, 12);
    expect(report.scale.nationalPopulation).toBe(PERIOD_POPULATION);
    expect(report.scale.factor).toBeCloseTo(report.scale.personsPresent / PERIOD_POPULATION, 8);
  });

  it('plants Riiser 2022 cluster sizes: 285,113 patients / 5,574 GPs / 7 years = 7.3 per GP-year', () => {
    expect(EPISODES_PER_YEAR_NATIONAL / TWIN_GPS_NATIONAL).toBeCloseTo(7.307, 3);
    expect(TWIN_MEAN_LIST).toBeGreaterThan(880);
    expect(TWIN_MEAN_LIST).toBeLessThan(900);
    const cluster = row('New episodes (18+) per GP-year');
    expect(cluster.published).toBeCloseTo(7.307, 3);
    expect(cluster.targetKind).toBe('published');
    expect(cluster.ok).toBe(true);
  });
});

describe('every row says where its target comes from', () => {
  it('names a source and the year(s) of the published figure', () => {
    expect(report.rows.length).toBeGreaterThan(60);
    for (const r of report.rows) {
      expect(r.source.length, r.figure).toBeGreaterThan(10);
      expect(r.publishedYears, r.figure).toMatch(/^(19|20)\d\d/);
    }
  });

  it('a published target is the published value; any other target is derived and says why', () => {
    for (const r of report.rows) {
      if (r.targetKind === 'published') {
        expect(r.published, r.figure).not.toBeNull();
        expect(r.target, r.figure).toBe(r.published);
        expect(r.derivation, r.figure).toBeNull();
      } else {
        expect(r.derivation?.length ?? 0, r.figure).toBeGreaterThan(20);
      }
    }
  });

  it('keeps the published antidepressant trend apart from the twin target rescaled from it', () => {
    const first = row('Antidepressant in 2009');
    expect(first.published).toBeCloseTo(31.3, 6);
    expect(first.target).toBeCloseTo(37.27, 6);
    expect(first.targetKind).toBe('derived');
    expect(first.derivation).toMatch(/Riiser/);
    const last = row('Antidepressant in 2015');
    expect(last.published).toBeCloseTo(25.9, 6);
    expect(last.targetKind).toBe('derived');
  });

  it('has no midpoint targets: pooled trends are derived from the published years, by index year', () => {
    for (const figure of ['Long consultation (2cd) within', 'Referral to specialist MH care within']) {
      const r = row(figure);
      expect(r.published, figure).toBeNull();
      expect(r.targetKind).toBe('derived');
      expect(r.derivation).toMatch(/by index year/);
    }
  });

  it('compares an adjusted published RR with an adjusted generated one, or says it is crude', () => {
    const adjusted = report.rows.filter((r) => r.publishedAdjustedFor !== null);
    expect(adjusted.length).toBeGreaterThanOrEqual(5);
    for (const r of adjusted) {
      const comparable = r.generatedAdjustedFor !== null;
      const flagged = r.targetKind === 'derived' && /crude/.test(r.derivation ?? '');
      expect(comparable || flagged || r.ok === null, r.figure).toBe(true);
    }
    expect(row('Rural vs urban RR, talking therapy, adjusted').generatedAdjustedFor).toMatch(/Poisson/);
    expect(Number.isFinite(row('Rural vs urban RR, talking therapy, adjusted').generated)).toBe(true);
  });

  it('uses GP-system figures from the period, or says none was found', () => {
    for (const prefix of [
      'GPs with a list',
      'Mean list length',
      'Listed persons on a list without a GP',
      'GP consultations per person',
      'Persons with at least one GP consultation',
      'Consultations with a P-chapter main diagnosis',
    ]) {
      const r = row(prefix);
      expect(r.publishedYears, prefix).not.toMatch(/2023/);
      if (!/^20(09|1[0-6])/.test(r.publishedYears))
        expect(r.source, prefix).toMatch(/no 2009-2016 figure found/);
    }
    expect(row('Mean list ceiling').ok).toBeNull();
    expect(row('Mean list ceiling').source).toMatch(/2023 value, shown only as such/);
  });

  it('prints the published value, its year and the reason for each derived target', () => {
    const text = formatCalibration(report);
    expect(text).toMatch(/Published\s+Year\(s\)\s+Target/);
    expect(text).toMatch(/31\.3 %\s+2009\s+37\.3 % \*/);
    expect(text).toMatch(/\[\d+\] target: Ruths's "drug treatment"/);
  });
});
