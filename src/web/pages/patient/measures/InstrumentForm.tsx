/**
 * One form for every instrument (PHQ-9, GAD-7, WSAS), driven by its definition in
 * domain/instruments: the items of its published FHIR Questionnaire (questionnaires.ts, read as
 * domain/instruments/form-items.ts gives them), drawn by the renderer the surveys use
 * (components/questionnaire/ChoiceItem.tsx, the single-answer part of QuestionnaireItem), the answers kept
 * here as score strings and mapped to and from the FHIR answers by domain/instruments/
 * form-answers.ts; the items come under the intro, with the
 * "not answered yet" summary, the submit with an idempotency key and a retry, the error boxes.
 * What differs between instruments comes in through small slots: questions before the items (WSAS
 * work status), something after an item (PHQ-9's crisis panel after item 9), questions after the
 * items (PHQ-9's item 10 and note to the GP), each with the summary entries they can add.
 *
 * The server scores and validates; the form only checks that every question has an answer (the
 * instrument's `validate`) so it can point at the missing ones. A question flagged at a submit
 * attempt stays flagged until it is answered; one that loses its answer after a failed attempt
 * (the WSAS work item when "not applicable" no longer fits the work status) is flagged at once.
 * An idempotency key lives as long as the answers are unchanged: a retry after a lost connection
 * cannot store the same answers twice. Fields the server refuses are flagged like missing ones.
 *
 * The result is the page's own (useInstrumentForm's `submit.kind === 'done'`), since where it
 * goes and what it says differ: PHQ-9 shows severity and the crisis panel, the measures a band.
 */
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type FormEvent, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  answersToFormValue,
  formValueToAnswers,
  type InstrumentFormValue,
} from '../../../../domain/instruments/form-answers.js';
import type { AnswerOption, InstrumentItem } from '../../../../domain/instruments/phq9.js';
import type { FlatItem } from '../../../../domain/surveys/items.js';
import { ApiError, NetworkError, newIdempotencyKey } from '../../../api/client.js';
import type { Choice } from '../../../components/ChoiceGroup.js';
import { ChoiceItem, type ItemChoice } from '../../../components/questionnaire/ChoiceItem.js';
import { describeError } from '../../../components/errors.js';
import type { Language } from '../../../i18n/index.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import './InstrumentForm.css';

/** An item's answer: the value of the chosen choice (a score, or e.g. "not-applicable"), or none yet. */
export type ItemAnswer = InstrumentFormValue;

export type SubmitState<R> =
  | { kind: 'idle' }
  | { kind: 'submitting' }
  | { kind: 'network-error' }
  | { kind: 'server-error'; message: string }
  | { kind: 'done'; result: R };

/** The field name of item `index` (0-based), as the server and the domain validators name it. */
export function itemField(index: number): string {
  return `items[${index}]`;
}

/** The fields of the items that have no answer yet. */
export function unansweredItems(answers: readonly ItemAnswer[]): string[] {
  return answers.flatMap((answer, index) => (answer === null ? [itemField(index)] : []));
}

/** The form item `linkId`; a definition without it is a programming error. */
function formItem(items: ReadonlyMap<string, FlatItem>, linkId: string): FlatItem {
  const item = items.get(linkId);
  if (!item) throw new Error(`The instrument has no form item ${linkId}`);
  return item;
}

/** Radio choices with score values (WSAS's scale) as the shared renderer's choices with FHIR answers. */
export function itemChoicesOf(choices: readonly Choice[], options?: readonly AnswerOption[]): ItemChoice[] {
  return choices.flatMap((choice) =>
    formValueToAnswers(choice.value, options).map((answer) => ({
      code: choice.value,
      label: choice.label,
      answer,
    }))
  );
}

