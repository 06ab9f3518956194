/**
 * The PHQ-9 form. The server scores and validates; the client only checks that every question has
 * an answer so it can point at the missing ones.
 *
 * Safety: as soon as item 9 has an answer above 0 the crisis panel is rendered from bundled data
 * (no request), and it stays while the answers stay. A submit that never reaches the server keeps
 * every answer and offers a retry with the same idempotency key, so a retry cannot store twice.
 * A note the server could not store (a NUL, broken Unicode) is caught here with the server's own
 * rule as it is typed; if the server refuses it anyway, the answers and the crisis panel stay and
 * the error is shown at the note, so the patient corrects it and sends again.
 */
import {
  Alert,
  Button,
  Fieldset,
  Heading,
  Paragraph,
  Radio,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_DIFFICULTY_QUESTION,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_INTRO,
  PHQ9_ITEM_COUNT,
  PHQ9_ITEMS,
  validatePhq9Answers,
  type AnswerOption,
} from '../../../domain/instruments/phq9.js';
import { textProblem } from '../../../domain/text/text-safety.js';
import { api, ApiError, NetworkError, newIdempotencyKey, type Phq9Result } from '../../api/client.js';
import { CrisisPanel } from '../../components/CrisisPanel.js';
import { describeError } from '../../components/errors.js';
import { formatDateTime } from '../../format.js';
import { severityLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { InstrumentAttribution } from './measures/MeasureParts.js';

type Answer = number | null;

const NOTE_MAX_LENGTH = 1000;

/** What is wrong with the note, if anything: too long, or text that cannot be stored. */
function noteProblemOf(note: string): 'tooLong' | 'invalidText' | null {
  if (textProblem(note)) return 'invalidText';
  return note.trim().length > NOTE_MAX_LENGTH ? 'tooLong' : null;
}

type SubmitState =
  | { kind: 'idle' }
  | { kind: 'submitting' }
  | { kind: 'network-error' }
  | { kind: 'server-error'; message: string }
  | { kind: 'done'; result: Phq9Result };

const ITEM_FIELD = /^items\[(\d+)\]$/;

function itemFieldsetId(index: number): string {
  return `phq9-item-${index + 1}`;
}
const DIFFICULTY_ID = 'phq9-difficulty';
const NOTE_ID = 'phq9-note';

export function Phq9Form({
  patientId,
  onSubmitted,
}: {
  patientId: string;
  onSubmitted: (result: Phq9Result) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [answers, setAnswers] = useState<Answer[]>(() => Array<Answer>(PHQ9_ITEM_COUNT).fill(null));
  const [difficulty, setDifficulty] = useState<Answer>(null);
  const [note, setNote] = useState('');
  /** Shown at once for text that cannot be stored; a too long note only after a submit attempt. */
  const [noteProblem, setNoteProblem] = useState<'tooLong' | 'invalidText' | null>(null);
  /** Field name (`items[3]`, `difficulty`) → shown after a submit attempt. */
  const [fieldErrors, setFieldErrors] = useState<ReadonlySet<string>>(new Set());
  const [submit, setSubmit] = useState<SubmitState>({ kind: 'idle' });
  const idempotencyKey = useRef<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const resultHeadingRef = useRef<HTMLHeadingElement>(null);
  const [focusSummary, setFocusSummary] = useState(0);

  const anyPositive = answers.some((answer) => answer !== null && answer > 0);
  const item9Positive = (answers[PHQ9_ITEM_COUNT - 1] ?? 0) > 0;

  useEffect(() => {
    if (focusSummary > 0) summaryRef.current?.focus();
  }, [focusSummary]);

  useEffect(() => {
    if (submit.kind === 'done') resultHeadingRef.current?.focus();
  }, [submit.kind]);

  function answersChanged() {
    // Different answers are a different submission: they get a new idempotency key.
    idempotencyKey.current = null;
  }

  function setItem(index: number, score: number) {
    setAnswers((previous) => previous.map((answer, i) => (i === index ? score : answer)));
    answersChanged();
    clearFieldError(`items[${index}]`);
  }

  function setDifficultyAnswer(score: number) {
    setDifficulty(score);
    answersChanged();
    clearFieldError('difficulty');
  }

  function clearFieldError(field: string) {
    setFieldErrors((previous) => {
      if (!previous.has(field)) return previous;
      const next = new Set(previous);
      next.delete(field);
      return next;
    });
  }

  async function send() {
    const payload = { items: answers, difficulty: anyPositive ? difficulty : null };
    const problems = validatePhq9Answers(payload).map((problem) => problem.field);
    const trimmedNote = note.trim();
    const noteIssue = noteProblemOf(note);
    setNoteProblem(noteIssue);
    if (noteIssue) problems.push('note');
    if (problems.length > 0) {
      setFieldErrors(new Set(problems));
      setFocusSummary((n) => n + 1);
      return;
    }
    setFieldErrors(new Set());
    idempotencyKey.current ??= newIdempotencyKey();
    setSubmit({ kind: 'submitting' });
    try {
      const result = await api.submitPhq9(
        patientId,
        {
          items: answers.map((answer) => answer ?? 0),
          difficulty: payload.difficulty,
          ...(trimmedNote ? { note: trimmedNote } : {}),
        },
        idempotencyKey.current
      );
      idempotencyKey.current = null;
      setSubmit({ kind: 'done', result });
      onSubmitted(result);
    } catch (error) {
      if (error instanceof NetworkError) {
        setSubmit({ kind: 'network-error' });
        return;
      }
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setFieldErrors(new Set(error.fieldErrors.map((problem) => problem.field)));
        // The server refused the note (the whole submission, so nothing was half-stored): every
        // answer stays, and the note says why.
        if (error.fieldErrors.some((problem) => problem.field === 'note')) {
          setNoteProblem(noteProblemOf(note) ?? 'invalidText');
        }
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
    setAnswers(Array<Answer>(PHQ9_ITEM_COUNT).fill(null));
    setDifficulty(null);
    setNote('');
    setNoteProblem(null);
    setFieldErrors(new Set());
    idempotencyKey.current = null;
    setSubmit({ kind: 'idle' });
  }

  if (submit.kind === 'done') {
    const { response, item9Positive: positive } = submit.result;
    return (
      <div className="stack-md">
        <Alert data-color="success" className="phq9-result" data-testid="phq9-result">
          <Heading level={3} data-size="xs" ref={resultHeadingRef} tabIndex={-1}>
            {t('phq9.resultHeading')}
          </Heading>
          <dl className="phq9-result__facts">
            <div>
              <dt>{t('phq9.scoreLabel')}</dt>
              <dd data-testid="phq9-result-score">{t('phq9.scoreValue', { score: response.totalScore })}</dd>
            </div>
            <div>
              <dt>{t('phq9.severityLabel')}</dt>
              <dd data-testid="phq9-result-severity">{severityLabel(t, response.severity)}</dd>
            </div>
            <div>
              <dt>{t('phq9.answeredAtLabel')}</dt>
              <dd>{formatDateTime(response.answeredAt, language)}</dd>
            </div>
          </dl>
          <Paragraph>{t('phq9.resultExplanation')}</Paragraph>
        </Alert>
        {positive && <CrisisPanel headingLevel={3} />}
        <div>
          <Button type="button" variant="secondary" onClick={reset}>
            {t('phq9.fillAgain')}
          </Button>
        </div>
      </div>
    );
  }

  const missing = [...fieldErrors].filter(
    (field) => ITEM_FIELD.test(field) || field === 'difficulty' || field === 'note'
  );
  return (
    <form className="phq9-form" onSubmit={onSubmit} noValidate>
      {missing.length > 0 && (
        <div ref={summaryRef} tabIndex={-1} className="phq9-summary">
          <Alert data-color="danger">
            <Heading level={3} data-size="2xs">
              {t('phq9.missingHeading')}
            </Heading>
            <ul className="phq9-summary__list">
              {missing.map((field) => {
                const match = ITEM_FIELD.exec(field);
                const index = match ? Number(match[1]) : null;
                const target =
                  index !== null ? itemFieldsetId(index) : field === 'note' ? NOTE_ID : DIFFICULTY_ID;
                const text =
                  index !== null
                    ? t('phq9.missingItem', { number: index + 1 })
                    : field === 'note'
                      ? t(noteProblem === 'invalidText' ? 'phq9.missingNoteInvalid' : 'phq9.missingNote')
                      : t('phq9.missingDifficulty');
                return (
                  <li key={field}>
                    <a
                      href={`#${target}`}
                      className="ds-link"
                      onClick={(event) => focusFieldset(event, target)}
                    >
                      {text}
                    </a>
                  </li>
                );
              })}
            </ul>
          </Alert>
        </div>
      )}

      <Paragraph id="phq9-intro" className="phq9-form__intro">
        <strong>{PHQ9_INTRO[language]}</strong>
      </Paragraph>
      <Paragraph data-size="sm">{t('phq9.required')}</Paragraph>

      {PHQ9_ITEMS.map((item, index) => (
        <div key={item.linkId} className="phq9-form__item">
          <AnswerGroup
            id={itemFieldsetId(index)}
            name={item.linkId}
            legend={t('phq9.itemLegend', { number: index + 1, text: item.text[language] })}
            options={PHQ9_FREQUENCY_OPTIONS}
            value={answers[index] ?? null}
            invalid={fieldErrors.has(`items[${index}]`)}
            onChange={(score) => setItem(index, score)}
          />
          {index === PHQ9_ITEM_COUNT - 1 && item9Positive && <CrisisPanel headingLevel={3} />}
        </div>
      ))}

      {anyPositive && (
        <div className="phq9-form__item">
          <AnswerGroup
            id={DIFFICULTY_ID}
            name="phq9-difficulty"
            legend={t('phq9.difficultyLegend', { text: PHQ9_DIFFICULTY_QUESTION[language] })}
            options={PHQ9_DIFFICULTY_OPTIONS}
            value={difficulty}
            invalid={fieldErrors.has('difficulty')}
            onChange={setDifficultyAnswer}
          />
        </div>
      )}

      <div className="phq9-form__item" id={NOTE_ID}>
        <Textfield
          multiline
          rows={3}
          label={t('phq9.noteLabel')}
          description={t('phq9.noteDescription')}
          name="note"
          value={note}
          error={
            noteProblem === 'invalidText'
              ? t('phq9.noteInvalidText')
              : fieldErrors.has('note')
                ? t('phq9.noteTooLong')
                : undefined
          }
          counter={{
            limit: NOTE_MAX_LENGTH,
            under: t('phq9.noteCounterUnder'),
            over: t('phq9.noteCounterOver'),
          }}
          onChange={(event) => {
            const value = event.target.value;
            setNote(value);
            answersChanged();
            // Text that cannot be stored is flagged as it is typed or pasted, before any send.
            const issue = noteProblemOf(value);
            setNoteProblem(issue === 'invalidText' ? issue : null);
            if (issue !== 'invalidText') clearFieldError('note');
          }}
        />
      </div>

      {submit.kind === 'network-error' && (
        <Alert data-color="danger" role="alert" className="stack-sm" data-testid="phq9-network-error">
          <Heading level={3} data-size="2xs">
            {t('phq9.networkErrorHeading')}
          </Heading>
          <Paragraph>{t('phq9.networkError')}</Paragraph>
          <Button type="button" variant="secondary" onClick={() => void send()}>
            {t('phq9.retry')}
          </Button>
        </Alert>
      )}
      {submit.kind === 'server-error' && (
        <Alert data-color="danger" role="alert">
          <Heading level={3} data-size="2xs">
            {t('phq9.serverErrorHeading')}
          </Heading>
          <Paragraph>{submit.message}</Paragraph>
        </Alert>
      )}

      <div className="phq9-form__actions">
        <Button type="submit" data-color="accent" loading={submit.kind === 'submitting'}>
          {submit.kind === 'submitting' ? t('phq9.submitting') : t('phq9.submit')}
        </Button>
      </div>
      <InstrumentAttribution instrument="phq9" />
    </form>
  );
}

function focusFieldset(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const fieldset = document.getElementById(id);
  const input = fieldset?.querySelector<HTMLInputElement | HTMLTextAreaElement>(
    'input:checked, input, textarea'
  );
  if (!fieldset || !input) return;
  event.preventDefault();
  fieldset.scrollIntoView({ block: 'start' });
  input.focus({ preventScroll: true });
}

function AnswerGroup(props: {
  id: string;
  name: string;
  legend: string;
  options: readonly AnswerOption[];
  value: number | null;
  invalid: boolean;
  onChange: (score: number) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const errorId = `${props.id}-error`;
  return (
    <Fieldset id={props.id} className="answer-group" aria-describedby={props.invalid ? errorId : undefined}>
      <Fieldset.Legend className="answer-group__legend">{props.legend}</Fieldset.Legend>
      {props.invalid && <ValidationMessage id={errorId}>{t('phq9.chooseAnswer')}</ValidationMessage>}
      <div className="answer-group__options">
        {props.options.map((option) => (
          <Radio
            key={option.loinc}
            name={props.name}
            value={String(option.score)}
            label={option.text[language]}
            checked={props.value === option.score}
            aria-invalid={props.invalid || undefined}
            onChange={() => props.onChange(option.score)}
          />
        ))}
      </div>
    </Fieldset>
  );
}
