import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPORT_FILES, buildSurveyExport, writeSurveyExport, type SurveyExportFiles } from './bundle.js';
import { nastyDataset } from './fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('buildSurveyExport', () => {
  it('makes every documented file, and data-spss.csv because a text answer has a line break', () => {
    const files = buildSurveyExport(nastyDataset());
    expect(Object.keys(files).sort()).toEqual([...EXPORT_FILES, 'data-spss.csv'].sort());
    expect(files['load.sps']).toContain("/FILE='data-spss.csv'");
    expect(files['load.R']).toContain('"data.csv"');
  });

  it('leaves data-spss.csv out when no text has a line break', () => {
    const dataset = nastyDataset();
    dataset.responses = dataset.responses.map((r) => ({
      ...r,
      answers: Object.fromEntries(
        Object.entries(r.answers).map(([k, v]) => [
          k,
          v.map((a) => ('valueString' in a ? { valueString: a.valueString.replace(/[\r\n]+/g, ' ') } : a)),
        ])
      ),
    }));
    const files = buildSurveyExport(dataset);
    expect(files['data-spss.csv']).toBeUndefined();
    expect(files['load.sps']).toContain("/FILE='data.csv'");
  });

  it('says in README.txt what it left out and how missing values are written', () => {
    const text = buildSurveyExport(nastyDataset())['README.txt'];
    expect(text).toContain('Responses in the dataset: 5; exported: 5; rows in data.csv: 5; columns: 23.');
    expect(text).toContain('Answers to items not in this questionnaire version (left out): old-item (1).');
    expect(text).toContain('Answers of the wrong type for their item (exported as no answer): minutes (1).');
    expect(text).toContain('-99               the item was shown');
    const wide = buildSurveyExport(nastyDataset(), { form: 'wide' })['README.txt'];
    expect(wide).toContain(
      'Responses left out of the wide form because the same respondent has another in that wave: 0'
    );
  });

  it('labels in the chosen language and is deterministic', () => {
    const en = buildSurveyExport(nastyDataset(), { language: 'en' });
    expect(en['load.do']).toContain('label define talk_therapy 1 `"Never"\', add');
    expect(buildSurveyExport(nastyDataset())['load.do']).toContain(
      'label define talk_therapy 1 `"Aldri"\', add'
    );
    expect(buildSurveyExport(nastyDataset(), { language: 'en' })).toEqual(en);
  });
});

describe('writeSurveyExport', () => {
  it('writes each file into the directory, byte for byte', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'survey-export-')), 'nested', 'out');
    dirs.push(dir);
    const files = buildSurveyExport(nastyDataset());
    const written = await writeSurveyExport(dir, files);
    expect(readdirSync(dir).sort()).toEqual(Object.keys(files).sort());
    expect(written).toHaveLength(Object.keys(files).length);
    for (const [name, content] of Object.entries(files))
      expect(readFileSync(join(dir, name), 'utf8')).toBe(content);
  });

  it('refuses a file name that is not a plain name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'survey-export-'));
    dirs.push(dir);
    const files = { ...buildSurveyExport(nastyDataset()), '../escape.txt': 'x' } as SurveyExportFiles;
    await expect(writeSurveyExport(dir, files)).rejects.toThrow('not a plain file name');
  });
});
