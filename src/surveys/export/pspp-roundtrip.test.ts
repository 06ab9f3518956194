/**
 * Runs the generated load.sps with GNU PSPP (a free implementation of SPSS syntax) and checks what
 * it read against the export: every value (the no-answer code kept as a user-missing value, "not
 * shown" system-missing), every value label, every variable label. PSPP writes the data back with
 * SAVE TRANSLATE (values, then labels) and the dictionary with DISPLAY DICTIONARY as CSV.
 *
 * This is extra evidence beside the structural checks in syntax.test.ts, not SPSS itself. It runs
 * where `pspp` is installed (Debian: pspp, installed by CI) and is skipped elsewhere, unless
 * PSPP_REQUIRED=1 makes a missing PSPP a failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { NASTY_TEXTS, nastyDataset, syntheticDataset } from './fixtures.js';
import { buildExportTable } from './model.js';
import {
  SYSMIS,
  expectPsppEqualsExport,
  havePspp,
  psppRequired,
  removePsppDirs,
  runPspp,
} from './testing/pspp.js';

afterAll(removePsppDirs);

describe.skipIf(!havePspp && !psppRequired)('load.sps run by GNU PSPP', { timeout: 120_000 }, () => {
  it('reads the nasty dataset with values, labels and both missing values as exported', async () => {
    const result = await runPspp(nastyDataset(), {});
    expectPsppEqualsExport(result, buildExportTable(nastyDataset()));
    const col = (name: string) => result.values[0]!.indexOf(name);
    // Hand-checked: the formula text is back without its escape apostrophe; -3 stays a number;
    // r2's unanswered contact-ok is the user-missing -99, r3's (group not shown) system-missing.
    expect(result.values[1]![col('referral_place')]).toBe(NASTY_TEXTS.formula);
    expect(result.values[2]![col('minutes')]).toBe('-3');
    expect(result.values[2]![col('contact_ok')]).toBe('-99');
    expect(result.values[3]![col('contact_ok')]).toBe(SYSMIS);
    expect(result.labels[5]![col('phq_use')]).toBe('Vet ikke');
  });

  it('reads the wide form and 300 synthetic responses, English labels', async () => {
    for (const [dataset, options] of [
      [nastyDataset(), { form: 'wide', language: 'en' }],
      [syntheticDataset(300, 35, 5), { language: 'en' }],
    ] as const) {
      const result = await runPspp(dataset, options);
      expectPsppEqualsExport(result, buildExportTable(dataset, options));
    }
  });
});