export function useInstrumentForm<R>(options: {
  itemCount: number;
  /** Fields without a valid answer (`items[3]`, `difficulty`, …); empty when the form may be sent. */
  validate: (answers: readonly ItemAnswer[]) => string[];
  send: (answers: readonly ItemAnswer[], idempotencyKey: string) => Promise<R>;
  onSubmitted?: (result: R) => void;
  /** The server refused these fields (the whole submission: nothing was stored). */
  onFieldErrors?: (fields: readonly string[]) => void;
}) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<ItemAnswer[]>(() => Array<ItemAnswer>(options.itemCount).fill(null));
  /** Fields shown as missing or refused, since a submit attempt. */
  const [flagged, setFlagged] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const [submit, setSubmit] = useState<SubmitState<R>>({ kind: 'idle' });
  const [focusSummary, setFocusSummary] = useState(0);
  const idempotencyKey = useRef<string | null>(null);

  function flag(field: string, on: boolean) {
    setFlagged((previous) => {
      if (previous.has(field) === on) return previous;
      const next = new Set(previous);
      if (on) next.add(field);
      else next.delete(field);
      return next;
    });
  }

  /** Something was answered or typed: a later submission is a different one (a new key). */
  function changed(field?: string) {
    idempotencyKey.current = null;
    if (field) flag(field, false);
  }

  function setItem(index: number, answer: ItemAnswer) {
    setAnswers((previous) => previous.map((a, i) => (i === index ? answer : a)));
    idempotencyKey.current = null;
    flag(itemField(index), answer === null && attempted);
  }

  async function send() {
    const problems = options.validate(answers);
    if (problems.length > 0) {
      setFlagged(new Set(problems));
      setAttempted(true);
      setFocusSummary((n) => n + 1);
      return;
    }
    setFlagged(new Set());
    idempotencyKey.current ??= newIdempotencyKey();
    setSubmit({ kind: 'submitting' });
    try {
      const result = await options.send(answers, idempotencyKey.current);
      idempotencyKey.current = null;
      setSubmit({ kind: 'done', result });
      options.onSubmitted?.(result);
    } catch (error) {
      if (error instanceof NetworkError) {
        setSubmit({ kind: 'network-error' });
        return;
      }
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        const fields = error.fieldErrors.map((problem) => problem.field);
        setFlagged(new Set(fields));
        options.onFieldErrors?.(fields);
        setFocusSummary((n) => n + 1);
      }
      setSubmit({ kind: 'server-error', message: describeError(t, error) });
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submit.kind === 'submitting') return;
    void send();
  }

  function reset() {
    setAnswers(Array<ItemAnswer>(options.itemCount).fill(null));
    setFlagged(new Set());
    setAttempted(false);
    idempotencyKey.current = null;
    setSubmit({ kind: 'idle' });
  }

  return {
    answers,
    setItem,
    changed,
    isFlagged: (field: string) => flagged.has(field),
    submit,
    send,
    onSubmit,
    reset,
    focusSummary,
  };
}

export type InstrumentFormState<R> = ReturnType<typeof useInstrumentForm<R>>;

/** A question of the summary: its field, the id of the element a link goes to, the link text. */
export interface SummaryEntry {
  field: string;
  id: string;
  text: string;
}

/** Questions of the instrument's own, with what they can add to the summary. */
export interface FormSlot {
  content: ReactNode;
  fields?: readonly SummaryEntry[];
}

