/**
 * One module, page by page: the lessons, then the exercises, the quiz, the homework and the
 * printable summary. The page is in the URL (`?step=lesson-2`). Before the module opens, a PHQ-9
 * may be due (`measure_first`): then the same PHQ-9 form as on the home page comes first, with the
 * same offline crisis panel, and the module follows. Finished modules can be read again.
 *
 * Over 400 lines because the step machine (URL step, measure first, finish) and its steps' wiring
 * are read together; each step's body lives in its own file beside it.
 */
import { Alert, Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams, useSearchParams } from 'react-router';
import {
  api,
  type ModuleId,
  type ModuleProgress,
  type PatientModuleContent,
  type ProgramView,
  type QuizResult,
} from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { formatLongDate } from '../../../format.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { NotFoundPage } from '../../NotFoundPage.js';
import { useModuleContent } from '../content-cache.js';
import { Phq9Form } from '../Phq9Form.js';
import { usePatientId } from '../usePatientId.js';
import { ExercisesStep } from './ExercisesStep.js';
import { HomeworkBody, SummaryBody } from './HomeworkSummary.js';
import { LessonBody } from './LessonStep.js';
import { isModuleId, MODULE_COUNT } from './module-id.js';
import {
  moduleSteps,
  parseStep,
  resumeStep,
  SECTIONS,
  sectionOf,
  stepIndex,
  stepKey,
  type ModuleStep,
  type SectionKind,
} from './module-steps.js';
import { QuizStep } from './QuizStep.js';
import { useLessonView, type LessonViewResult } from './useLessonView.js';
import './module.css';
import './ModulePage.css';

export function ModulePage() {
  const { moduleId } = useParams();
  if (!isModuleId(moduleId)) return <NotFoundPage />;
  return <ModuleView key={moduleId} moduleId={moduleId} />;
}

function ModuleView({ moduleId }: { moduleId: ModuleId }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const patientId = usePatientId();
  const program = useApiData((signal) => api.getProgram(patientId, signal), [patientId]);
  const content = useModuleContent(moduleId, language);
  const number = Number(moduleId.slice(1));
  /** After answering the PHQ-9 here, its result (and crisis panel, if any) stays until "continue". */
  const [gate, setGate] = useState<'none' | 'answered' | 'passed'>('none');
  const reloadProgram = program.reload;

  const title = content.data?.title ?? '';
  usePageTitle(title ? t('module.pageTitle', { number, title }) : t('program.moduleNumber', { number }));

  const progress = program.data?.modules.find((m) => m.id === moduleId);
  const state = progress?.state;
  const showGate = state === 'measure_first' || gate === 'answered';

  let body;
  if (program.status === 'error' || content.status === 'error') {
    body = (
      <LoadError
        error={program.error ?? content.error}
        onRetry={() => {
          program.reload();
          content.reload();
        }}
      />
    );
  } else if (!program.data || !content.data || !progress) {
    body = <Loading />;
  } else if (program.data.status !== 'active' && program.data.status !== 'finished') {
    body = <NotStarted status={program.data.status} />;
  } else if (state === 'locked') {
    body = <Locked number={number} />;
  } else if (state === 'waiting' && progress.opensAt) {
    body = <Waiting opensAt={progress.opensAt} />;
  } else if (showGate) {
    body = (
      <Phq9Gate
        patientId={patientId}
        number={number}
        answered={gate === 'answered'}
        onSubmitted={() => {
          setGate('answered');
          reloadProgram();
        }}
        onContinue={() => setGate('passed')}
      />
    );
  } else {
    body = (
      <ModuleSteps
        content={content.data}
        program={program.data}
        progress={progress}
        onProgramChanged={reloadProgram}
      />
    );
  }

  return (
    <div className="page module-page stack-md">
      <nav aria-label={t('module.breadcrumbsLabel')} className="breadcrumbs no-print">
        <ol>
          <li>
            <AppLink to="/patient">{t('header.home')}</AppLink>
          </li>
          <li>
            <AppLink to="/patient/program">{t('header.program')}</AppLink>
          </li>
          <li aria-current="page">{t('program.moduleNumber', { number })}</li>
        </ol>
      </nav>
      <header className="module-header">
        <p className="module-header__eyebrow">
          {t('module.eyebrow', { number, total: MODULE_COUNT })}
          {content.data && ` · ${t('program.minutes', { count: content.data.estimatedMinutes })}`}
        </p>
        <PageHeading>{title || t('program.moduleNumber', { number })}</PageHeading>
        {content.data && <Paragraph className="page-subtitle">{content.data.subtitle}</Paragraph>}
      </header>
      {body}
    </div>
  );
}

