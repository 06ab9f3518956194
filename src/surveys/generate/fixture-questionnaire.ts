/**
 * A small GP questionnaire for tests and the benchmark, with the linkIds the study's GP survey
 * (src/content/surveys/gp-national.json) uses for the planted items: `own-talk-therapy`
 * (never|sometimes|often), `icbt-known` (yes|no), `guideline-use` (never|sometimes|often), plus a
 * branch (`talk-therapy-barrier`, shown when own-talk-therapy is "never"), an integer, a free
 * text and a four-point agreement scale. Wording written for these tests.
 */
import type { Coding, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { TRANSLATION_EXTENSION_URL } from '../../domain/surveys/items.js';

const SYSTEM = 'urn:gpdep:survey:gp-fixture';

const en = (text: string) => ({
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

const frequency = () => [
  option('never', 'Aldri', 'Never'),
  option('sometimes', 'Av og til', 'Sometimes'),
  option('often', 'Ofte', 'Often'),
];

function choice(
  linkId: string,
  nb: string,
  english: string,
  answerOption: QuestionnaireItem['answerOption']
) {
  return {
    linkId,
    type: 'choice',
    text: nb,
    _text: en(english),
    required: true,
    answerOption,
  } as QuestionnaireItem;
}

export const FIXTURE_GP_QUESTIONNAIRE: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'gp-fixture',
  url: 'urn:gpdep:questionnaire:gp-fixture',
  version: '1',
  status: 'active',
  language: 'nb',
  title: 'Oppfølging av pasienter med depresjon (testskjema)',
  _title: en('Follow-up of patients with depression (test form)'),
  item: [
    {
      linkId: 'practice',
      type: 'group',
      text: 'Din praksis',
      _text: en('Your practice'),
      item: [
        {
          linkId: 'years-as-gp',
          type: 'integer',
          text: 'Hvor mange år har du vært fastlege?',
          _text: en('How many years have you been a regular GP?'),
          required: true,
          extension: [
            { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
            { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 45 },
          ],
        },
        choice(
          'own-talk-therapy',
          'Hvor ofte gir du selv samtaleterapi til pasienter med depresjon?',
          'How often do you yourself give talking therapy to patients with depression?',
          frequency()
        ),
        choice(
          'talk-therapy-barrier',
          'Hva er den viktigste grunnen til at du ikke gir samtaleterapi?',
          'What is the main reason you do not give talking therapy?',
          [
            option('time', 'Tid', 'Time'),
            option('training', 'Opplæring', 'Training'),
            option('other-services', 'Andre tjenester gjør det', 'Other services do it'),
          ]
        ),
        choice(
          'guideline-use',
          'Hvor ofte bruker du retningslinjen for depresjon?',
          'How often do you use the depression guideline?',
          frequency()
        ),
        choice(
          'icbt-known',
          'Kjenner du til internettbasert kognitiv terapi?',
          'Do you know internet-based CBT?',
          [option('yes', 'Ja', 'Yes'), option('no', 'Nei', 'No')]
        ),
        choice(
          'nav-collaboration',
          'Samarbeidet med NAV om sykmeldte med depresjon fungerer godt.',
          'Working with NAV on patients on sick leave with depression goes well.',
          [
            option('1', 'Helt uenig', 'Strongly disagree'),
            option('2', 'Litt uenig', 'Somewhat disagree'),
            option('3', 'Litt enig', 'Somewhat agree'),
            option('4', 'Helt enig', 'Strongly agree'),
          ]
        ),
        {
          linkId: 'comments',
          type: 'text',
          text: 'Andre kommentarer',
          _text: en('Other comments'),
        },
      ],
    },
  ],
};

// The barrier question is shown only to GPs who never give talking therapy themselves.
const barrier = FIXTURE_GP_QUESTIONNAIRE.item![0]!.item!.find((i) => i.linkId === 'talk-therapy-barrier')!;
barrier.enableWhen = [
  { question: 'own-talk-therapy', operator: '=', answerCoding: { system: SYSTEM, code: 'never' } },
];
