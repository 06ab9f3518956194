/**
 * A module as the patient sees it, read-only, for the GP: every lesson page (rendered by the same
 * component as the patient's), the exercises with their fields, the quiz with the right answers
 * and explanations, the homework and the summary. Nothing here can be filled in or saved.
 */
import { Alert, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Exercise, ExerciseField } from '../../../domain/program/content-schema.js';
import { MODULE_IDS } from '../../../domain/program/progress.js';
import { AppLink } from '../../components/AppLink.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { NotFoundPage } from '../NotFoundPage.js';
import { LessonBody } from '../patient/module/LessonStep.js';
import { gpApi } from './gp-api.js';
import { moduleLabel } from './labels.js';
import { GpBreadcrumbs } from './parts.js';
import { manualPath } from './paths.js';
import '../patient/module/module.css';
import './ModulePreviewPage.css';

export function ModulePreviewPage() {
  const { moduleId } = useParams();
  const id = MODULE_IDS.find((m) => m === moduleId);
  if (!id) return <NotFoundPage />;
  return <PreviewView key={id} moduleId={id} />;
}

function PreviewView({ moduleId }: { moduleId: (typeof MODULE_IDS)[number] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const content = useApiData((signal) => gpApi.module(moduleId, language, signal), [moduleId, language]);
  const title = content.data ? moduleLabel(t, moduleId, content.data.title) : moduleLabel(t, moduleId);
  usePageTitle(t('gp.preview.title', { module: title }));
  const data = content.data;

  return (
    <div className="page gp-page preview-page stack-lg">
      <div className="stack-sm">
        <GpBreadcrumbs
          crumbs={[
            {
              label: t('gp.manual.crumbModule', { module: moduleLabel(t, moduleId) }),
              to: manualPath(moduleId),
            },
            { label: t('gp.preview.crumb') },
          ]}
        />
        <PageHeading>{title}</PageHeading>
        {data && <Paragraph className="page-subtitle">{data.subtitle}</Paragraph>}
      </div>
      <Alert data-color="info">
        <Paragraph>
          {t('gp.preview.notice')} <AppLink to={manualPath(moduleId)}>{t('gp.preview.backToManual')}</AppLink>
        </Paragraph>
      </Alert>
      {content.status === 'error' && <LoadError error={content.error} onRetry={content.reload} />}
      {!data && content.status === 'loading' && <Loading />}
      {data && (
        <>
          <nav aria-label={t('gp.preview.contents')} className="preview-toc">
            <ol>
              {data.lessons.map((lesson) => (
                <li key={lesson.id}>
                  <a href={`#lesson-${lesson.id}`}>{lesson.title}</a>
                </li>
              ))}
              <li>
                <a href="#exercises">{t('module.sections.exercises')}</a>
              </li>
              <li>
                <a href="#quiz">{t('module.sections.quiz')}</a>
              </li>
              <li>
                <a href="#homework">{t('module.sections.homework')}</a>
              </li>
              <li>
                <a href="#summary">{t('module.sections.summary')}</a>
              </li>
            </ol>
          </nav>
          {data.lessons.map((lesson, index) => (
            <section
              key={lesson.id}
              id={`lesson-${lesson.id}`}
              aria-labelledby={`lesson-${lesson.id}-h`}
              className="module-step preview-step"
            >
              <p className="preview-step__eyebrow">
                {t('module.pageOf', { number: index + 1, total: data.lessons.length })}
              </p>
              <Heading level={2} data-size="md" id={`lesson-${lesson.id}-h`}>
                {lesson.title}
              </Heading>
              <LessonBody lesson={lesson} />
            </section>
          ))}
          <section id="exercises" aria-labelledby="exercises-h" className="module-step preview-step stack-md">
            <Heading level={2} data-size="md" id="exercises-h">
              {t('module.sections.exercises')}
            </Heading>
            {data.exercises.map((exercise) => (
              <ExercisePreview key={exercise.id} exercise={exercise} />
            ))}
          </section>
          <section id="quiz" aria-labelledby="quiz-h" className="module-step preview-step stack-md">
            <Heading level={2} data-size="md" id="quiz-h">
              {t('module.sections.quiz')}
            </Heading>
            <ol className="preview-quiz">
              {data.quiz.map((question) => (
                <li key={question.id} className="stack-sm">
                  <Paragraph>
                    <strong>{question.question}</strong>
                  </Paragraph>
                  <ul className="plain-list">
                    {question.options.map((option) => (
                      <li
                        key={option.id}
                        className={option.id === question.correctOptionId ? 'preview-quiz__right' : undefined}
                      >
                        {option.label}
                        {option.id === question.correctOptionId && ` (${t('gp.preview.rightAnswer')})`}
                      </li>
                    ))}
                  </ul>
                  <Paragraph data-size="sm" className="muted">
                    {question.explanation}
                  </Paragraph>
                </li>
              ))}
            </ol>
          </section>
          <section id="homework" aria-labelledby="homework-h" className="module-step preview-step stack-sm">
            <Heading level={2} data-size="md" id="homework-h">
              {t('module.sections.homework')}: {data.homework.title}
            </Heading>
            <Paragraph>{data.homework.description}</Paragraph>
            <ol className="numbered-steps">
              {data.homework.steps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </section>
          <section id="summary" aria-labelledby="summary-h" className="module-step preview-step stack-sm">
            <Heading level={2} data-size="md" id="summary-h">
              {data.summary.title}
            </Heading>
            <ul>
              {data.summary.points.map((point) => (
                <li key={point}>{point}</li>
              ))}
            </ul>
            <Paragraph>
              <strong>{t('summary.nextLabel')}</strong> {data.summary.nextStep}
            </Paragraph>
          </section>
        </>
      )}
    </div>
  );
}

function ExercisePreview({ exercise }: { exercise: Exercise }) {
  const { t } = useTranslation();
  return (
    <Card data-color="neutral" className="stack-sm">
      <Heading level={3} data-size="sm">
        {exercise.title}
      </Heading>
      <Paragraph>{exercise.instructions}</Paragraph>
      {exercise.steps && (
        <ol className="numbered-steps">
          {exercise.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
      <Heading level={4} data-size="2xs">
        {exercise.repeatable ? t('gp.preview.fieldsRepeatable') : t('gp.preview.fields')}
      </Heading>
      <ul className="preview-fields">
        {exercise.fields.map((field) => (
          <li key={field.id}>
            <span>{field.label}</span> <span className="muted">({fieldKind(t, field)})</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function fieldKind(t: TFunction, field: ExerciseField): string {
  switch (field.type) {
    case 'text':
    case 'textarea':
      return t('gp.preview.kind.text');
    case 'scale':
      return t('gp.preview.kind.scale', { min: field.min, max: field.max });
    case 'choice':
    case 'multi-choice':
      return field.options.map((o) => o.label).join(' / ');
  }
}
