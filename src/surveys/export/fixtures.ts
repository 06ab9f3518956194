/**
 * Questionnaires and datasets for the export's tests and benchmark (synthetic; wording written for
 * these tests, not taken from any instrument):
 * - EXPORT_FIXTURE_QUESTIONNAIRE: nested groups, a display item, a read-only item, boolean,
 *   integer, decimal, date, string, text, a choice with text codes from a contained ValueSet, a
 *   choice with integer codes, an open-choice, two repeating choices (one open), and enableWhen
 *   on an item, on a group and with `exists`;
 * - nastyDataset(): responses with text that breaks naive CSV and script writers (quotes, commas,
 *   line breaks, æøå, leading `=`, `+`, `-`, `@`, tab and apostrophe), two waves, a partial
 *   response, an anonymous one, a code no longer among the options, an answer to a removed item
 *   and one of the wrong type;
 * - syntheticDataset(): a larger questionnaire and many random responses for the benchmark;
 * - randomResponses(): random, branching-consistent responses to any questionnaire (the study's).
 */
import type { Coding, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import {
  TRANSLATION_EXTENSION_URL,
  answerableItems,
  enabledLinkIds,
  flattenItems,
  type FlatItem,
  type SurveyAnswer,
  type SurveyAnswers,
  type SurveyOption,
} from '../../domain/surveys/items.js';
import type { SurveyDataset, SurveyResponseRecord } from '../dataset.js';

const SYSTEM = 'urn:gpdep:survey:export-fixture';

export const en = (text: string) => ({
  extension: [
    {
      url: TRANSLATION_EXTENSION_URL,
      extension: [
        { url: 'lang', valueCode: 'en' },
        { url: 'content', valueString: text },
      ],
    },
  ],
});

function option(code: string, nb: string, english: string): { valueCoding: Coding } {
  return { valueCoding: { system: SYSTEM, code, display: nb, _display: en(english) } };
}

function item(
  linkId: string,
  type: QuestionnaireItem['type'],
  nb: string,
  english: string,
  more: Partial<QuestionnaireItem> = {}
): QuestionnaireItem {
  return { linkId, type, text: nb, _text: en(english), ...more };
}

export const EXPORT_FIXTURE_QUESTIONNAIRE: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'export-fixture',
  url: 'urn:gpdep:questionnaire:export-fixture',
  version: '2',
  status: 'active',
  language: 'nb',
  title: 'Testskjema for eksport: «oppfølging» & samarbeid',
  _title: en('Export test form: "follow-up" & collaboration'),
  contained: [
    {
      resourceType: 'ValueSet',
      id: 'frequency',
      status: 'active',
      compose: {
        include: [
          {
            system: SYSTEM,
            concept: [
              { code: 'never', display: 'Aldri', designation: [{ language: 'en', value: 'Never' }] },
              {
                code: 'sometimes',
                display: 'Av og til',
                designation: [{ language: 'en', value: 'Sometimes' }],
              },
              { code: 'often', display: 'Ofte', designation: [{ language: 'en', value: 'Often' }] },
            ],
          },
        ],
      },
    },
  ],
  item: [
    item('intro', 'display', 'Takk for at du svarer.', 'Thank you for answering.'),
    item('practice', 'group', 'Om praksisen', 'About your practice', {
      item: [
        item(
          'years',
          'integer',
          'Hvor mange år har du arbeidet som fastlege?',
          'How many years have you worked as a GP?',
          {
            required: true,
            extension: [
              { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
              { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 50 },
            ],
          }
        ),
        item('team', 'group', 'Teamet rundt deg', 'The team around you', {
          item: [
            item('has-nurse', 'boolean', 'Har praksisen sykepleier?', 'Does the practice have a nurse?'),
            item(
              'nurse-tasks',
              'choice',
              'Hva gjør sykepleieren for pasienter med depresjon? (kryss av alt som passer)',
              'What does the nurse do for patients with depression? (tick all that apply)',
              {
                repeats: true,
                enableWhen: [{ question: 'has-nurse', operator: '=', answerBoolean: true }],
                answerOption: [
                  option('followup', 'Oppfølgingssamtaler', 'Follow-up talks'),
                  option('screening', 'Kartlegging med skjema', 'Screening with forms'),
                  option('groups', 'Gruppetilbud', 'Group sessions'),
                ],
              }
            ),
          ],
        }),
        item('score-total', 'integer', 'Sum (beregnet)', 'Total (computed)', { readOnly: true }),
      ],
    }),
    item('treatment', 'group', 'Behandling', 'Treatment', {
      item: [
        item(
          'talk-therapy',
          'choice',
          'Hvor ofte gir du selv samtaleterapi?',
          'How often do you give talking therapy yourself?',
          { required: true, answerValueSet: '#frequency' }
        ),
        item('barrier', 'open-choice', 'Hva hindrer deg mest?', 'What stops you most?', {
          enableWhen: [
            { question: 'talk-therapy', operator: '=', answerCoding: { system: SYSTEM, code: 'never' } },
          ],
          answerOption: [
            option('time', 'Tid', 'Time'),
            option('training', 'Opplæring', 'Training'),
            option('other-services', 'Andre gjør det', 'Others do it'),
          ],
        }),
        item(
          'phq-use',
          'choice',
          'Hvor ofte bruker du et kartleggingsskjema?',
          'How often do you use a screening form?',
          {
            answerOption: [
              option('0', 'Aldri', 'Never'),
              option('1', 'Sjelden', 'Rarely'),
              option('2', 'Ofte', 'Often'),
              option('3', 'Alltid', 'Always'),
              // A negative code: a text cell in data.csv, so it is written escaped ('-1).
              option('-1', 'Vet ikke', "Don't know"),
            ],
          }
        ),
        item(
          'minutes',
          'decimal',
          'Hvor lang er en typisk oppfølgingstime (minutter)?',
          'How long is a typical follow-up (minutes)?'
        ),
        item(
          'last-referral',
          'date',
          'Når henviste du sist til psykisk helsevern?',
          'When did you last refer to mental health services?'
        ),
        item('referral-place', 'string', 'Hvor henviste du?', 'Where did you refer?', {
          enableWhen: [{ question: 'last-referral', operator: 'exists', answerBoolean: true }],
        }),
      ],
    }),
    item('digital', 'group', 'Digitale tilbud', 'Digital services', {
      enableWhen: [{ question: 'years', operator: '<', answerInteger: 40 }],
      item: [
        item(
          'icbt-known',
          'open-choice',
          'Hvilke nettbaserte tilbud kjenner du til?',
          'Which online programmes do you know?',
          {
            repeats: true,
            answerOption: [
              option('program-a', 'Program A', 'Programme A'),
              option('program-b', 'Program B', 'Programme B'),
            ],
          }
        ),
        item('contact-ok', 'boolean', 'Kan vi kontakte deg igjen?', 'May we contact you again?'),
      ],
    }),
    item('comments', 'text', 'Andre kommentarer', 'Other comments'),
  ],
};

const coding = (code: string): SurveyAnswer => ({ valueCoding: { system: SYSTEM, code } });
const str = (valueString: string): SurveyAnswer => ({ valueString });

/** Free texts that break naive writers; every one appears in nastyDataset(). */
export const NASTY_TEXTS = {
  quotesAndLines: 'Han sa "hei", og så\r\ngikk han; æøå ÆØÅ – «ok»',
  formula: '=HYPERLINK("http://example.invalid","klikk")',
  plus: '+47 55 00 00 00',
  minusText: '-3 er rart, "sant"',
  at: '@mention, og komma',
  tab: '\tinnrykk',
  apostrophe: "'sitat' med apostrof",
  lone: 'CR alene\rher',
  emoji: 'smil 😀 og 文字',
} as const;

function response(
  responseId: string,
  answers: SurveyAnswers,
  more: Partial<SurveyResponseRecord> = {}
): SurveyResponseRecord {
  return {
    responseId,
    wave: 'baseline',
    status: 'complete',
    updatedAt: '2026-03-02T09:15:00.000Z',
    questionnaireVersion: '2',
    answers,
    ...more,
  };
}

/** Five responses (four identified, one anonymous) over two waves; see the module comment. */
export function nastyDataset(): SurveyDataset {
  return {
    surveyId: 'export-fixture',
    questionnaire: EXPORT_FIXTURE_QUESTIONNAIRE,
    frame: [],
    responses: [
      response(
        'r1',
        {
          years: [{ valueInteger: 12 }],
          'has-nurse': [{ valueBoolean: true }],
          'nurse-tasks': [coding('followup'), coding('groups')],
          'talk-therapy': [coding('sometimes')],
          'phq-use': [coding('2')],
          minutes: [{ valueDecimal: 22.5 }],
          'last-referral': [{ valueDate: '2026-01-15' }],
          'referral-place': [str(NASTY_TEXTS.formula)],
          'icbt-known': [coding('program-b'), str(NASTY_TEXTS.at)],
          'contact-ok': [{ valueBoolean: false }],
          comments: [str(NASTY_TEXTS.quotesAndLines)],
        },
        { respondentKey: 'p-001', updatedAt: '2026-03-01T08:00:00.000Z' }
      ),
      response(
        'r2',
        {
          years: [{ valueInteger: 0 }],
          'has-nurse': [{ valueBoolean: false }],
          'talk-therapy': [coding('never')],
          barrier: [str(NASTY_TEXTS.minusText)],
          'phq-use': [coding('0')],
          minutes: [{ valueDecimal: -3 }],
          'icbt-known': [],
          comments: [str(NASTY_TEXTS.plus)],
          // An item removed from the questionnaire: counted, not exported.
          'old-item': [str('gammelt svar')],
        },
        { respondentKey: 'p-002' }
      ),
      response(
        'r3',
        {
          years: [{ valueInteger: 41 }],
          'talk-therapy': [coding('never')],
          barrier: [coding('training')],
          // A wrong type for a decimal item: exported as no answer and counted.
          minutes: [str('tjue')],
          comments: [str(NASTY_TEXTS.tab)],
        },
        { respondentKey: 'p-003', status: 'partial', updatedAt: '2026-03-03T10:00:00.000Z' }
      ),
      response(
        'r4',
        {
          years: [{ valueInteger: 12 }],
          'has-nurse': [{ valueBoolean: true }],
          'nurse-tasks': [coding('screening')],
          // A code from an earlier version's options.
          'talk-therapy': [coding('weekly')],
          'phq-use': [coding('3')],
          minutes: [{ valueDecimal: 0.0000001 }],
          'last-referral': [{ valueDate: '2026-08-31' }],
          'referral-place': [str(NASTY_TEXTS.apostrophe)],
          'icbt-known': [coding('program-a'), coding('program-b')],
          'contact-ok': [{ valueBoolean: true }],
          comments: [str(NASTY_TEXTS.lone)],
        },
        { respondentKey: 'p-001', wave: '6m', updatedAt: '2026-09-01T12:30:45.000Z' }
      ),
      response(
        'r5',
        {
          years: [{ valueInteger: 7 }],
          'talk-therapy': [coding('often')],
          'phq-use': [coding('-1')],
          comments: [str(NASTY_TEXTS.emoji)],
        },
        { updatedAt: '2026-03-04T00:00:00.000Z' }
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Synthetic data for the benchmark

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGREEMENT = [
  option('1', 'Helt uenig', 'Strongly disagree'),
  option('2', 'Litt uenig', 'Somewhat disagree'),
  option('3', 'Litt enig', 'Somewhat agree'),
  option('4', 'Helt enig', 'Strongly agree'),
];

/**
 * A questionnaire with `items` answerable items in groups of seven (agreement scales, a
 * frequency choice with text codes and a branch, an integer, a decimal, a check-all-that-apply,
 * a text), and `responses` random responses over two waves.
 */
export function syntheticDataset(responses: number, items = 35, seed = 1): SurveyDataset {
  const groups: QuestionnaireItem[] = [];
  for (let g = 0; groups.length * 7 < items; g++) {
    const p = (n: string) => `g${g}-${n}`;
    groups.push(
      item(p('group'), 'group', `Del ${g + 1}`, `Part ${g + 1}`, {
        item: [
          item(p('agree-a'), 'choice', `Påstand A${g}`, `Statement A${g}`, { answerOption: AGREEMENT }),
          item(p('agree-b'), 'choice', `Påstand B${g}`, `Statement B${g}`, { answerOption: AGREEMENT }),
          item(p('freq'), 'choice', `Hvor ofte ${g}?`, `How often ${g}?`, { answerValueSet: '#frequency' }),
          item(p('why'), 'open-choice', `Hvorfor aldri ${g}?`, `Why never ${g}?`, {
            enableWhen: [{ question: p('freq'), operator: '=', answerCoding: { code: 'never' } }],
            answerOption: [option('time', 'Tid', 'Time'), option('money', 'Penger', 'Money')],
          }),
          item(p('count'), 'integer', `Antall ${g}`, `Count ${g}`),
          item(p('tasks'), 'choice', `Oppgaver ${g}`, `Tasks ${g}`, {
            repeats: true,
            answerOption: [option('a', 'A', 'A'), option('b', 'B', 'B'), option('c', 'C', 'C')],
          }),
          item(p('note'), 'text', `Merknad ${g}`, `Note ${g}`),
        ],
      })
    );
  }
  const questionnaire: Questionnaire = {
    ...EXPORT_FIXTURE_QUESTIONNAIRE,
    id: 'export-synthetic',
    item: groups,
  };
  const random = prng(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const records: SurveyResponseRecord[] = [];
  for (let i = 0; i < responses; i++) {
    const answers: Record<string, SurveyAnswer[]> = {};
    for (let g = 0; g < groups.length; g++) {
      const p = (n: string) => `g${g}-${n}`;
      if (random() < 0.05) continue; // skipped
      answers[p('agree-a')] = [coding(pick(['1', '2', '3', '4']))];
      answers[p('agree-b')] = [coding(pick(['1', '2', '3', '4']))];
      const freq = pick(['never', 'sometimes', 'often']);
      answers[p('freq')] = [coding(freq)];
      if (freq === 'never')
        answers[p('why')] = [random() < 0.8 ? coding(pick(['time', 'money'])) : str('fordi, "sånn"')];
      answers[p('count')] = [{ valueInteger: Math.floor(random() * 200) - 5 }];
      answers[p('tasks')] = ['a', 'b', 'c'].filter(() => random() < 0.5).map(coding);
      if (random() < 0.3)
        answers[p('note')] = [str(pick(['=1+1', 'ok', 'linje 1\nlinje 2', 'æøå, «sitat»']))];
    }
    records.push({
      responseId: `s${i}`,
      respondentKey: `k${Math.floor(i / 2)}`,
      wave: i % 2 === 0 ? 'baseline' : '6m',
      status: random() < 0.9 ? 'complete' : 'partial',
      updatedAt: new Date(Date.UTC(2026, 2, 1) + i * 60_000 + (i % 2) * 180 * 86_400_000).toISOString(),
      questionnaireVersion: '2',
      answers,
    });
  }
  return { surveyId: 'export-synthetic', questionnaire, frame: [], responses: records };
}

const FREE_TEXTS = [
  'ok',
  '=SUM(A1:A9)',
  '-2 dager',
  '+ mer tid',
  '@fastlegen',
  'Linje én\nlinje to',
  'Sitat: "bra", og komma',
  'æøå ÆØÅ',
  "'apostrof",
  '\tinnrykk',
];

/**
 * `count` random responses to any questionnaire: every answerable item answered with a value of
 * its type (options by code, within min/max, full dates, free texts from a nasty list; open
 * choices sometimes free text; tick-all items any subset), about one in ten left unanswered, and
 * answers to items that branching disables dropped, as the server does. Two waves, keys per pair.
 */
export function randomResponses(
  questionnaire: Questionnaire,
  count: number,
  seed: number,
  options: { anonymous?: boolean; version?: string } = {}
): SurveyResponseRecord[] {
  const flat = flattenItems(questionnaire);
  const items = answerableItems(flat);
  const random = prng(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const answerFor = (item: FlatItem): SurveyAnswer[] => {
    const code = (o: SurveyOption): SurveyAnswer => ({
      valueCoding: { ...(o.system === undefined ? {} : { system: o.system }), code: o.code },
    });
    switch (item.type) {
      case 'boolean':
        return [{ valueBoolean: random() < 0.5 }];
      case 'integer': {
        const min = item.min ?? 0;
        const max = item.max ?? 100;
        return [{ valueInteger: min + Math.floor(random() * (max - min + 1)) }];
      }
      case 'decimal':
        return [{ valueDecimal: Math.round(random() * 10_000) / 100 - 20 }];
      case 'date':
        return [
          {
            valueDate: new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 700) * 86_400_000)
              .toISOString()
              .slice(0, 10),
          },
        ];
      case 'string':
      case 'text':
        return [{ valueString: pick(FREE_TEXTS) }];
      case 'choice':
      case 'open-choice': {
        if (item.options.length === 0)
          return item.type === 'open-choice' ? [{ valueString: pick(FREE_TEXTS) }] : [];
        const free = item.type === 'open-choice' && random() < 0.2;
        if (item.repeats) {
          const chosen = item.options.filter(() => random() < 0.4).map(code);
          return free ? [...chosen, { valueString: pick(FREE_TEXTS) }] : chosen;
        }
        return free ? [{ valueString: pick(FREE_TEXTS) }] : [code(pick(item.options))];
      }
      case 'group':
      case 'display':
        return [];
    }
  };
  const records: SurveyResponseRecord[] = [];
  for (let i = 0; i < count; i++) {
    const answers: Record<string, SurveyAnswer[]> = {};
    for (const item of items) {
      if (random() < 0.1) continue;
      const given = answerFor(item);
      if (given.length > 0) answers[item.linkId] = given;
    }
    const shown = enabledLinkIds(flat, answers);
    for (const linkId of Object.keys(answers)) if (!shown.has(linkId)) delete answers[linkId];
    records.push({
      responseId: `q${seed}-${i}`,
      ...(options.anonymous ? {} : { respondentKey: `rk${Math.floor(i / 2)}` }),
      wave: options.anonymous || i % 2 === 0 ? 'baseline' : '6m',
      status: random() < 0.85 ? 'complete' : 'partial',
      updatedAt: new Date(Date.UTC(2026, 1, 1) + i * 3_600_000 + (i % 2) * 180 * 86_400_000).toISOString(),
      questionnaireVersion: options.version ?? questionnaire.version ?? '1',
      answers,
    });
  }
  return records;
}
