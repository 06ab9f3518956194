/**
 * A new survey (issue 14): from one of the study's three questionnaires (src/content/surveys, loaded
 * only when chosen) or from a Questionnaire JSON file the researcher imports. The server validates
 * the questionnaire and names every problem by item linkId (QuestionnaireProblems); fields left
 * empty are listed in an error summary linked to each field. A created survey opens its page.
 */
import {
  Button,
  ErrorSummary,
  Field,
  Fieldset,
  Heading,
  Label,
  Radio,
  Select,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { QuestionnaireProblems, readJsonFile, type QuestionnaireFailure } from './QuestionnaireProblems.js';
import { surveysApi, type CreateSurveyBody } from './surveys-api.js';

export const STUDY_SURVEYS = ['gp-national', 'patient-preferences', 'patient-experience'] as const;
export type StudySurvey = (typeof STUDY_SURVEYS)[number];

/** The GP survey goes out by personal invitation; the two patient surveys are anonymous. */
const STUDY_KIND: Record<StudySurvey, CreateSurveyBody['kind']> = {
  'gp-national': 'identified',
  'patient-preferences': 'anonymous',
  'patient-experience': 'anonymous',
};

/** Each questionnaire is its own chunk, fetched only when the researcher creates that survey. */
const loadStudyQuestionnaire = async (name: StudySurvey): Promise<unknown> => {
  switch (name) {
    case 'gp-national':
      return (await import('../../../../content/surveys/gp-national.json')).default;
    case 'patient-preferences':
      return (await import('../../../../content/surveys/patient-preferences.json')).default;
    case 'patient-experience':
      return (await import('../../../../content/surveys/patient-experience.json')).default;
  }
};

const IDS = {
  title: 'new-survey-title',
  study: 'new-survey-study',
  file: 'new-survey-file',
  problems: 'new-survey-problems',
} as const;
type FormField = 'title' | 'study' | 'file';

const isStudySurvey = (value: string): value is StudySurvey =>
  (STUDY_SURVEYS as readonly string[]).includes(value);

export function CreateSurveyForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [source, setSource] = useState<'study' | 'file'>('study');
  const [study, setStudy] = useState<StudySurvey | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<CreateSurveyBody['kind']>('identified');
  const [title, setTitle] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [failure, setFailure] = useState<QuestionnaireFailure | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [summarySignal, setSummarySignal] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (summarySignal > 0) summaryRef.current?.focus();
  }, [summarySignal]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<FormField, string>> = {};
    if (!title.trim()) found.title = t('researchSurveyAdmin.titleRequired');
    if (source === 'study' && !study) found.study = t('researchSurveyAdmin.studyRequired');
    if (source === 'file' && !file) found.file = t('researchSurveyAdmin.fileRequired');
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      setSummarySignal((n) => n + 1);
      return;
    }
    setSubmitting(true);
    try {
      const questionnaire =
        source === 'study' && study
          ? await loadStudyQuestionnaire(study)
          : file
            ? await readJsonFile(file)
            : null;
      if (questionnaire === null || typeof questionnaire !== 'object') {
        setFailure({ kind: 'notJson' });
        return;
      }
      const created = await surveysApi.create({
        kind,
        title: title.trim(),
        questionnaire: questionnaire as CreateSurveyBody['questionnaire'],
      });
      await navigate(`/research/surveys/${created.id}`);
    } catch (error) {
      setFailure({ kind: 'api', error });
    } finally {
      setSubmitting(false);
    }
  }

  const listed = (Object.keys(errors) as FormField[]).filter((field) => errors[field]);
  return (
    <form
      className="stack-md survey-create-form"
      noValidate
      aria-labelledby="new-survey-heading"
      onSubmit={(event) => void onSubmit(event)}
    >
      <Heading level={3} data-size="2xs" id="new-survey-heading">
        {t('researchSurveyAdmin.createHeading')}
      </Heading>
      {listed.length > 0 && (
        <div ref={summaryRef} tabIndex={-1} data-testid="create-error-summary">
          <ErrorSummary>
            <ErrorSummary.Heading>{t('researchSurveyAdmin.errorSummary')}</ErrorSummary.Heading>
            <ErrorSummary.List>
              {listed.map((field) => (
                <ErrorSummary.Item key={field}>
                  <ErrorSummary.Link href={`#${IDS[field]}`}>{errors[field]}</ErrorSummary.Link>
                </ErrorSummary.Item>
              ))}
            </ErrorSummary.List>
          </ErrorSummary>
        </div>
      )}
      <QuestionnaireProblems failure={failure} id={IDS.problems} />
      <Fieldset>
        <Fieldset.Legend>{t('researchSurveyAdmin.source')}</Fieldset.Legend>
        <Radio
          name="source"
          value="study"
          label={t('researchSurveyAdmin.sourceStudy')}
          checked={source === 'study'}
          onChange={() => setSource('study')}
        />
        <Radio
          name="source"
          value="file"
          label={t('researchSurveyAdmin.sourceFile')}
          checked={source === 'file'}
          onChange={() => setSource('file')}
        />
      </Fieldset>
      {source === 'study' ? (
        <Field>
          <Label htmlFor={IDS.study}>{t('researchSurveyAdmin.study')}</Label>
          <Select
            id={IDS.study}
            value={study}
            aria-invalid={errors.study ? true : undefined}
            onChange={(event) => {
              const value = event.target.value;
              if (!isStudySurvey(value)) return;
              setStudy(value);
              setKind(STUDY_KIND[value]);
              if (!title.trim()) setTitle(t(`researchSurveyAdmin.studies.${value}`));
            }}
          >
            <Select.Option value="" disabled>
              {t('researchSurveyAdmin.studyPlaceholder')}
            </Select.Option>
            {STUDY_SURVEYS.map((name) => (
              <Select.Option key={name} value={name}>
                {t(`researchSurveyAdmin.studies.${name}`)}
              </Select.Option>
            ))}
          </Select>
          {errors.study && <ValidationMessage>{errors.study}</ValidationMessage>}
        </Field>
      ) : (
        <Field>
          <Label htmlFor={IDS.file}>{t('researchSurveyAdmin.file')}</Label>
          <input
            id={IDS.file}
            type="file"
            accept=".json,application/json,application/fhir+json"
            aria-invalid={errors.file ? true : undefined}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          {errors.file && <ValidationMessage>{errors.file}</ValidationMessage>}
        </Field>
      )}
      <Fieldset>
        <Fieldset.Legend>{t('researchSurveyAdmin.kindLegend')}</Fieldset.Legend>
        <Radio
          name="kind"
          value="identified"
          label={t('researchSurveys.kinds.identified')}
          description={t('researchSurveyAdmin.kindIdentified')}
          checked={kind === 'identified'}
          onChange={() => setKind('identified')}
        />
        <Radio
          name="kind"
          value="anonymous"
          label={t('researchSurveys.kinds.anonymous')}
          description={t('researchSurveyAdmin.kindAnonymous')}
          checked={kind === 'anonymous'}
          onChange={() => setKind('anonymous')}
        />
      </Fieldset>
      <Textfield
        id={IDS.title}
        label={t('researchSurveyAdmin.surveyTitle')}
        maxLength={200}
        value={title}
        error={errors.title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <div>
        <Button type="submit" loading={submitting}>
          {t('researchSurveyAdmin.create')}
        </Button>
      </div>
    </form>
  );
}
