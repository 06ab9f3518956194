/**
 * Renders the platform's FHIR R4 Questionnaire subset (src/domain/surveys/items.ts) on
 * Designsystemet: groups as fieldsets with a heading, display items as text, choice as radios (or
 * checkboxes when the item repeats), open-choice with an "other" text field, integer, decimal,
 * date, string and text as labelled fields, boolean as yes/no radios.
 *
 * Branching is the domain's `enabledLinkIds`: an item whose enableWhen does not hold is not shown,
 * and its answer is not sent (the server drops and refuses answers to disabled items the same way).
 * The component is controlled: answers and the per-item error messages come from the page.
 *
 * Why our own renderer and not @helsenorge/refero: see docs/surveys/questionnaires.md (the
 * measurement: refero's bundle and its Redux + Helsenorge design-system peers against the
 * respondent page's 200 KB budget and Designsystemet).
 */
import {
  Checkbox,
  Fieldset,
  Heading,
  Paragraph,
  Radio,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  enabledLinkIds,
  flattenItems,
  type FlatItem,
  type SurveyAnswer,
  type SurveyAnswers,
  type SurveyLanguage,
} from '../../../domain/surveys/items.js';
import './QuestionnaireForm.css';

export interface QuestionnaireFormProps {
  questionnaire: Questionnaire;
  answers: SurveyAnswers;
  language: SurveyLanguage;
  /** A message per linkId, shown at the item (and linked to it for screen readers). */
  errors?: Readonly<Record<string, string>>;
  onChange: (linkId: string, answers: readonly SurveyAnswer[]) => void;
  /** Prefix for element ids, so two forms can share a page. */
  idPrefix?: string;
}

/** The id of an item's input or fieldset (the error summary links to it). */
export function questionnaireFieldId(linkId: string, idPrefix = 'q'): string {
  return `${idPrefix}-${linkId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const codingOf = (answer: SurveyAnswer | undefined) =>
  answer !== undefined && 'valueCoding' in answer ? answer.valueCoding.code : undefined;

export function QuestionnaireForm(props: QuestionnaireFormProps) {
  const { questionnaire, answers } = props;
  const items = useMemo(() => flattenItems(questionnaire), [questionnaire]);
  const byLinkId = useMemo(() => new Map(items.map((item) => [item.linkId, item])), [items]);
  const enabled = useMemo(() => enabledLinkIds(items, answers), [items, answers]);

  const renderItems = (list: readonly QuestionnaireItem[] | undefined, depth: number): ReactNode =>
    (list ?? []).map((raw) => {
      const item = byLinkId.get(raw.linkId);
      if (!item || !enabled.has(item.linkId)) return null;
      return (
        <ItemView key={item.linkId} item={item} depth={depth} form={props}>
          {renderItems(raw.item, depth + 1)}
        </ItemView>
      );
    });

  return <div className="questionnaire-form">{renderItems(questionnaire.item, 0)}</div>;
}

function ItemView({
  item,
  depth,
  form,
  children,
}: {
  item: FlatItem;
  depth: number;
  form: QuestionnaireFormProps;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { language, answers, onChange } = form;
  const id = questionnaireFieldId(item.linkId, form.idPrefix);
  const text = item.text[language];
  const error = form.errors?.[item.linkId];
  const given = answers[item.linkId] ?? [];
  const label = (
    <>
      {text}
      {item.required && <span className="questionnaire-form__required"> ({t('survey.required')})</span>}
    </>
  );

  switch (item.type) {
    case 'group':
      return (
        <section className="questionnaire-form__group" aria-labelledby={`${id}-heading`} id={id}>
          {text && (
            <Heading level={depth === 0 ? 2 : 3} data-size={depth === 0 ? 'xs' : '2xs'} id={`${id}-heading`}>
              {text}
            </Heading>
          )}
          {children}
        </section>
      );
    case 'display':
      return (
        <Paragraph id={id} className="questionnaire-form__display">
          {text}
        </Paragraph>
      );
    case 'boolean':
    case 'choice':
    case 'open-choice': {
      const options =
        item.type === 'boolean'
          ? [
              { code: 'true', label: t('survey.yes') },
              { code: 'false', label: t('survey.no') },
            ]
          : item.options.map((option) => ({ code: option.code, label: option.display[language] }));
      const selected = new Set(
        given.map((answer) =>
          'valueBoolean' in answer ? String(answer.valueBoolean) : (codingOf(answer) ?? '')
        )
      );
      const other = given.find((answer): answer is { valueString: string } => 'valueString' in answer);
      const answerFor = (code: string): SurveyAnswer => {
        if (item.type === 'boolean') return { valueBoolean: code === 'true' };
        const option = item.options.find((o) => o.code === code);
        return { valueCoding: { code, ...(option?.system === undefined ? {} : { system: option.system }) } };
      };
      const errorId = `${id}-error`;
      return (
        <Fieldset
          id={id}
          className="questionnaire-form__question"
          aria-describedby={error ? errorId : undefined}
        >
          <Fieldset.Legend className="questionnaire-form__legend">{label}</Fieldset.Legend>
          {error && <ValidationMessage id={errorId}>{error}</ValidationMessage>}
          <div className="questionnaire-form__options">
            {options.map((option) =>
              item.repeats ? (
                <Checkbox
                  key={option.code}
                  value={option.code}
                  label={option.label}
                  checked={selected.has(option.code)}
                  aria-invalid={error ? true : undefined}
                  onChange={(event) => {
                    const codes = new Set(selected);
                    if (event.target.checked) codes.add(option.code);
                    else codes.delete(option.code);
                    const chosen = item.options
                      .filter((o) => codes.has(o.code))
                      .map((o) => answerFor(o.code));
                    onChange(item.linkId, other ? [...chosen, other] : chosen);
                  }}
                />
              ) : (
                <Radio
                  key={option.code}
                  name={id}
                  value={option.code}
                  label={option.label}
                  checked={selected.has(option.code)}
                  aria-invalid={error ? true : undefined}
                  onChange={() => onChange(item.linkId, [answerFor(option.code)])}
                />
              )
            )}
          </div>
          {item.type === 'open-choice' && (
            <Textfield
              label={t('survey.other')}
              className="questionnaire-form__other"
              value={other?.valueString ?? ''}
              maxLength={item.maxLength}
              onChange={(event) => {
                const value = event.target.value;
                const codings = item.repeats ? given.filter((answer) => 'valueCoding' in answer) : [];
                onChange(item.linkId, value === '' ? codings : [...codings, { valueString: value }]);
              }}
            />
          )}
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
          className="questionnaire-form__question"
          inputMode={item.type === 'integer' ? 'numeric' : 'decimal'}
          description={
            item.min !== undefined && item.max !== undefined
              ? t('survey.range', { min: item.min, max: item.max })
              : undefined
          }
          value={value}
          error={error}
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
          className="questionnaire-form__question"
          value={value}
          maxLength={item.maxLength}
          error={error}
          onChange={(event) => change(event.target.value)}
        />
      ) : (
        <Textfield
          id={id}
          label={label}
          className="questionnaire-form__question"
          type={item.type === 'date' ? 'date' : 'text'}
          value={value}
          maxLength={item.maxLength}
          error={error}
          onChange={(event) => change(event.target.value)}
        />
      );
    }
  }
}
