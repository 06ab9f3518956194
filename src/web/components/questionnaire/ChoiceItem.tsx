/**
 * A single-answer questionnaire item as a radio group (ChoiceGroup): the item's own answer
 * options, or the choices the page gives, each with the FHIR answer it stands for. It is the part
 * of the questionnaire renderer (QuestionnaireItem.tsx) the surveys and the clinical instruments
 * share most: QuestionnaireItem draws every single-answer choice, open-choice and boolean item
 * with it, and the instrument forms (PHQ-9, GAD-7, WSAS: pages/patient/measures/InstrumentForm.tsx)
 * draw their items with it. It has a module of its own so the patient's pages, which only need
 * this, do not load the survey-only field types (the patient module page's 200 KB budget,
 * scripts/build-size.mjs). Every item carries `data-questionnaire-item="<linkId>"`.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlatItem, SurveyAnswer, SurveyLanguage } from '../../../domain/surveys/items.js';
import { ChoiceGroup } from '../ChoiceGroup.js';
import './ChoiceItem.css';

/** A radio choice given by the page: its value in the DOM, its label, and the answer it stands for. */
export interface ItemChoice {
  code: string;
  label: string;
  answer: SurveyAnswer;
}

export interface ChoiceItemProps {
  item: FlatItem;
  /** The item's answers so far (one unless it repeats). */
  answers: readonly SurveyAnswer[];
  language: SurveyLanguage;
  onChange: (linkId: string, answers: readonly SurveyAnswer[]) => void;
  /** The id of the item's input or fieldset (an error summary links to it). */
  id: string;
  /** The message shown at the item, tied to it for screen readers. */
  error?: string | null;
  /** The question as shown, instead of the item's text with its "required" mark. */
  label?: ReactNode;
  /** Radio choices instead of the item's own options or field. */
  choices?: readonly ItemChoice[];
  /** The radios' name; the id unless given. */
  name?: string;
  optionsClassName?: string;
  /** Under the answers (open-choice's "other" field); a group's items in QuestionnaireItem. */
  children?: ReactNode;
}

const sameAnswer = (a: SurveyAnswer, b: SurveyAnswer): boolean => {
  if ('valueCoding' in a || 'valueCoding' in b) {
    return (
      'valueCoding' in a &&
      'valueCoding' in b &&
      a.valueCoding.code === b.valueCoding.code &&
      (a.valueCoding.system === undefined ||
        b.valueCoding.system === undefined ||
        a.valueCoding.system === b.valueCoding.system)
    );
  }
  return JSON.stringify(a) === JSON.stringify(b);
};

/** The question as shown: the page's label, or the item's text with its "required" mark. */
export function ItemLabel({ props }: { props: Pick<ChoiceItemProps, 'item' | 'language' | 'label'> }) {
  const { t } = useTranslation();
  if (props.label !== undefined) return <>{props.label}</>;
  return (
    <>
      {props.item.text[props.language]}
      {props.item.required && <span className="questionnaire-item__required"> ({t('survey.required')})</span>}
    </>
  );
}

/**
 * A single-answer item as a radio group: the item's own answer options, or the choices the page
 * gives (each with the answer it stands for). QuestionnaireItem draws single-answer choice,
 * open-choice and boolean items with it; the instrument forms use it directly, so the patient's
 * pages do not carry the survey-only field types.
 */
export function ChoiceItem(props: ChoiceItemProps) {
  const { item, language, onChange, id } = props;
  const choices: readonly ItemChoice[] =
    props.choices ??
    item.options.map((option) => ({
      code: option.code,
      label: option.display[language],
      answer: {
        valueCoding: { code: option.code, ...(option.system === undefined ? {} : { system: option.system }) },
      },
    }));
  const chosen = choices.find((choice) => props.answers.some((answer) => sameAnswer(answer, choice.answer)));
  return (
    <ChoiceGroup
      id={id}
      name={props.name ?? id}
      className="questionnaire-item__question"
      legend={<ItemLabel props={props} />}
      choices={choices.map((choice) => ({ value: choice.code, label: choice.label }))}
      value={chosen?.code ?? null}
      error={props.error}
      optionsClassName={props.optionsClassName}
      dataAttributes={{ 'data-questionnaire-item': item.linkId }}
      onChange={(code) => {
        const choice = choices.find((c) => c.code === code);
        // An open-choice item keeps no "other" text once an option is chosen (one answer).
        if (choice) onChange(item.linkId, [choice.answer]);
      }}
    >
      {props.children}
    </ChoiceGroup>
  );
}
