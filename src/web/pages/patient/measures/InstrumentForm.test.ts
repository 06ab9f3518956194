/**
 * One item renderer for the surveys and the clinical instruments: the PHQ-9, GAD-7 and WSAS forms
 * draw their items with components/questionnaire/ChoiceItem.tsx (the single-answer part of
 * QuestionnaireItem.tsx) from their published FHIR Questionnaires' items, and the survey form
 * draws its single-answer items with the same component.
 *
 * The markup is React's own (renderToStaticMarkup, the app's i18n catalogs); each item is found by
 * the `data-questionnaire-item` mark only the shared component sets, and its words are compared
 * with the Questionnaire resource itself: the nb texts read straight out of the translation
 * extension, the en texts out of `text` and `display`.
 */
import type { Questionnaire, QuestionnaireItem as FhirItem } from 'fhir/r4.js';
import i18next from 'i18next';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { GAD7_FORM_ITEMS, WSAS_FORM_ITEMS } from '../../../../domain/instruments/form-items.js';
import { GAD7_INTRO, GAD7_ITEMS, GAD7_OPTIONS } from '../../../../domain/instruments/gad7.js';
import {
  GAD7_QUESTIONNAIRE,
  PHQ9_QUESTIONNAIRE,
  WSAS_QUESTIONNAIRE,
} from '../../../../domain/instruments/questionnaires.js';
import { WSAS_INTRO, WSAS_ITEMS } from '../../../../domain/instruments/wsas.js';
import { translation, type SurveyLanguage } from '../../../../domain/surveys/items.js';
import { QuestionnaireForm } from '../../../components/questionnaire/QuestionnaireForm.js';
import en from '../../../i18n/locales/en.json' with { type: 'json' };
import nb from '../../../i18n/locales/nb.json' with { type: 'json' };
import { Phq9Form } from '../Phq9Form.js';
import { InstrumentForm, useInstrumentForm, unansweredItems } from './InstrumentForm.js';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    resources: { nb: { translation: nb }, en: { translation: en } },
    lng: 'nb',
    fallbackLng: 'nb',
    interpolation: { escapeValue: false },
  });
});

async function render(language: SurveyLanguage, element: ReactElement): Promise<string> {
  await i18n.changeLanguage(language);
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, element));
}

/** Text as React writes it into HTML. */
const escaped = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');

/** The markup of the item the shared renderer marked with `linkId`: its fieldset, whole. */
function itemMarkup(html: string, linkId: string): string {
  const mark = html.indexOf(`data-questionnaire-item="${linkId}"`);
  if (mark < 0) throw new Error(`no item ${linkId} drawn by the shared renderer`);
  const start = html.lastIndexOf('<fieldset', mark);
  const end = html.indexOf('</fieldset>', mark);
  return html.slice(start, end + '</fieldset>'.length);
}

/** The question and the answer labels of a Questionnaire item in a language, from the resource. */
function resourceWords(item: FhirItem, language: SurveyLanguage): { text: string; options: string[] } {
  const pick = (own: string | undefined, element: FhirItem['_text']) =>
    language === 'en' ? (own ?? '') : (translation(element, 'nb') ?? '');
  return {
    text: pick(item.text, item._text),
    options: (item.answerOption ?? []).map((o) => pick(o.valueCoding?.display, o.valueCoding?._display)),
  };
}

const legendOf = (markup: string) => /<legend[^>]*>([\s\S]*?)<\/legend>/.exec(markup)?.[1] ?? '';
const radioLabels = (markup: string) =>
  [...markup.matchAll(/<label[^>]*>([^<]*)<\/label>/g)].map((m) => m[1]);
const radioValues = (markup: string) => [...markup.matchAll(/<input[^>]*type="radio"[^>]*>/g)].length;