function NotStarted({ status }: { status: ProgramView['status'] }) {
  const { t } = useTranslation();
  return (
    <Card data-color="neutral" className="stack-sm">
      <Paragraph>
        {status === 'recommended' ? t('module.notStarted') : t('program.statusNotRecommended')}
      </Paragraph>
      <Paragraph>
        <AppLink to="/patient">{t('module.toHome')}</AppLink>
      </Paragraph>
    </Card>
  );
}

function Locked({ number }: { number: number }) {
  const { t } = useTranslation();
  return (
    <Card data-color="neutral" className="stack-sm" data-testid="module-locked">
      <Paragraph>{t('program.lockedPrevious', { number: Math.max(1, number - 1) })}</Paragraph>
      <Paragraph>
        <AppLink to="/patient/program">{t('module.toProgram')}</AppLink>
      </Paragraph>
    </Card>
  );
}

/** The week between modules: when this one opens, and why there is a wait. */
function Waiting({ opensAt }: { opensAt: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Card data-color="neutral" className="stack-sm" data-testid="module-waiting">
      <Paragraph>{t('program.waitingWhy', { date: formatLongDate(opensAt, language) })}</Paragraph>
      <Paragraph>
        <AppLink to="/patient/program">{t('module.toProgram')}</AppLink>
      </Paragraph>
    </Card>
  );
}

/** The PHQ-9 before the module: the same form and crisis panel as on the home page. */
function Phq9Gate({
  patientId,
  number,
  answered,
  onSubmitted,
  onContinue,
}: {
  patientId: string;
  number: number;
  answered: boolean;
  onSubmitted: () => void;
  onContinue: () => void;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="phq9-heading" id="phq9" className="stack-sm" data-testid="phq9-gate">
      <Heading level={2} data-size="sm" id="phq9-heading">
        {t('phq9.heading')}
      </Heading>
      <Paragraph>
        {number === 1 ? t('module.phq9FirstBaseline') : t('module.phq9First', { number })}
      </Paragraph>
      <Card className="phq9-card" data-color="neutral">
        <Phq9Form patientId={patientId} onSubmitted={onSubmitted} />
      </Card>
      {answered && (
        <div>
          <Button type="button" data-color="accent" onClick={onContinue}>
            {t('module.continueToModule', { number })}
          </Button>
        </div>
      )}
    </section>
  );
}

