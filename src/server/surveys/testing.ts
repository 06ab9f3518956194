/**
 * Shared set-up for the survey API tests (not used by the server): questionnaires written for the
 * tests, a frame CSV, and steps that go through the real routes (create, open, import, invite).
 * Synthetic data only.
 */
import type { Questionnaire } from 'fhir/r4.js';
import { expect } from 'vitest';
import type { LoggedIn, TestApp } from '../../../test/support/test-app.js';
import { PHQ9_QUESTIONNAIRE } from '../../domain/instruments/questionnaires.js';
import { SUB_QUESTIONNAIRE_URL } from '../../domain/surveys/assemble.js';
import { TRANSLATION_EXTENSION_URL } from '../../domain/surveys/items.js';
import { FIXTURE_GP_QUESTIONNAIRE } from '../../surveys/generate/fixture-questionnaire.js';
import { hashToken, invitationToken } from './tokens.js';

export { FIXTURE_GP_QUESTIONNAIRE };

const en = (content: string) => ({
  extension: [
    {
      url: TRANSLATION_EXTENSION_URL,
      extension: [
        { url: 'lang', valueCode: 'en' },
        { url: 'content', valueString: content },
      ],
    },
  ],
});

/** A waiting-room questionnaire: one preference question, then the platform's PHQ-9 imported. */
export const PATIENT_QUESTIONNAIRE: Questionnaire = {
  resourceType: 'Questionnaire',
  url: 'urn:gpdep:questionnaire:waiting-room-test',
  version: '1',
  status: 'active',
  language: 'nb',
  title: 'Venterom (testskjema)',
  _title: en('Waiting room (test form)'),
  item: [
    {
      linkId: 'preference',
      type: 'choice',
      text: 'Hva slags hjelp ville du helst hatt?',
      _text: en('What kind of help would you prefer?'),
      required: true,
      answerOption: [
        {
          valueCoding: {
            system: 'urn:gpdep:test',
            code: 'talk',
            display: 'Samtaler',
            _display: en('Talking'),
          },
        },
        {
          valueCoding: {
            system: 'urn:gpdep:test',
            code: 'icbt',
            display: 'Internettprogram',
            _display: en('Internet programme'),
          },
        },
      ],
    },
    {
      linkId: 'phq9-module',
      type: 'display',
      text: 'PHQ-9',
      _text: en('PHQ-9'),
      extension: [
        {
          url: SUB_QUESTIONNAIRE_URL,
          valueCanonical: `${PHQ9_QUESTIONNAIRE.url}|${PHQ9_QUESTIONNAIRE.version}`,
        },
      ],
    },
  ],
};

const LOINC = 'http://loinc.org';
/** PHQ-9 answers (LOINC answer codes) with item 9 at `item9` (0-3) and the other items at 1. */
export function phq9SurveyAnswers(item9: 0 | 1 | 2 | 3): Record<string, unknown> {
  const code = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];
  const answers: Record<string, unknown> = {};
  for (let i = 1; i <= 9; i += 1) {
    answers[`phq9-${i}`] = [{ valueCoding: { system: LOINC, code: code[i === 9 ? item9 : 1] } }];
  }
  return answers;
}

/** A complete, valid answer set to the GP fixture (a GP who often gives talking therapy). */
export const GP_ANSWERS = {
  'years-as-gp': [{ valueInteger: 12 }],
  'own-talk-therapy': [{ valueCoding: { code: 'often' } }],
  'guideline-use': [{ valueCoding: { code: 'sometimes' } }],
  'icbt-known': [{ valueCoding: { code: 'yes' } }],
  'nav-collaboration': [{ valueCoding: { code: '3' } }],
};

/** A frame of `n` synthetic GPs (F00001 …, gp1@frame.test …), alternating sex and region. */
export function frameCsv(n: number, extra: (i: number) => string[] = () => []): string {
  const regions = ['sor-ost', 'vest', 'midt', 'nord'];
  const rows = Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return [
      `F${String(i).padStart(5, '0')}`,
      `gp${i}@frame.test`,
      i % 2 === 0 ? 'F' : 'M',
      String(1960 + (i % 30)),
      regions[i % 4]!,
      i % 5 === 0 ? 'yes' : 'no',
      i % 3 === 0 ? 'no' : 'yes',
      String(700 + 50 * (i % 12)),
      `R${i}`,
      ...extra(i),
    ].join(',');
  });
  return ['frame_id,email,sex,birth_year,region,rural,specialist,list_size,registry_key', ...rows].join('\n');
}

/** Creates a survey through the API and returns its id. */
export async function createSurvey(
  t: TestApp,
  researcher: LoggedIn,
  options: {
    kind?: 'identified' | 'anonymous';
    questionnaire?: Questionnaire;
    title?: string;
    sendRatePerMinute?: number;
  } = {}
): Promise<string> {
  const res = await t.call(researcher, 'POST', '/api/research/surveys', {
    body: {
      kind: options.kind ?? 'identified',
      title: options.title ?? 'Oppfølging av deprimerte pasienter (test)',
      questionnaire: options.questionnaire ?? FIXTURE_GP_QUESTIONNAIRE,
      ...(options.sendRatePerMinute === undefined ? {} : { sendRatePerMinute: options.sendRatePerMinute }),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** An open identified survey with a frame of `n` and invitations queued; returns ids and tokens. */
export async function fieldedSurvey(
  t: TestApp,
  researcher: LoggedIn,
  n: number,
  options: { sendRatePerMinute?: number } = {}
): Promise<{ surveyId: string; tokens: string[] }> {
  const surveyId = await createSurvey(t, researcher, options);
  const frame = await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/frame`, {
    body: { csv: frameCsv(n) },
  });
  expect(frame.statusCode, frame.body).toBe(200);
  expect((await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`)).statusCode).toBe(200);
  const invited = await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/invitations`, {
    body: {},
  });
  expect(invited.statusCode, invited.body).toBe(201);
  return { surveyId, tokens: await tokensOf(t, surveyId) };
}

/**
 * The tokens of a survey's invitations, in frame order (F00001 first), derived as the mailer
 * derives them; checked against the stored hashes, so a test cannot use a token the server would
 * not accept.
 */
export async function tokensOf(t: TestApp, surveyId: string, wave = 'baseline'): Promise<string[]> {
  const rows = await t.db
    .selectFrom('survey_invitations as i')
    .innerJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
    .select(['i.id', 'i.token_hash'])
    .where('i.survey_id', '=', surveyId)
    .where('i.wave', '=', wave)
    .orderBy('m.frame_id')
    .execute();
  return rows.map((r) => {
    const token = invitationToken(t.app.secrets.csrfKey, r.id);
    expect(hashToken(token)).toBe(r.token_hash);
    return token;
  });
}
