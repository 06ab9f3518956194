/**
 * Importing a sampling frame through the route (issue 14, "Sampling frame", "Acceptance: a frame
 * file with bad rows"): bad rows are reported with their line and column and the good ones stored;
 * a fatal problem stores nothing; a dry run stores nothing; registry keys go to the separate
 * linkage table and nowhere else; a national frame (4,800 GPs) imports in one request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { surveyLinkage } from './linkage.queries.js';
import { createSurvey, frameCsv, PATIENT_QUESTIONNAIRE } from './testing.js';

let t: TestApp;
let researcher: LoggedIn;

beforeEach(async () => {
  t = await createTestApp();
  researcher = await t.login('researcher');
});
afterEach(async () => t?.close());

const importFrame = (surveyId: string, csv: string, dryRun?: boolean) =>
  t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/frame`, {
    body: { csv, ...(dryRun === undefined ? {} : { dryRun }) },
  });
const frameRows = (surveyId: string) =>
  t.db
    .selectFrom('survey_frame_members')
    .select(['frame_id', 'email', 'attributes'])
    .where('survey_id', '=', surveyId)
    .orderBy('frame_id')
    .execute();

describe('importing a frame', () => {
  it('stores the good rows, reports every bad one by line, and keeps registry keys apart', async () => {
    const surveyId = await createSurvey(t, researcher);
    const csv = [
      'frame_id,email,sex,birth_year,region,rural,specialist,list_size,registry_key',
      'F1,one@frame.test,F,1975,vest,no,yes,900,GP-0001',
      'F2,ONE@frame.test,M,1966,nord,yes,no,1200,GP-0002',
      'F3,three@frame.test,,1980,midt,no,no,700,GP-0003',
      'F4,four@frame.test,M,1950,midt,no,yes,1400,',
    ].join('\n');
    const res = await importFrame(surveyId, csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      rows: 4,
      accepted: 2,
      imported: 2,
      linkageKeys: 1,
      ignoredColumns: [],
      dryRun: false,
      rejected: [
        { line: 3, field: 'email', reason: 'duplicates the e-mail on line 2' },
        { line: 4, field: 'sex', reason: 'is missing' },
      ],
    });
    expect(await frameRows(surveyId)).toEqual([
      {
        frame_id: 'F1',
        email: 'one@frame.test',
        attributes: {
          sex: 'F',
          age_group: '50-59',
          region: 'vest',
          rural: 'no',
          specialist: 'yes',
          list_size_group: '800-1099',
        },
      },
      {
        frame_id: 'F4',
        email: 'four@frame.test',
        attributes: {
          sex: 'M',
          age_group: '60+',
          region: 'midt',
          rural: 'no',
          specialist: 'yes',
          list_size_group: '1100+',
        },
      },
    ]);
    // The registry key is in the linkage table only.
    expect(JSON.stringify(await frameRows(surveyId))).not.toContain('GP-0001');
    expect(await surveyLinkage(t.db, surveyId)).toEqual({
      format: 'gpdep-survey-linkage/1',
      surveyId,
      entries: [{ frameId: 'F1', registryGpId: 'GP-0001' }],
    });

    // A second file: rows already in the frame are rejected as such, new ones added.
    const more = await importFrame(
      surveyId,
      'frame_id,email,sex,age_group,region,rural,specialist\nF1,x@frame.test,F,<40,vest,no,no\nF5,FOUR@frame.test,F,<40,vest,no,no\nF6,six@frame.test,F,<40,vest,no,no'
    );
    expect(more.json().rejected).toEqual([
      { line: 2, field: 'frame_id', reason: 'is already in the frame' },
      { line: 3, field: 'email', reason: 'is already in the frame' },
    ]);
    expect((await frameRows(surveyId)).map((r) => r.frame_id)).toEqual(['F1', 'F4', 'F6']);
    const detail = await t.call(researcher, 'GET', `/api/research/surveys/${surveyId}`);
    expect(detail.json().frameSize).toBe(3);
  });

  it('stores nothing on a fatal problem or a dry run', async () => {
    const surveyId = await createSurvey(t, researcher);
    const noColumn = await importFrame(
      surveyId,
      'frame_id,email,sex,region,rural,specialist\nF1,a@frame.test,F,vest,no,no'
    );
    expect(noColumn.statusCode).toBe(400);
    expect(noColumn.json().detail).toMatch(
      /line 1.*no column birth_year \(or age_group\).*Nothing was imported/
    );
    const openQuote = await importFrame(
      surveyId,
      `${frameCsv(3)}\nF9,"x@frame.test,F,1970,vest,no,no,900,R9`
    );
    expect(openQuote.statusCode).toBe(400);
    expect(openQuote.json().errors).toEqual([
      { field: 'csv line 5 csv', reason: 'a quoted field is never closed' },
    ]);
    const dry = await importFrame(surveyId, frameCsv(10), true);
    expect(dry.json()).toMatchObject({ rows: 10, accepted: 10, imported: 0, linkageKeys: 0, dryRun: true });
    expect(await frameRows(surveyId)).toEqual([]);
    expect((await surveyLinkage(t.db, surveyId)).entries).toEqual([]);
  });

  it('has no frame for an anonymous survey', async () => {
    const surveyId = await createSurvey(t, researcher, {
      kind: 'anonymous',
      questionnaire: PATIENT_QUESTIONNAIRE,
    });
    const res = await importFrame(surveyId, frameCsv(2));
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/anonymous survey has no sampling frame/);
  });

  it('imports a national frame of 4,800 GPs in one request', async () => {
    const surveyId = await createSurvey(t, researcher);
    const csv = frameCsv(4800);
    const started = performance.now();
    const res = await importFrame(surveyId, csv);
    const ms = performance.now() - started;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 4800, imported: 4800, linkageKeys: 4800, rejected: [] });
    console.log(
      `frame import: 4,800 rows (${Math.round(csv.length / 1024)} KB of CSV) in ${Math.round(ms)} ms`
    );
  });
});

describe('the linkage table', () => {
  it('is named by no server module but the linkage query and the frame import that writes it', () => {
    const dir = import.meta.dirname;
    const serverRoot = join(dir, '..');
    const files: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
      }
    };
    walk(serverRoot);
    const naming = files
      .filter((f) => readFileSync(f, 'utf8').includes("'survey_linkage_keys'"))
      .map((f) => f.slice(serverRoot.length + 1))
      .sort();
    expect(naming).toEqual(['surveys/frame.commands.ts', 'surveys/linkage.queries.ts']);
  });
});
