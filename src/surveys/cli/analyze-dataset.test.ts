import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_GP_QUESTIONNAIRE } from '../generate/fixture-questionnaire.js';
import { syntheticFrame } from '../generate/frame.js';
import { plantSurvey } from '../generate/plant.js';
import { analyzeDatasetFile, parseAnalyzeDatasetArgs } from './analyze-dataset.js';
import { companionPath, parseSurveyGenerateArgs } from './generate.js';

const dir = mkdtempSync(join(tmpdir(), 'gpdep-survey-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('survey CLIs', () => {
  it('parse their options and refuse bad ones', () => {
    expect(
      parseAnalyzeDatasetArgs([
        '--dataset',
        'a.json',
        '--out',
        'o',
        '--margins',
        'sex*age_group,region',
        '--trim',
        '0.5,2',
        '--collapse',
      ])
    ).toEqual({
      dataset: 'a.json',
      out: 'o',
      margins: [['sex', 'age_group'], ['region']],
      trim: { lower: 0.5, upper: 2 },
      collapse: true,
    });
    expect(parseAnalyzeDatasetArgs(['--dataset', 'a', '--out', 'o', '--trim', 'none']).trim).toBeNull();
    expect(parseAnalyzeDatasetArgs(['--dataset', 'a', '--out', 'o', '--stratum', 'region']).stratum).toBe(
      'region'
    );
    expect(() => parseAnalyzeDatasetArgs(['--dataset', 'a', '--out', 'o', '--linkage', 'l'])).toThrow(
      /go together/
    );
    expect(() => parseAnalyzeDatasetArgs(['--dataset', 'a', '--out', 'o', '--trim', '2,3'])).toThrow(
      /--trim/
    );
    expect(() => parseAnalyzeDatasetArgs(['--out', 'o'])).toThrow(/Usage/);
    expect(parseSurveyGenerateArgs(['--twin', 't', '--seed', '3', '--out', 'x/gp.json'])).toMatchObject({
      twin: 't',
      seed: 3,
      out: 'x/gp.json',
    });
    expect(() => parseSurveyGenerateArgs(['--twin', 't', '--out', 'x', '--response-rate', '1.5'])).toThrow(
      /response-rate/
    );
    expect(companionPath('x/gp.json', 'truth')).toBe('x/gp.truth.json');
  });

  it('analyses a dataset file into report.html, rapport.html and results.json', async () => {
    const { dataset } = plantSurvey(syntheticFrame(800, 4), {
      seed: 4,
      surveyId: 'gp',
      questionnaire: FIXTURE_GP_QUESTIONNAIRE,
    });
    const file = join(dir, 'gp.json');
    writeFileSync(file, JSON.stringify(dataset));
    const { paths } = await analyzeDatasetFile({ dataset: file, out: join(dir, 'out'), collapse: true });
    expect(paths.map((p) => p.split('/').at(-1))).toEqual(['report.html', 'rapport.html', 'results.json']);
    const json = JSON.parse(readFileSync(paths[2]!, 'utf8')) as {
      results: { weights: unknown[]; items: { linkId: string }[] };
      linked: null;
    };
    expect(json.results.weights.length).toBe(dataset.responses.filter((r) => r.status === 'complete').length);
    expect(json.results.items.map((i) => i.linkId)).toContain('own-talk-therapy');
    expect(json.linked).toBeNull();
    expect(readFileSync(paths[1]!, 'utf8')).toContain('<html lang="nb">');
  });
});