function ModuleSteps({
  content,
  program,
  progress,
  onProgramChanged,
}: {
  content: PatientModuleContent;
  program: ProgramView;
  progress: ModuleProgress;
  onProgramChanged: () => void;
}) {
  const { t } = useTranslation();
  const patientId = usePatientId();
  const [params, setParams] = useSearchParams();
  const steps = moduleSteps(content);
  const requested = parseStep(params.get('step'), content);
  // Without a step in the URL, open where the patient left off (and put that in the URL).
  const [resume] = useState(() => resumeStep(content, progress));
  const step = requested ?? resume;
  const key = stepKey(step);
  const index = stepIndex(steps, step);
  const [viewed, setViewed] = useState<ReadonlySet<string>>(() => new Set(progress.lessonsViewed));
  const [answered, setAnswered] = useState<ReadonlySet<string>>(
    () => new Set(progress.quizAnswered.map((a) => a.questionId))
  );
  const [completedNow, setCompletedNow] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const previousKey = useRef<string | null>(null);

  useEffect(() => {
    if (!requested) setParams({ step: stepKey(resume) }, { replace: true });
  }, [requested, resume, setParams]);

  // Moving between pages: start at the top, with focus on the new page's heading.
  useEffect(() => {
    if (previousKey.current !== null && previousKey.current !== key) {
      window.scrollTo({ top: 0 });
      headingRef.current?.focus();
    }
    previousKey.current = key;
  }, [key]);

  const onCompleted = useCallback(() => {
    setCompletedNow(true);
    onProgramChanged();
  }, [onProgramChanged]);

  const onLessonReported = useCallback(
    (result: LessonViewResult) => {
      setViewed((previous) => new Set(previous).add(result.lessonId));
      if (result.moduleCompleted) onCompleted();
    },
    [onCompleted]
  );

  function onQuizAnswered(questionId: string, result: QuizResult) {
    setAnswered((previous) => new Set(previous).add(questionId));
    if (result.moduleCompleted) onCompleted();
  }

  const nextModule = program.modules[program.modules.findIndex((m) => m.id === content.id) + 1];
  const completed = progress.state === 'completed' || completedNow;
  const section = sectionOf(step);

  return (
    <>
      <SectionNav content={content} current={section} viewed={viewed.size} answered={answered.size} />
      {completedNow && (
        <CompletionNotice
          number={content.number}
          nextModuleId={nextModule?.id ?? null}
          nextOpensAt={nextModule?.opensAt ?? null}
        />
      )}
      <section className="module-step" aria-labelledby="step-heading" data-step={key}>
        {step.kind === 'lesson' && (
          <div className="lesson-progress">
            <p className="lesson-progress__text ds-paragraph" data-size="sm" data-testid="lesson-progress">
              {t('module.pageOf', { number: step.index + 1, total: content.lessons.length })}
            </p>
            <progress
              className="lesson-progress__bar"
              max={content.lessons.length}
              value={step.index + 1}
              aria-label={t('module.lessonProgressLabel')}
            />
          </div>
        )}
        <Heading
          level={2}
          data-size="md"
          id="step-heading"
          ref={headingRef}
          tabIndex={-1}
          className="focus-target"
        >
          {stepTitle(t, content, step)}
        </Heading>
        {step.kind === 'lesson' && (
          <LessonPage
            key={step.lessonId}
            patientId={patientId}
            content={content}
            lessonIndex={step.index}
            onReported={onLessonReported}
          />
        )}
        {step.kind === 'exercises' && <ExercisesStep content={content} />}
        {step.kind === 'quiz' && (
          <QuizStep content={content} progress={progress} onAnswered={onQuizAnswered} />
        )}
        {step.kind === 'homework' && <HomeworkBody content={content} />}
        {step.kind === 'summary' && <SummaryBody content={content} />}
      </section>
      {step.kind === 'summary' && !completed && (
        <MissingForCompletion content={content} viewed={viewed} answered={answered} />
      )}
      <Pager
        content={content}
        steps={steps}
        index={index}
        completed={completed}
        nextModuleId={nextModule?.id ?? null}
      />
    </>
  );
}

function LessonPage({
  patientId,
  content,
  lessonIndex,
  onReported,
}: {
  patientId: string;
  content: PatientModuleContent;
  lessonIndex: number;
  onReported: (result: LessonViewResult) => void;
}) {
  const lesson = content.lessons[lessonIndex]!;
  useLessonView(patientId, content.id, lesson.id, onReported);
  return <LessonBody lesson={lesson} />;
}

function stepTitle(t: TFunction, content: PatientModuleContent, step: ModuleStep): string {
  switch (step.kind) {
    case 'lesson':
      return content.lessons[step.index]?.title ?? '';
    case 'exercises':
      return t('module.sections.exercises');
    case 'quiz':
      return t('module.sections.quiz');
    case 'homework':
      return t('module.sections.homework');
    case 'summary':
      return t('module.sections.summary');
  }
}

