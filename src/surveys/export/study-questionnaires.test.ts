/**
 * The export of the study's three questionnaires (src/content/surveys, the patient-experience
 * survey with the PHQ-9 assembled in), each with random branching-consistent responses: data.csv
 * strict and free of formula cells, names valid, load.do and load.sps structurally sound, and
 * load.R (where R is installed; always in CI) and load.sps in PSPP (where installed) reading back
 * exactly the export.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { STUDY_QUESTIONNAIRES, type StudySurveyId } from '../../content/surveys/index.js';
import { assembleQuestionnaire } from '../../domain/surveys/assemble.js';
import type { SurveyDataset } from '../dataset.js';
import { buildSurveyExport } from './bundle.js';
import { randomResponses } from './fixtures.js';
import { buildExportTable } from './model.js';
import { isValidName } from './names.js';
import { expectPsppEqualsExport, havePspp, psppRequired, removePsppDirs, runPspp } from './testing/pspp.js';
import { expectFrameEqualsExport, haveR, removeRunDirs, runR } from './testing/r-frame.js';
import { checkSpss, checkStata } from './testing/script-checks.js';
import { parseStrictCsv } from './testing/strict-csv.js';

afterAll(() => {
  removeRunDirs();
  removePsppDirs();
});

function studyDataset(id: StudySurveyId, seed: number): SurveyDataset {
  const assembled = assembleQuestionnaire(STUDY_QUESTIONNAIRES[id]);
  if (!assembled.ok) throw new Error(`${id} does not assemble: ${JSON.stringify(assembled.errors)}`);
  const questionnaire = assembled.questionnaire;
  return {
    surveyId: id,
    questionnaire,
    frame: [],
    responses: randomResponses(questionnaire, 80, seed, { anonymous: id !== 'gp-national' }),
  };
}

const IDS = Object.keys(STUDY_QUESTIONNAIRES) as StudySurveyId[];

describe.each(IDS)('export of the study questionnaire %s', (id) => {
  const dataset = studyDataset(id, IDS.indexOf(id) + 11);
  const files = buildSurveyExport(dataset);
  const table = buildExportTable(dataset);

  it('writes strict CSV without formula cells, one valid, unique name per column', () => {
    const rows = parseStrictCsv(files['data.csv']);
    expect(rows).toHaveLength(1 + dataset.responses.length);
    for (const row of rows) {
      expect(row).toHaveLength(table.variables.length);
      for (const cell of row)
        expect(/^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell), cell).toBe(false);
    }
    const names = table.variables.map((v) => v.name);
    for (const name of names) expect(isValidName(name), name).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(table.counts.wrongType).toEqual({});
    expect(table.counts.unknownItems).toEqual({});
  });

  it('has Stata and SPSS scripts that name, code and label every column', () => {
    checkStata(table, files['load.do'], files['data.csv']);
    checkSpss(table, files['load.sps'], files['data-spss.csv'] ?? files['data.csv']);
  });

  it.skipIf(!haveR && !process.env.CI)('loads in R exactly as exported', { timeout: 60_000 }, async () => {
    expectFrameEqualsExport(await runR(dataset, {}), table);
  });

  it.skipIf(!havePspp && !psppRequired)(
    'loads in PSPP exactly as exported',
    { timeout: 60_000 },
    async () => {
      expectPsppEqualsExport(await runPspp(dataset, {}), table);
    }
  );
});
