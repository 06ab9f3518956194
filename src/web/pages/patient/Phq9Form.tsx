/**
 * The PHQ-9 form: the generic instrument form (measures/InstrumentForm.tsx) with what only the
 * PHQ-9 has. Item 10 (difficulty) is asked only when some item is above 0; a note to the GP is
 * optional.
 *
 * Safety: as soon as item 9 has an answer above 0 the crisis panel is rendered from bundled data
 * (no request), and it stays while the answers stay. A submit that never reaches the server keeps
 * every answer and offers a retry with the same idempotency key, so a retry cannot store twice.
 * A note the server could not store (a NUL, broken Unicode) is caught here with the server's own
 * rule as it is typed; if the server refuses it anyway, the answers and the crisis panel stay and
 * the error is shown at the note, so the patient corrects it and sends again.
 */
import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_DIFFICULTY_QUESTION,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_INTRO,
  PHQ9_ITEM_COUNT,
  PHQ9_ITEMS,
  validatePhq9Answers,
} from '../../../domain/instruments/phq9.js';
import { answersToFormValue, formValueToAnswers } from '../../../domain/instruments/form-answers.js';
import { PHQ9_DIFFICULTY_FORM_ITEM, PHQ9_FORM_ITEMS } from '../../../domain/instruments/form-items.js';
import { textProblem } from '../../../domain/text/text-safety.js';
import { api, type Phq9Result } from '../../api/client.js';
import { ChoiceItem } from '../../components/questionnaire/ChoiceItem.js';
import { CrisisPanel } from '../../components/CrisisPanel.js';
import { formatDateTime } from '../../format.js';
import { severityLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { InstrumentForm, useInstrumentForm, type ItemAnswer } from './measures/InstrumentForm.js';
import { InstrumentAttribution } from './measures/MeasureParts.js';
import './measures/MeasureParts.css';

const NOTE_MAX_LENGTH = 1000;
const DIFFICULTY_ID = 'phq9-difficulty';
const NOTE_ID = 'phq9-note';

type NoteProblem = 'tooLong' | 'invalidText' | null;

/** What is wrong with the note, if anything: too long, or text that cannot be stored. */
function noteProblemOf(note: string): NoteProblem {
  if (textProblem(note)) return 'invalidText';
  return note.trim().length > NOTE_MAX_LENGTH ? 'tooLong' : null;
}

const scoresOf = (answers: readonly ItemAnswer[]) =>
  answers.map((answer) => (answer === null ? null : Number(answer)));
const anyAbove0 = (answers: readonly ItemAnswer[]) =>
  scoresOf(answers).some((score) => score !== null && score > 0);

export function Phq9Form({
  patientId,
  onSubmitted,
}: {
  patientId: string;
  onSubmitted: (result: Phq9Result) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [difficulty, setDifficulty] = useState<number | null>(null);
  const [note, setNote] = useState('');
  /** Shown at once for text that cannot be stored; a too long note only after a submit attempt. */
  const [noteProblem, setNoteProblem] = useState<NoteProblem>(null);

  const form = useInstrumentForm<Phq9Result>({
    itemCount: PHQ9_ITEM_COUNT,
    validate: (answers) => {
      const items = scoresOf(answers);
      const payload = { items, difficulty: anyAbove0(answers) ? difficulty : null };
      const problems = validatePhq9Answers(payload).map((problem) => problem.field);
      const noteIssue = noteProblemOf(note);
      setNoteProblem(noteIssue);
      if (noteIssue) problems.push('note');
      return problems;
    },
    send: (answers, key) => {
      const trimmedNote = note.trim();
      return api.submitPhq9(
        patientId,
        {
          items: answers.map((answer) => Number(answer ?? 0)),
          difficulty: anyAbove0(answers) ? difficulty : null,
          ...(trimmedNote ? { note: trimmedNote } : {}),
        },
        key
      );
    },
    onSubmitted,
    // The server refused the note (the whole submission, so nothing was half-stored): every
    // answer stays, and the note says why.
    onFieldErrors: (fields) => {
      if (fields.includes('note')) setNoteProblem(noteProblemOf(note) ?? 'invalidText');
    },
  });

  const anyPositive = anyAbove0(form.answers);
  const item9Positive = Number(form.answers[PHQ9_ITEM_COUNT - 1] ?? 0) > 0;

  if (form.submit.kind === 'done') {
    return (
      <Phq9ResultView
        result={form.submit.result}
        onFillAgain={() => {
          form.reset();
          setDifficulty(null);
          setNote('');
          setNoteProblem(null);
        }}
      />
    );
  }

  return (
    <InstrumentForm
      form={form}
      definition={{
        formItems: PHQ9_FORM_ITEMS,
        items: PHQ9_ITEMS,
        intro: PHQ9_INTRO,
        options: PHQ9_FREQUENCY_OPTIONS,
      }}
      idPrefix="phq9"
      introId="phq9-intro"
      headingLevel={3}
      testIdPrefix="phq9"
      afterItem={(index) =>
        index === PHQ9_ITEM_COUNT - 1 && item9Positive && <CrisisPanel headingLevel={3} />
      }
      after={{
        fields: [
          { field: 'difficulty', id: DIFFICULTY_ID, text: t('phq9.missingDifficulty') },
          {
            field: 'note',
            id: NOTE_ID,
            text: t(noteProblem === 'invalidText' ? 'phq9.missingNoteInvalid' : 'phq9.missingNote'),
          },
        ],
        content: (
          <>
            {anyPositive && (
              <div className="phq9-form__item">
                <ChoiceItem
                  item={PHQ9_DIFFICULTY_FORM_ITEM}
                  id={DIFFICULTY_ID}
                  name="phq9-difficulty"
                  language={language}
                  // The form's own wording ("If you checked off any problems, …"); the options are
                  // the Questionnaire's.
                  label={t('phq9.difficultyLegend', { text: PHQ9_DIFFICULTY_QUESTION[language] })}
                  answers={formValueToAnswers(
                    difficulty === null ? null : String(difficulty),
                    PHQ9_DIFFICULTY_OPTIONS
                  )}
                  error={form.isFlagged('difficulty') ? t('phq9.chooseAnswer') : null}
                  onChange={(_, answers) => {
                    const value = answersToFormValue(answers, PHQ9_DIFFICULTY_OPTIONS);
                    setDifficulty(value === null ? null : Number(value));
                    form.changed('difficulty');
                  }}
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
                    : form.isFlagged('note')
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
                  // Text that cannot be stored is flagged as it is typed or pasted, before any send.
                  const issue = noteProblemOf(value);
                  setNoteProblem(issue === 'invalidText' ? issue : null);
                  form.changed(issue !== 'invalidText' ? 'note' : undefined);
                }}
              />
            </div>
          </>
        ),
      }}
      footer={<InstrumentAttribution instrument="phq9" />}
    />
  );
}

function Phq9ResultView({ result, onFillAgain }: { result: Phq9Result; onFillAgain: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const { response, item9Positive } = result;
  return (
    <div className="stack-md">
      <Alert data-color="success" className="phq9-result" data-testid="phq9-result">
        <Heading level={3} data-size="xs" ref={headingRef} tabIndex={-1}>
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
      {item9Positive && <CrisisPanel headingLevel={3} />}
      <div>
        <Button type="button" variant="secondary" onClick={onFillAgain}>
          {t('phq9.fillAgain')}
        </Button>
      </div>
    </div>
  );
}