function SectionNav({
  content,
  current,
  viewed,
  answered,
}: {
  content: PatientModuleContent;
  current: SectionKind;
  viewed: number;
  answered: number;
}) {
  const { t } = useTranslation();
  const status: Record<SectionKind, string> = {
    lessons: t('module.sectionStatus.lessons', { viewed, total: content.lessons.length }),
    exercises: t('module.sectionStatus.exercises', { count: content.exercises.length }),
    quiz: t('module.sectionStatus.quiz', { answered, total: content.quiz.length }),
    homework: t('module.sectionStatus.homework'),
    summary: t('module.sectionStatus.summary'),
  };
  const target: Record<SectionKind, string> = {
    lessons: 'lesson-1',
    exercises: 'exercises',
    quiz: 'quiz',
    homework: 'homework',
    summary: 'summary',
  };
  return (
    <nav aria-label={t('module.sectionsLabel')} className="module-sections no-print">
      <ol>
        {SECTIONS.map((section, i) => (
          <li key={section} data-current={section === current || undefined}>
            <RouterLink
              to={`?step=${target[section]}`}
              aria-current={section === current ? 'step' : undefined}
              className="module-sections__link"
            >
              <span className="module-sections__number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="module-sections__text">
                <span className="module-sections__name">{t(`module.sections.${section}`)}</span>
                <span className="module-sections__status">{status[section]}</span>
              </span>
            </RouterLink>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function CompletionNotice({
  number,
  nextModuleId,
  nextOpensAt,
}: {
  number: number;
  nextModuleId: ModuleId | null;
  /** Set while the next module waits its week (issue 11 §3). */
  nextOpensAt: string | null;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Alert data-color="success" className="completion" data-testid="module-completed">
      <Heading level={2} data-size="xs">
        {t('module.completedHeading', { number })}
      </Heading>
      <Paragraph>
        {!nextModuleId
          ? t('module.completedLastText')
          : nextOpensAt
            ? t('module.completedWaitText', {
                number: number + 1,
                date: formatLongDate(nextOpensAt, language),
              })
            : t('module.completedText')}
      </Paragraph>
      <div className="completion__actions">
        <AppLink to="?step=homework">{t('module.seeHomework')}</AppLink>
        {nextModuleId && !nextOpensAt && (
          <AppLink to={`/patient/program/${nextModuleId}`}>
            {t('module.nextModule', { number: number + 1 })}
          </AppLink>
        )}
      </div>
    </Alert>
  );
}

function MissingForCompletion({
  content,
  viewed,
  answered,
}: {
  content: PatientModuleContent;
  viewed: ReadonlySet<string>;
  answered: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const lessons = content.lessons
    .map((lesson, index) => ({ lesson, index }))
    .filter(({ lesson }) => !viewed.has(lesson.id));
  const questions = content.quiz.filter((q) => !answered.has(q.id)).length;
  if (lessons.length === 0 && questions === 0) return null;
  return (
    <Card data-color="neutral" className="stack-sm no-print">
      <Heading level={2} data-size="2xs">
        {t('module.missingHeading')}
      </Heading>
      <ul>
        {lessons.map(({ lesson, index }) => (
          <li key={lesson.id}>
            <AppLink to={`?step=lesson-${index + 1}`}>
              {t('module.missingLesson', { title: lesson.title })}
            </AppLink>
          </li>
        ))}
        {questions > 0 && (
          <li>
            <AppLink to="?step=quiz">{t('module.missingQuiz', { count: questions })}</AppLink>
          </li>
        )}
      </ul>
    </Card>
  );
}

function Pager({
  content,
  steps,
  index,
  completed,
  nextModuleId,
}: {
  content: PatientModuleContent;
  steps: ModuleStep[];
  index: number;
  completed: boolean;
  nextModuleId: ModuleId | null;
}) {
  const { t } = useTranslation();
  const previous = index > 0 ? steps[index - 1] : undefined;
  const next = steps[index + 1];
  return (
    <nav aria-label={t('module.pagerLabel')} className="pager no-print">
      <div className="pager__previous">
        {previous && (
          <Button asChild variant="secondary">
            <RouterLink to={`?step=${stepKey(previous)}`} rel="prev">
              <span aria-hidden="true">←</span>
              <span className="pager__text">
                <span className="pager__direction">{t('module.previous')}</span>
                <span className="pager__name">{stepTitle(t, content, previous)}</span>
              </span>
            </RouterLink>
          </Button>
        )}
      </div>
      <div className="pager__next">
        {next ? (
          <Button asChild data-color="accent">
            <RouterLink to={`?step=${stepKey(next)}`} rel="next">
              <span className="pager__text">
                <span className="pager__direction">{t('module.next')}</span>
                <span className="pager__name">{stepTitle(t, content, next)}</span>
              </span>
              <span aria-hidden="true">→</span>
            </RouterLink>
          </Button>
        ) : (
          <Button asChild data-color="accent">
            <RouterLink
              to={completed && nextModuleId ? `/patient/program/${nextModuleId}` : '/patient/program'}
            >
              {completed && nextModuleId
                ? t('module.nextModule', { number: content.number + 1 })
                : t('module.backToProgram')}
            </RouterLink>
          </Button>
        )}
      </div>
    </nav>
  );
}
