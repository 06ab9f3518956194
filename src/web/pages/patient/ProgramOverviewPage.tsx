/**
 * The program at a glance: five modules in order, each with its state in words, the time it
 * takes and how far the patient has come; a locked module says why; finished ones can be
 * opened again.
 */
import { Button, Card, Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { api, type ModuleListItem, type ModuleProgress, type ProgramView } from '../../api/client.js';
import { AppLink } from '../../components/AppLink.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { formatDate, formatLongDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { useModuleList } from './content-cache.js';
import { moduleStateLabel } from './program-labels.js';
import { usePatientId } from './usePatientId.js';
import './ProgramOverviewPage.css';

const STATE_COLOR = {
  locked: 'neutral',
  waiting: 'neutral',
  measure_first: 'warning',
  available: 'info',
  in_progress: 'info',
  completed: 'success',
} as const;

export function ProgramOverviewPage() {
  const { t } = useTranslation();
  usePageTitle(t('program.title'));
  const patientId = usePatientId();
  const language = useLanguage();
  const program = useApiData((signal) => api.getProgram(patientId, signal), [patientId]);
  const list = useModuleList(language);

  return (
    <div className="page stack-lg">
      <div>
        <PageHeading>{t('program.heading')}</PageHeading>
        <Paragraph className="page-subtitle">{t('program.intro')}</Paragraph>
      </div>
      {program.data && list.data ? (
        <>
          <ProgramStatusNote program={program.data} />
          <ol className="module-list" aria-label={t('program.listLabel')}>
            {list.data.items.map((item) => {
              const progress = program.data!.modules.find((m) => m.id === item.id);
              return progress ? (
                <ModuleCard key={item.id} item={item} progress={progress} program={program.data!} />
              ) : null;
            })}
          </ol>
        </>
      ) : program.status === 'error' || list.status === 'error' ? (
        <LoadError
          error={program.error ?? list.error}
          onRetry={() => {
            program.reload();
            list.reload();
          }}
        />
      ) : (
        <Loading />
      )}
    </div>
  );
}

function ProgramStatusNote({ program }: { program: ProgramView }) {
  const { t } = useTranslation();
  if (program.status === 'active') return null;
  const text =
    program.status === 'finished'
      ? t('program.statusFinished')
      : program.status === 'recommended'
        ? t('program.statusRecommended')
        : program.status === 'stopped'
          ? t('program.statusStopped')
          : t('program.statusNotRecommended');
  return (
    <Card data-color="neutral" className="stack-sm">
      <Paragraph>{text}</Paragraph>
      {program.status === 'recommended' && (
        <div>
          <Button asChild data-color="accent">
            <RouterLink to="/patient">{t('program.goStart')}</RouterLink>
          </Button>
        </div>
      )}
    </Card>
  );
}

function ModuleCard({
  item,
  progress,
  program,
}: {
  item: ModuleListItem;
  progress: ModuleProgress;
  program: ProgramView;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const headingId = `module-${item.id}-heading`;
  const started = program.status === 'active' || program.status === 'finished';
  const previous = item.number > 1 ? item.number - 1 : null;

  const why =
    progress.state === 'locked'
      ? !started
        ? t('program.lockedWhyNotStarted')
        : t('program.lockedWhyPrevious', { number: previous ?? 1 })
      : progress.state === 'waiting' && progress.opensAt
        ? t('program.waitingWhy', { date: formatLongDate(progress.opensAt, language) })
        : progress.state === 'measure_first'
          ? t('program.measureFirst')
          : progress.openedEarly && progress.state !== 'completed'
            ? t('program.openedEarly')
            : null;

  const action =
    progress.state === 'completed'
      ? t('program.revisit')
      : progress.state === 'in_progress'
        ? t('program.continue')
        : progress.state === 'measure_first'
          ? t('program.answerAndStart')
          : t('program.start');

  return (
    <li className="module-list__item">
      <Card
        data-color={progress.state === 'in_progress' || progress.state === 'available' ? 'accent' : 'neutral'}
        className="module-card"
        data-state={progress.state}
        data-testid={`module-card-${item.id}`}
      >
        <div className="module-card__head">
          <span className="module-card__number" aria-hidden="true">
            {progress.state === 'completed' ? '✓' : item.number}
          </span>
          <div className="module-card__titles">
            <Heading level={2} data-size="xs" id={headingId}>
              {t('program.moduleName', { number: item.number, title: item.title })}
            </Heading>
            <Paragraph data-size="sm" className="muted">
              {item.subtitle}
            </Paragraph>
          </div>
        </div>
        <ul className="module-card__facts">
          <li>
            <Tag data-color={STATE_COLOR[progress.state]} data-size="sm">
              {moduleStateLabel(t, progress.state)}
            </Tag>
          </li>
          <li>{t('program.minutes', { count: item.estimatedMinutes })}</li>
          {progress.state === 'in_progress' && (
            <li>{t('program.lessonsSeen', { count: progress.lessonsViewed.length })}</li>
          )}
          {progress.completedAt && (
            <li>{t('program.completedOn', { date: formatDate(progress.completedAt, language) })}</li>
          )}
        </ul>
        {why && <Paragraph data-size="sm">{why}</Paragraph>}
        {progress.state !== 'locked' && progress.state !== 'waiting' && (
          <div className="module-card__action">
            <AppLink to={`/patient/program/${item.id}`}>
              {action}
              <span className="ds-sr-only">{`: ${t('program.moduleNumber', { number: item.number })}`}</span>
            </AppLink>
          </div>
        )}
      </Card>
    </li>
  );
}
