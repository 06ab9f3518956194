/**
 * An invited respondent's page (/undersokelse/svar#<token>): the token from the e-mail opens the
 * survey at the version fixed on first open; answers are saved as the respondent goes (a few
 * seconds after the last change) so they can leave and come back with the same link; "Send inn"
 * checks what is required and submits once (a second submit stores nothing twice).
 *
 * When the survey's PHQ-9 item 9 is above 0 the crisis numbers show at once, with the plain words
 * that nobody reads the answers as they come in.
 */
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { Questionnaire } from 'fhir/r4.js';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { questionnaireTitle, type SurveyAnswers } from '../../../domain/surveys/items.js';
import { ApiError } from '../../api/client.js';
import { CrisisPanel } from '../../components/CrisisPanel.js';
import { describeError } from '../../components/errors.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { QuestionnaireForm } from '../../components/questionnaire/QuestionnaireForm.js';
import { formatDateTime } from '../../format.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { ErrorSummary } from './ErrorSummary.js';
import { surveyApi, takeTokenFromAddress } from './survey-api.js';
import { answersToSend, useSurveyForm } from './useSurveyForm.js';
import './survey.css';

const AUTOSAVE_MS = 2000;

type State =
  | { kind: 'loading' }
  | { kind: 'problem'; message: string }
  | { kind: 'answering'; questionnaire: Questionnaire }
  | { kind: 'done'; questionnaire: Questionnaire };

/** A refused token or a closed survey, said plainly. */
function openProblem(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404 || error.status === 401) return t('surveyRespondent.unknownLink');
    if (error.status === 410 || error.status === 409)
      return error.problem.detail ?? t('surveyRespondent.closed');
  }
  return describeError(t, error);
}

export default function SurveyRespondPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [token] = useState(() => takeTokenFromAddress());
  const [state, setState] = useState<State>(() =>
    token ? { kind: 'loading' } : { kind: 'problem', message: t('surveyRespondent.noToken') }
  );
  const questionnaire = state.kind === 'answering' || state.kind === 'done' ? state.questionnaire : null;
  const form = useSurveyForm(questionnaire);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [saveFailed, setSaveFailed] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const dirty = useRef(false);
  const title = questionnaire ? questionnaireTitle(questionnaire)[language] : t('surveyRespondent.title');
  usePageTitle(title);

  useEffect(() => {
    if (!token) return;
    let live = true;
    surveyApi
      .open(token)
      .then((opened) => {
        if (!live) return;
        const q = opened.questionnaire as Questionnaire;
        form.setAnswers(opened.answers as SurveyAnswers);
        form.setServerCrisis(opened.crisisResources);
        setState(
          opened.status === 'complete'
            ? { kind: 'done', questionnaire: q }
            : { kind: 'answering', questionnaire: q }
        );
      })
      .catch((error: unknown) => live && setState({ kind: 'problem', message: openProblem(t, error) }));
    return () => {
      live = false;
    };
    // Opened once per page load; the language switch re-renders the same questionnaire.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  // Save and resume: the answers so far, a moment after the last change.
  useEffect(() => {
    if (state.kind !== 'answering' || !token || !dirty.current) return;
    const timer = window.setTimeout(() => {
      dirty.current = false;
      surveyApi
        .save(token, answersToSend(state.questionnaire, form.answers))
        .then((saved) => {
          setSavedAt(saved.savedAt);
          setSaveFailed(false);
          form.setServerCrisis(saved.crisisResources);
        })
        .catch((error: unknown) => {
          // An answer the server cannot take is shown at its item; the rest stays on screen.
          if (!form.takeServerErrors(error)) setSaveFailed(true);
        });
    }, AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [form.answers, state, token, form]);

  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'problem') {
    return (
      <div className="survey-page stack">
        <PageHeading>{t('surveyRespondent.title')}</PageHeading>
        <Alert data-color="warning" role="alert">
          <Paragraph>{state.message}</Paragraph>
        </Alert>
      </div>
    );
  }

  const submit = async () => {
    setSubmitError(null);
    const missing = form.missingRequired();
    if (Object.keys(missing).length > 0) {
      form.setErrors(missing);
      return;
    }
    if (!token) return;
    setSubmitting(true);
    try {
      const saved = await surveyApi.submit(token, answersToSend(state.questionnaire, form.answers));
      form.setServerCrisis(saved.crisisResources);
      setState({ kind: 'done', questionnaire: state.questionnaire });
    } catch (error) {
      if (!form.takeServerErrors(error)) setSubmitError(describeError(t, error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="survey-page stack">
      <PageHeading>{title}</PageHeading>
      {form.crisis && <CrisisPanel note={t('surveyRespondent.nobodyWatching')} />}
      {state.kind === 'done' ? (
        <Alert data-color="success" role="status">
          <Heading level={2} data-size="xs">
            {t('surveyRespondent.thanksHeading')}
          </Heading>
          <Paragraph>{t('surveyRespondent.thanks')}</Paragraph>
        </Alert>
      ) : (
        <form
          noValidate
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Paragraph>{t('surveyRespondent.resumeHint')}</Paragraph>
          <ErrorSummary errors={form.errors} questionnaire={state.questionnaire} />
          <QuestionnaireForm
            questionnaire={state.questionnaire}
            answers={form.answers}
            language={language}
            errors={form.errors}
            onChange={(linkId, value) => {
              dirty.current = true;
              form.change(linkId, value);
            }}
          />
          <Paragraph data-size="sm" aria-live="polite" className="survey-page__saved">
            {saveFailed
              ? t('surveyRespondent.saveFailed')
              : savedAt
                ? t('surveyRespondent.savedAt', { time: formatDateTime(savedAt, language) })
                : ''}
          </Paragraph>
          {submitError && (
            <Alert data-color="danger" role="alert">
              <Paragraph>{submitError}</Paragraph>
            </Alert>
          )}
          <div>
            <Button type="submit" disabled={submitting} aria-busy={submitting || undefined}>
              {t('surveyRespondent.submit')}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
