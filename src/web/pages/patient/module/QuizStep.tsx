/**
 * The quiz: every question on one page, each with its own "check answer". After checking, the
 * answer is marked right or wrong in words and with a symbol (not by colour alone), the right
 * option is labelled, and the explanation follows. Focus moves to that feedback.
 */
import { Alert, Button, Fieldset, Paragraph, Radio, ValidationMessage } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuizQuestion } from '../../../../domain/program/content-schema.js';
import {
  api,
  type ModuleId,
  type ModuleProgress,
  type PatientModuleContent,
  type QuizResult,
} from '../../../api/client.js';
import { describeError } from '../../../components/errors.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { usePatientId } from '../usePatientId.js';
import './QuizStep.css';

export function QuizStep({
  content,
  progress,
  onAnswered,
}: {
  content: PatientModuleContent;
  progress: ModuleProgress | undefined;
  onAnswered: (questionId: string, result: QuizResult) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <Paragraph>{t('quiz.intro', { count: content.quiz.length })}</Paragraph>
      <ol className="quiz-list">
        {content.quiz.map((question, index) => (
          <li key={question.id} className="quiz-list__item">
            <QuizQuestionForm
              moduleId={content.id}
              question={question}
              number={index + 1}
              count={content.quiz.length}
              earlier={progress?.quizAnswered.find((a) => a.questionId === question.id) ?? null}
              onAnswered={(result) => onAnswered(question.id, result)}
            />
          </li>
        ))}
      </ol>
    </div>
  );
}

interface Shown {
  optionId: string;
  correct: boolean;
  explanation: string;
}

function QuizQuestionForm({
  moduleId,
  question,
  number,
  count,
  earlier,
  onAnswered,
}: {
  moduleId: ModuleId;
  question: QuizQuestion;
  number: number;
  count: number;
  earlier: { optionId: string; correct: boolean } | null;
  onAnswered: (result: QuizResult) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const patientId = usePatientId();
  const [selected, setSelected] = useState<string | null>(earlier?.optionId ?? null);
  const [shown, setShown] = useState<Shown | null>(
    earlier
      ? { optionId: earlier.optionId, correct: earlier.correct, explanation: question.explanation }
      : null
  );
  const [sending, setSending] = useState(false);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [focusFeedback, setFocusFeedback] = useState(0);
  const feedbackRef = useRef<HTMLDivElement>(null);
  const name = `quiz-${question.id}`;
  const legendId = `${name}-legend`;

  useEffect(() => {
    if (focusFeedback > 0) feedbackRef.current?.focus();
  }, [focusFeedback]);

  async function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    if (!selected) {
      setMissing(true);
      return;
    }
    setSending(true);
    setError(null);
    try {
      const result = await api.answerQuiz(patientId, moduleId, question.id, selected, language);
      setShown({ optionId: selected, correct: result.correct, explanation: result.explanation });
      setFocusFeedback((n) => n + 1);
      onAnswered(result);
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setSending(false);
    }
  }

  const correctLabel = question.options.find((o) => o.id === question.correctOptionId)?.label ?? '';
  const answeredNow = shown !== null && shown.optionId === selected;

  return (
    <form className="quiz-question" onSubmit={(e) => void check(e)} noValidate aria-labelledby={legendId}>
      <Fieldset aria-describedby={missing ? `${name}-missing` : undefined}>
        <Fieldset.Legend id={legendId} className="quiz-question__legend">
          <span className="quiz-question__number">{t('quiz.questionNumber', { number, total: count })}</span>
          {question.question}
        </Fieldset.Legend>
        {missing && <ValidationMessage id={`${name}-missing`}>{t('quiz.chooseFirst')}</ValidationMessage>}
        <div className="quiz-question__options">
          {question.options.map((option) => {
            const isRight = answeredNow && option.id === question.correctOptionId;
            const isWrongChoice = answeredNow && option.id === shown.optionId && !shown.correct;
            return (
              <div
                key={option.id}
                className="quiz-option"
                data-result={isRight ? 'right' : isWrongChoice ? 'wrong' : undefined}
              >
                <Radio
                  name={name}
                  value={option.id}
                  label={option.label}
                  checked={selected === option.id}
                  onChange={() => {
                    setSelected(option.id);
                    setMissing(false);
                  }}
                />
                {isRight && <span className="quiz-option__mark">{t('quiz.rightAnswerTag')}</span>}
                {isWrongChoice && <span className="quiz-option__mark">{t('quiz.yourAnswerTag')}</span>}
              </div>
            );
          })}
        </div>
      </Fieldset>
      {answeredNow ? (
        <div
          ref={feedbackRef}
          tabIndex={-1}
          className="quiz-feedback focus-target"
          data-correct={shown.correct}
          data-testid="quiz-feedback"
        >
          <p className="quiz-feedback__verdict ds-paragraph">
            <span className="quiz-feedback__icon" aria-hidden="true">
              {shown.correct ? '✓' : '✗'}
            </span>
            {shown.correct ? t('quiz.correct') : t('quiz.incorrect', { answer: correctLabel })}
          </p>
          <Paragraph>{shown.explanation}</Paragraph>
        </div>
      ) : (
        <div className="quiz-question__actions">
          <Button type="submit" variant="secondary" loading={sending}>
            {t('quiz.check')}
            <span className="ds-sr-only">{`: ${t('quiz.questionNumber', { number, total: count })}`}</span>
          </Button>
        </div>
      )}
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
    </form>
  );
}