describe('the PHQ-9 form draws its items from the published Questionnaire', () => {
  it.each(['nb', 'en'] as const)('%s: every item, its number, words and answers', async (language) => {
    const html = await render(language, createElement(Phq9Form, { patientId: 'p', onSubmitted: () => {} }));
    const items = (PHQ9_QUESTIONNAIRE.item ?? []).filter((i) => /^phq9-\d$/.test(i.linkId));
    expect(items).toHaveLength(9);
    for (const [index, item] of items.entries()) {
      const markup = itemMarkup(html, item.linkId);
      const words = resourceWords(item, language);
      // The element id the error summary links to is kept: phq9-item-1 … phq9-item-9.
      expect(markup).toContain(`id="phq9-item-${index + 1}"`);
      // "1. " + the Questionnaire's text (nb: the translation extension's content).
      expect(legendOf(markup)).toBe(escaped(`${index + 1}. ${words.text}`));
      expect(radioLabels(markup)).toEqual(words.options.map(escaped));
      expect(radioValues(markup)).toBe(4);
    }
    // Hand-checked against phq9.ts: item 1 in bokmål, and its first answer.
    if (language === 'nb') {
      expect(legendOf(itemMarkup(html, 'phq9-1'))).toBe('1. Lite interesse for eller glede av å gjøre ting');
      expect(radioLabels(itemMarkup(html, 'phq9-1'))[0]).toBe('Ikke i det hele tatt');
    }
  });
});

/** InstrumentForm with its own state, as the measure pages use it. */
function Form(props: { definition: Parameters<typeof InstrumentForm>[0]['definition']; idPrefix: string }) {
  const form = useInstrumentForm<null>({
    itemCount: props.definition.items.length,
    validate: unansweredItems,
    send: () => Promise.resolve(null),
  });
  const scale = Array.from({ length: 9 }, (_, score) => ({ value: String(score), label: String(score) }));
  return createElement(InstrumentForm<null>, {
    form,
    definition: props.definition,
    idPrefix: props.idPrefix,
    headingLevel: 2,
    testIdPrefix: 'measure',
    ...(props.definition.options ? {} : { choices: () => scale }),
  });
}

describe('GAD-7 and WSAS draw theirs the same way', () => {
  it('GAD-7 in bokmål: seven items, the Questionnaire’s words', async () => {
    const definition = {
      formItems: GAD7_FORM_ITEMS,
      items: GAD7_ITEMS,
      intro: GAD7_INTRO,
      options: GAD7_OPTIONS,
    };
    const html = await render('nb', createElement(Form, { definition, idPrefix: 'gad7' }));
    for (const [index, item] of (GAD7_QUESTIONNAIRE.item ?? [])
      .filter((i) => i.type === 'choice')
      .entries()) {
      const markup = itemMarkup(html, item.linkId);
      const words = resourceWords(item, 'nb');
      expect(markup).toContain(`id="gad7-item-${index + 1}"`);
      expect(legendOf(markup)).toBe(escaped(`${index + 1}. ${words.text}`));
      expect(radioLabels(markup)).toEqual(words.options.map(escaped));
    }
  });

  it('WSAS in English: the integer items as a 0-8 scale of nine radios', async () => {
    const definition = { formItems: WSAS_FORM_ITEMS, items: WSAS_ITEMS, intro: WSAS_INTRO };
    const html = await render('en', createElement(Form, { definition, idPrefix: 'wsas' }));
    const items = (WSAS_QUESTIONNAIRE.item ?? []).filter((i) => i.type === 'integer' && !i.readOnly);
    expect(items).toHaveLength(5);
    for (const [index, item] of items.entries()) {
      const markup = itemMarkup(html, item.linkId);
      expect(legendOf(markup)).toBe(escaped(`${index + 1}. ${item.text ?? ''}`));
      expect(radioValues(markup)).toBe(9);
    }
  });
});

describe('the survey form draws its items with the same component', () => {
  it('marks a survey choice item the same way, with its nb option labels', async () => {
    const survey: Questionnaire = {
      resourceType: 'Questionnaire',
      status: 'active',
      language: 'nb',
      item: [
        {
          linkId: 'q1',
          type: 'choice',
          text: 'Hvor ofte?',
          required: true,
          answerOption: [
            { valueCoding: { code: 'a', display: 'Ofte' } },
            { valueCoding: { code: 'b', display: 'Sjelden' } },
          ],
        },
      ],
    };
    const html = await render(
      'nb',
      createElement(QuestionnaireForm, {
        questionnaire: survey,
        answers: {},
        language: 'nb',
        onChange: () => {},
      })
    );
    const markup = itemMarkup(html, 'q1');
    expect(markup).toContain('id="q-q1"');
    expect(radioLabels(markup)).toEqual(['Ofte', 'Sjelden']);
    // The survey's own "required" mark (survey.required in nb.json: "må besvares").
    expect(legendOf(markup)).toContain('Hvor ofte?');
    expect(legendOf(markup)).toContain('(må besvares)');
  });
});
