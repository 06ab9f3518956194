/**
 * Runs the generated load.R with Rscript on a generated export and checks, from what R prints,
 * that the labelled data frame equals the export: names, number of rows and columns, column
 * classes, variable labels, factor levels and labels, every value, and missing values (both kinds
 * NA). R prints each string as UTF-8 bytes in hex, so nothing is lost between R and the test.
 *
 * Needs R (`Rscript`; Debian: r-base-core, installed by CI's scripts/ci/install-system-deps.sh).
 * Without R the test is skipped outside CI and fails in CI (CI=true).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { NASTY_TEXTS, nastyDataset, syntheticDataset } from './fixtures.js';
import { buildExportTable, type ExportOptions } from './model.js';
import { RSCRIPT, expectFrameEqualsExport, haveR, removeRunDirs, runR } from './testing/r-frame.js';

if (!haveR && !process.env.CI)
  console.warn(`${RSCRIPT} not found: the R round-trip test is skipped (it runs in CI)`);
afterAll(removeRunDirs);

describe.skipIf(!haveR && !process.env.CI)('load.R run by Rscript', { timeout: 120_000 }, () => {
  it('loads the nasty dataset (long form, nb labels) exactly as exported', async () => {
    const frame = await runR(nastyDataset(), {});
    expectFrameEqualsExport(frame, buildExportTable(nastyDataset()));

    // Hand-checked values, straight from the dataset rather than from the export table.
    const col = (name: string) => frame.columns.find((c) => c.name === name)!;
    expect([frame.nrow, frame.ncol]).toEqual([5, 23]);
    expect(col('comments').values[0]).toBe(NASTY_TEXTS.quotesAndLines.replace('\r\n', '\n'));
    expect(col('comments').values[3]).toBe('CR alene\nher');
    expect(col('comments').values[2]).toBe(NASTY_TEXTS.tab);
    expect(col('comments').values[4]).toBe(NASTY_TEXTS.emoji);
    // The leading = and ' are back: the escape apostrophe is gone.
    expect(col('referral_place').values).toEqual([
      NASTY_TEXTS.formula,
      null,
      null,
      NASTY_TEXTS.apostrophe,
      null,
    ]);
    expect(col('barrier__other').values[1]).toBe(NASTY_TEXTS.minusText);
    expect(col('icbt_known__other').values[0]).toBe(NASTY_TEXTS.at);
    expect(col('minutes').values.map((x) => (x === null ? null : Number(x)))).toEqual([
      22.5,
      -3,
      null,
      1e-7,
      null,
    ]);
    expect(col('has_nurse').values).toEqual(['TRUE', 'FALSE', null, 'TRUE', null]);
    expect(col('talk_therapy').values).toEqual(['Av og til', 'Aldri', 'Aldri', 'weekly', 'Ofte']);
    expect(col('barrier').values).toEqual([null, 'Annet (fritekst)', 'Opplæring', null, null]);
    expect(col('phq_use').levels).toEqual(['Aldri', 'Sjelden', 'Ofte', 'Alltid', 'Vet ikke']);
    expect(col('phq_use').values).toEqual(['Ofte', 'Aldri', null, 'Alltid', 'Vet ikke']);
    expect(col('nurse_tasks__groups').values).toEqual(['1', null, null, '0', null]);
    expect(col('last_referral').values).toEqual(['2026-01-15', null, null, '2026-08-31', null]);
    expect(col('updated_at').values[3]).toBe('2026-09-01 12:30:45');
    expect(col('years').label).toBe('Hvor mange år har du arbeidet som fastlege?');
    expect(col('respondent_key').values).toEqual(['p-001', 'p-002', 'p-003', 'p-001', null]);
  });

  it('loads the wide form with English labels', async () => {
    const options: ExportOptions = { form: 'wide', language: 'en' };
    const frame = await runR(nastyDataset(), options);
    expectFrameEqualsExport(frame, buildExportTable(nastyDataset(), options));
    const col = (name: string) => frame.columns.find((c) => c.name === name)!;
    expect(frame.nrow).toBe(4);
    expect(col('talk_therapy_6m').values).toEqual(['weekly', null, null, null]);
    expect(col('talk_therapy_baseline').values).toEqual(['Sometimes', 'Never', 'Never', 'Often']);
    expect(col('talk_therapy_baseline').label).toBe(
      '[baseline] How often do you give talking therapy yourself?'
    );
  });

  it('reads the same bytes in the C locale (the script is ASCII, the data read as UTF-8)', async () => {
    const frame = await runR(nastyDataset(), {}, { LANG: 'C', LC_ALL: 'C' });
    expectFrameEqualsExport(frame, buildExportTable(nastyDataset()));
  });

  it('loads 300 synthetic responses over two waves, long and wide', async () => {
    const dataset = syntheticDataset(300, 35, 7);
    for (const form of ['long', 'wide'] as const) {
      const frame = await runR(dataset, { form, language: 'en' });
      expectFrameEqualsExport(frame, buildExportTable(dataset, { form, language: 'en' }));
    }
  });
});