export function InstrumentForm<R>(props: {
  form: InstrumentFormState<R>;
  /**
   * From domain/instruments: the items as the shared renderer takes them, equal to the published
   * Questionnaire's (form-items.ts; their texts and answer options), the items in order (linkIds),
   * the intro, and the answer options that map a score to the Questionnaire's answer coding (none
   * for integer items).
   */
  definition: {
    formItems: ReadonlyMap<string, FlatItem>;
    items: readonly InstrumentItem[];
    intro: Readonly<Record<Language, string>>;
    options?: readonly AnswerOption[];
  };
  /** Item fieldsets get the ids `${idPrefix}-item-1`, … (the summary links to them). */
  idPrefix: string;
  /** 3 inside a page section (PHQ-9 on the home and module pages), 2 on a page of its own. */
  headingLevel: 2 | 3;
  /** `${testIdPrefix}-network-error` on the lost-connection box. */
  testIdPrefix: string;
  summaryTestId?: string;
  ariaLabel?: string;
  introId?: string;
  /** A line under the intro (the WSAS scale). */
  introHelp?: string;
  /** The radio choices of item `index` (values are scores), when they are not the Questionnaire's options. */
  choices?: (index: number) => Choice[];
  optionsClassName?: (index: number) => string | undefined;
  missingItemText?: (index: number) => string;
  /** Questions before the intro and the items (the required note then comes first). */
  before?: FormSlot;
  /** Shown inside item `index`'s block, under its answers. */
  afterItem?: (index: number) => ReactNode;
  /** Questions after the items. */
  after?: FormSlot;
  /** Under the submit button. */
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { form, definition } = props;
  const itemId = (index: number) => `${props.idPrefix}-item-${index + 1}`;
  const missingItemText =
    props.missingItemText ?? ((index: number) => t('phq9.missingItem', { number: index + 1 }));

  const entries: SummaryEntry[] = [
    ...(props.before?.fields ?? []),
    ...definition.items.map((_, index) => ({
      field: itemField(index),
      id: itemId(index),
      text: missingItemText(index),
    })),
    ...(props.after?.fields ?? []),
  ];
  const missing = entries.filter((entry) => form.isFlagged(entry.field));

  const required = <Paragraph data-size="sm">{t('phq9.required')}</Paragraph>;
  const intro = (
    <Paragraph id={props.introId} className="phq9-form__intro">
      <strong>{definition.intro[language]}</strong>
    </Paragraph>
  );

  return (
    <form className="phq9-form" onSubmit={form.onSubmit} noValidate aria-label={props.ariaLabel}>
      <MissingSummary
        entries={missing}
        focusSignal={form.focusSummary}
        headingLevel={props.headingLevel}
        testId={props.summaryTestId}
      />
      {props.before ? (
        <>
          {required}
          {props.before.content}
          {intro}
        </>
      ) : (
        <>
          {intro}
          {required}
        </>
      )}
      {props.introHelp && <Paragraph data-size="sm">{props.introHelp}</Paragraph>}

      {definition.items.map((definitionItem, index) => {
        const item = formItem(definition.formItems, definitionItem.linkId);
        const choices = props.choices?.(index);
        return (
          <div key={item.linkId} className="phq9-form__item">
            <ChoiceItem
              item={item}
              id={itemId(index)}
              name={item.linkId}
              language={language}
              label={t('phq9.itemLegend', { number: index + 1, text: item.text[language] })}
              answers={formValueToAnswers(form.answers[index] ?? null, definition.options)}
              choices={choices && itemChoicesOf(choices, definition.options)}
              error={form.isFlagged(itemField(index)) ? t('phq9.chooseAnswer') : null}
              onChange={(_, answers) => form.setItem(index, answersToFormValue(answers, definition.options))}
              optionsClassName={props.optionsClassName?.(index)}
            />
            {props.afterItem?.(index)}
          </div>
        );
      })}

      {props.after?.content}

      <SubmitErrors
        state={form.submit}
        onRetry={() => void form.send()}
        headingLevel={props.headingLevel}
        testIdPrefix={props.testIdPrefix}
      />
      <div className="phq9-form__actions">
        <Button type="submit" data-color="accent" loading={form.submit.kind === 'submitting'}>
          {form.submit.kind === 'submitting' ? t('phq9.submitting') : t('phq9.submit')}
        </Button>
      </div>
      {props.footer}
    </form>
  );
}

/** The "not answered yet" box: a link per question, focused after each failed attempt. */
function MissingSummary({
  entries,
  focusSignal,
  headingLevel,
  testId,
}: {
  entries: readonly SummaryEntry[];
  focusSignal: number;
  headingLevel: 2 | 3;
  testId?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusSignal > 0) ref.current?.focus();
  }, [focusSignal]);
  if (entries.length === 0) return null;
  return (
    <div ref={ref} tabIndex={-1} className="phq9-summary" data-testid={testId}>
      <Alert data-color="danger">
        <Heading level={headingLevel} data-size="2xs">
          {t('phq9.missingHeading')}
        </Heading>
        <ul className="phq9-summary__list">
          {entries.map((entry) => (
            <li key={entry.field}>
              <a
                href={`#${entry.id}`}
                className="ds-link"
                onClick={(event) => focusQuestion(event, entry.id)}
              >
                {entry.text}
              </a>
            </li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}

/** Moves to the question's chosen answer (or first answer, or text field) without a jump. */
function focusQuestion(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const question = document.getElementById(id);
  const input = question?.querySelector<HTMLInputElement | HTMLTextAreaElement>(
    'input:checked, input, textarea'
  );
  if (!question || !input) return;
  event.preventDefault();
  question.scrollIntoView({ block: 'start' });
  input.focus({ preventScroll: true });
}

/** The last attempt's failure: the answers are kept; after a lost connection, a retry. */
function SubmitErrors<R>({
  state,
  onRetry,
  headingLevel,
  testIdPrefix,
}: {
  state: SubmitState<R>;
  onRetry: () => void;
  headingLevel: 2 | 3;
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  if (state.kind === 'network-error')
    return (
      <Alert
        data-color="danger"
        role="alert"
        className="stack-sm"
        data-testid={`${testIdPrefix}-network-error`}
      >
        <Heading level={headingLevel} data-size="2xs">
          {t('phq9.networkErrorHeading')}
        </Heading>
        <Paragraph>{t('phq9.networkError')}</Paragraph>
        <Button type="button" variant="secondary" onClick={onRetry}>
          {t('phq9.retry')}
        </Button>
      </Alert>
    );
  if (state.kind === 'server-error')
    return (
      <Alert data-color="danger" role="alert">
        <Heading level={headingLevel} data-size="2xs">
          {t('phq9.serverErrorHeading')}
        </Heading>
        <Paragraph>{state.message}</Paragraph>
      </Alert>
    );
  return null;
}
