/**
 * Renders a whole FHIR R4 Questionnaire of the platform's subset (src/domain/surveys/items.ts):
 * the study surveys. Each item is drawn by QuestionnaireItem.tsx, the renderer the patient's
 * clinical instruments (PHQ-9, GAD-7, WSAS) use too; this component adds the nesting and branching.
 *
 * Branching is the domain's `enabledLinkIds`: an item whose enableWhen does not hold is not shown,
 * and its answer is not sent (the server drops and refuses answers to disabled items the same way).
 * The component is controlled: answers and the per-item error messages come from the page.
 *
 * Why our own renderer and not @helsenorge/refero: see docs/surveys/questionnaires.md (the
 * measurement: refero's bundle and its Redux + Helsenorge design-system peers against the
 * respondent page's 200 KB budget and Designsystemet).
 */
import type { Questionnaire, QuestionnaireItem as FhirItem } from 'fhir/r4.js';
import { useMemo, type ReactNode } from 'react';
import {
  enabledLinkIds,
  flattenItems,
  type SurveyAnswer,
  type SurveyAnswers,
  type SurveyLanguage,
} from '../../../domain/surveys/items.js';
import { QuestionnaireItem } from './QuestionnaireItem.js';
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

export function QuestionnaireForm(props: QuestionnaireFormProps) {
  const { questionnaire, answers } = props;
  const items = useMemo(() => flattenItems(questionnaire), [questionnaire]);
  const byLinkId = useMemo(() => new Map(items.map((item) => [item.linkId, item])), [items]);
  const enabled = useMemo(() => enabledLinkIds(items, answers), [items, answers]);

  const renderItems = (list: readonly FhirItem[] | undefined, depth: number): ReactNode =>
    (list ?? []).map((raw) => {
      const item = byLinkId.get(raw.linkId);
      if (!item || !enabled.has(item.linkId)) return null;
      return (
        <QuestionnaireItem
          key={item.linkId}
          item={item}
          depth={depth}
          id={questionnaireFieldId(item.linkId, props.idPrefix)}
          language={props.language}
          answers={answers[item.linkId] ?? []}
          error={props.errors?.[item.linkId]}
          onChange={props.onChange}
        >
          {renderItems(raw.item, depth + 1)}
        </QuestionnaireItem>
      );
    });

  return <div className="questionnaire-form">{renderItems(questionnaire.item, 0)}</div>;
}
