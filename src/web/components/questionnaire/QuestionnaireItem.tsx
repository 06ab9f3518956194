/**
 * One item of a FHIR R4 Questionnaire (the subset of src/domain/surveys/items.ts) on
 * Designsystemet, the one item renderer of the platform: the study surveys (QuestionnaireForm.tsx)
 * and the patient's clinical instruments (PHQ-9, GAD-7, WSAS: pages/patient/measures/
 * InstrumentForm.tsx, from the published Questionnaires in domain/instruments/questionnaires.ts)
 * both draw their items here.
 *
 * Groups are sections with a heading, display items text, a single-answer choice or boolean a
 * radio group (ChoiceGroup), a repeating choice checkboxes, open-choice adds an "other" text field,
 * integer, decimal, date, string and text are labelled fields. Answers are FHIR-shaped
 * (`QuestionnaireResponse.item.answer`); the component is controlled.
 *
 * What a form of its own needs comes in through props, never through a second renderer: the
 * element id (an error summary links to it), the radios' name, the question as shown (the
 * instruments number theirs), radio choices instead of the item's own (WSAS shows its 0-8 integer
 * items as a scale, with "not applicable" for work), and a class for the answer list. Every item
 * carries `data-questionnaire-item="<linkId>"`, so a test can tell it was drawn here.
 */
import {
  Checkbox,
  Fieldset,
  Heading,
  Paragraph,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { SurveyAnswer } from '../../../domain/surveys/items.js';
import { ChoiceItem, ItemLabel, type ChoiceItemProps } from './ChoiceItem.js';
import './QuestionnaireItem.css';

export type { ItemChoice } from './ChoiceItem.js';

export interface QuestionnaireItemProps extends ChoiceItemProps {
  /** 0 for a top-level item: a group's heading is h2 there, h3 below. */
  depth?: number;
}

export function QuestionnaireItem(props: QuestionnaireItemProps) {
  const { t } = useTranslation();
  const { item, language, onChange, id } = props;
  const text = item.text[language];
  const error = props.error ?? undefined;
  const given = props.answers;
  const marker = { 'data-questionnaire-item': item.linkId } as const;
  const label = <ItemLabel props={props} />;

  if (props.choices) return <ChoiceItem {...props} />;

  switch (item.type) {
    case 'group':
      return (
        <section className="questionnaire-item__group" aria-labelledby={`${id}-heading`} id={id} {...marker}>
          {text && (
            <Heading level={props.depth ? 3 : 2} data-size={props.depth ? '2xs' : 'xs'} id={`${id}-heading`}>
              {text}
            </Heading>
          )}
          {props.children}
        </section>
      );
    case 'display':
      return (
        <Paragraph id={id} className="questionnaire-item__display" {...marker}>
          {text}
        </Paragraph>
      );
    case 'boolean':
      return (
        <ChoiceItem
          {...props}
          choices={[
            { code: 'true', label: t('survey.yes'), answer: { valueBoolean: true } },
            { code: 'false', label: t('survey.no'), answer: { valueBoolean: false } },
          ]}
        />
      );
    case 'choice':
    case 'open-choice': {
      const other = given.find((answer): answer is { valueString: string } => 'valueString' in answer);
      const otherField = item.type === 'open-choice' && (
        <Textfield
          label={t('survey.other')}
          className="questionnaire-item__other"
          value={other?.valueString ?? ''}
          maxLength={item.maxLength}
          onChange={(event) => {
            const value = event.target.value;
            const codings = item.repeats ? given.filter((answer) => 'valueCoding' in answer) : [];
            onChange(item.linkId, value === '' ? codings : [...codings, { valueString: value }]);
          }}
        />
      );
      if (!item.repeats) return <ChoiceItem {...props}>{otherField}</ChoiceItem>;
      const selected = new Set(
        given.flatMap((answer) => ('valueCoding' in answer ? [answer.valueCoding.code] : []))
      );
      const answerFor = (code: string): SurveyAnswer => {
        const option = item.options.find((o) => o.code === code);
        return { valueCoding: { code, ...(option?.system === undefined ? {} : { system: option.system }) } };
      };
      const errorId = `${id}-error`;
      return (
        <Fieldset
          id={id}
          className="questionnaire-item__question"
          aria-describedby={error ? errorId : undefined}
          {...marker}
        >
          <Fieldset.Legend className="questionnaire-item__legend">{label}</Fieldset.Legend>
          {error && <ValidationMessage id={errorId}>{error}</ValidationMessage>}
          <div className={['questionnaire-item__options', props.optionsClassName].filter(Boolean).join(' ')}>
            {item.options.map((option) => (
              <Checkbox
                key={option.code}
                value={option.code}
                label={option.display[language]}
                checked={selected.has(option.code)}
                aria-invalid={error ? true : undefined}
                onChange={(event) => {
                  const codes = new Set(selected);
                  if (event.target.checked) codes.add(option.code);
                  else codes.delete(option.code);
                  const chosen = item.options.filter((o) => codes.has(o.code)).map((o) => answerFor(o.code));
                  onChange(item.linkId, other ? [...chosen, other] : chosen);
                }}
              />
            ))}
          </div>
          {otherField}
        </Fieldset>
      );
    }
    case 'integer':
    case 'decimal': {
      const current = given[0];
      const value =
        current && 'valueInteger' in current
          ? String(current.valueInteger)
          : current && 'valueDecimal' in current
            ? String(current.valueDecimal)
            : current && 'valueString' in current
              ? current.valueString
              : '';
      return (
        <Textfield
          id={id}
          label={label}
          className="questionnaire-item__question"
          inputMode={item.type === 'integer' ? 'numeric' : 'decimal'}
          description={
            item.min !== undefined && item.max !== undefined
              ? t('survey.range', { min: item.min, max: item.max })
              : undefined
          }
          value={value}
          error={error}
          {...marker}
          onChange={(event) => {
            const raw = event.target.value.trim().replace(',', '.');
            if (raw === '') return onChange(item.linkId, []);
            const number = Number(raw);
            const valid = item.type === 'integer' ? /^-?\d+$/.test(raw) : /^-?\d+(\.\d+)?$/.test(raw);
            // Text that is not (yet) a number is kept as typed, so the server names the problem.
            onChange(
              item.linkId,
              valid
                ? [item.type === 'integer' ? { valueInteger: number } : { valueDecimal: number }]
                : [{ valueString: event.target.value }]
            );
          }}
        />
      );
    }
    case 'date':
    case 'string':
    case 'text': {
      const current = given[0];
      const value =
        current && 'valueDate' in current
          ? current.valueDate
          : current && 'valueString' in current
            ? current.valueString
            : '';
      const change = (next: string) =>
        onChange(
          item.linkId,
          next === '' ? [] : [item.type === 'date' ? { valueDate: next } : { valueString: next }]
        );
      return item.type === 'text' ? (
        <Textfield
          id={id}
          multiline
          rows={4}
          label={label}
          className="questionnaire-item__question"
          value={value}
          maxLength={item.maxLength}
          error={error}
          {...marker}
          onChange={(event) => change(event.target.value)}
        />
      ) : (
        <Textfield
          id={id}
          label={label}
          className="questionnaire-item__question"
          type={item.type === 'date' ? 'date' : 'text'}
          value={value}
          maxLength={item.maxLength}
          error={error}
          {...marker}
          onChange={(event) => change(event.target.value)}
        />
      );
    }
  }
}
