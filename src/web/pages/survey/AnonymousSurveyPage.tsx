/**
 * The waiting-room survey (/undersokelse/<practice link>): anonymous, on the patient's own phone or
 * the practice's tablet. The consent page comes first and says what is and is not kept; the
 * answers are sent once, with a random number made for this page load so a double tap stores one
 * response (the number is never stored with the answers). Nothing is saved before "Send inn": an
 * anonymous respondent cannot come back to a half-done survey, and the page says so.
 *
 * When the survey's PHQ-9 item 9 is above 0 the crisis numbers show at once, with the plain words
 * that nobody reads the answers and nobody will get in touch.
 */
import { Alert, Button, Checkbox, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { Questionnaire } from 'fhir/r4.js';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { questionnaireTitle } from '../../../domain/surveys/items.js';
import { ApiError } from '../../api/client.js';
import { CrisisPanel } from '../../components/CrisisPanel.js';
import { describeError } from '../../components/errors.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { QuestionnaireForm } from '../../components/questionnaire/QuestionnaireForm.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { ErrorSummary } from './ErrorSummary.js';
import { newNonce, surveyApi, type AnonymousQuestionnaire } from './survey-api.js';
import { answersToSend, useSurveyForm } from './useSurveyForm.js';
import './survey.css';

type Step = 'consent' | 'answering' | 'done';

export default function AnonymousSurveyPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { slug = '' } = useParams();
  const [survey, setSurvey] = useState<AnonymousQuestionnaire | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>('consent');
  const [consent, setConsent] = useState(false);
  const [consentError, setConsentError] = useState(false);
  const [nonce] = useState(newNonce);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const questionnaire = (survey?.questionnaire as Questionnaire | undefined) ?? null;
  const form = useSurveyForm(questionnaire);
  const title = questionnaire ? questionnaireTitle(questionnaire)[language] : t('surveyRespondent.title');
  usePageTitle(title);

  useEffect(() => {
    let live = true;
    surveyApi
      .practice(slug)
      .then((loaded) => live && setSurvey(loaded))
      .catch((error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 404)
          setLoadError(t('surveyRespondent.unknownLink'));
        else if (error instanceof ApiError && (error.status === 409 || error.status === 410))
          setLoadError(error.problem.detail ?? t('surveyRespondent.closed'));
        else setLoadError(describeError(t, error));
      });
    return () => {
      live = false;
    };
  }, [slug, t]);

  if (loadError) {
    return (
      <div className="survey-page stack">
        <PageHeading>{t('surveyRespondent.title')}</PageHeading>
        <Alert data-color="warning" role="alert">
          <Paragraph>{loadError}</Paragraph>
        </Alert>
      </div>
    );
  }
  if (!survey || !questionnaire) return <Loading />;

  const submit = async () => {
    setSubmitError(null);
    const missing = form.missingRequired();
    if (Object.keys(missing).length > 0) {
      form.setErrors(missing);
      return;
    }
    setSubmitting(true);
    try {
      const received = await surveyApi.submitAnonymous(slug, {
        version: survey.version,
        nonce,
        consent: true,
        answers: answersToSend(questionnaire, form.answers),
      });
      form.setServerCrisis(received.crisisResources);
      setStep('done');
    } catch (error) {
      if (!form.takeServerErrors(error)) setSubmitError(describeError(t, error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="survey-page stack">
      <PageHeading>{title}</PageHeading>
      <Paragraph data-size="sm">
        {t('surveyRespondent.atPractice', { practice: survey.practiceName })}
      </Paragraph>
      {form.crisis && <CrisisPanel note={t('surveyRespondent.nobodyWatchingAnonymous')} />}
      {step === 'consent' && (
        <form
          noValidate
          className="stack survey-consent"
          onSubmit={(event) => {
            event.preventDefault();
            if (!consent) return setConsentError(true);
            setStep('answering');
          }}
        >
          <Heading level={2} data-size="xs">
            {t('surveyRespondent.consentHeading')}
          </Heading>
          <ul>
            <li>{t('surveyRespondent.consentAnonymous')}</li>
            <li>{t('surveyRespondent.consentNothingKept')}</li>
            <li>{t('surveyRespondent.consentVoluntary')}</li>
            <li>{t('surveyRespondent.consentNobodyReads')}</li>
            <li>{t('surveyRespondent.consentOnce')}</li>
          </ul>
          <Checkbox
            label={t('surveyRespondent.consentCheck')}
            checked={consent}
            aria-invalid={consentError || undefined}
            onChange={(event) => {
              setConsent(event.target.checked);
              setConsentError(false);
            }}
          />
          {consentError && (
            <Alert data-color="danger" role="alert">
              <Paragraph>{t('surveyRespondent.consentMissing')}</Paragraph>
            </Alert>
          )}
          <div>
            <Button type="submit">{t('surveyRespondent.start')}</Button>
          </div>
        </form>
      )}
      {step === 'answering' && (
        <form
          noValidate
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <ErrorSummary errors={form.errors} questionnaire={questionnaire} />
          <QuestionnaireForm
            questionnaire={questionnaire}
            answers={form.answers}
            language={language}
            errors={form.errors}
            onChange={form.change}
          />
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
      {step === 'done' && (
        <Alert data-color="success" role="status">
          <Heading level={2} data-size="xs">
            {t('surveyRespondent.thanksHeading')}
          </Heading>
          <Paragraph>{t('surveyRespondent.thanksAnonymous')}</Paragraph>
        </Alert>
      )}
    </div>
  );
}
