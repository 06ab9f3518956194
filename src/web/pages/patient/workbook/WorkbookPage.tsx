/**
 * The workbook: everything the patient has written in the exercises, grouped by module and
 * exercise, answers shown as text with the questions from the content, each entry with its date
 * and its sharing choice (nothing is shared unless ticked; it can be changed any time).
 */
import { Card, Checkbox, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Exercise } from '../../../../domain/program/content-schema.js';
import { api, type ModuleId, type PatientModuleContent, type WorkbookEntry } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { formatDateTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { loadModule } from '../content-cache.js';
import { SaveStatus } from '../module/EntryEditor.js';
import { usePatientId } from '../usePatientId.js';
import { answerText } from './answer-text.js';
import { entryHandle, type EntryHandle } from './entry-registry.js';
import './WorkbookPage.css';

export function WorkbookPage() {
  const { t } = useTranslation();
  usePageTitle(t('workbook.title'));
  const patientId = usePatientId();
  const language = useLanguage();
  const data = useApiData(
    async (signal) => {
      const { items } = await api.listWorkbook(patientId, signal);
      const moduleIds = [...new Set(items.map((e) => e.moduleId))].sort();
      const contents = await Promise.all(moduleIds.map((id) => loadModule(id, language)));
      return { items, contents };
    },
    [patientId, language]
  );

  return (
    <div className="page stack-lg">
      <div>
        <PageHeading>{t('workbook.heading')}</PageHeading>
        <Paragraph className="page-subtitle">{t('workbook.intro')}</Paragraph>
      </div>
      <Card data-color="neutral" className="sharing-note">
        <Paragraph>{t('workbook.sharingNote')}</Paragraph>
      </Card>
      {data.data ? (
        data.data.items.length === 0 ? (
          <Paragraph>
            {t('workbook.empty')} <AppLink to="/patient/program">{t('workbook.toProgram')}</AppLink>
          </Paragraph>
        ) : (
          data.data.contents.map((content) => (
            <ModuleGroup
              key={content.id}
              content={content}
              entries={data.data!.items.filter((e) => e.moduleId === content.id)}
            />
          ))
        )
      ) : data.status === 'error' ? (
        <LoadError error={data.error} onRetry={data.reload} />
      ) : (
        <Loading />
      )}
    </div>
  );
}

function ModuleGroup({ content, entries }: { content: PatientModuleContent; entries: WorkbookEntry[] }) {
  const { t } = useTranslation();
  const headingId = `workbook-${content.id}`;
  return (
    <section aria-labelledby={headingId} className="stack-md">
      <Heading level={2} data-size="sm" id={headingId}>
        {t('program.moduleName', { number: content.number, title: content.title })}
      </Heading>
      {content.exercises.map((exercise) => {
        const own = entries
          .filter((e) => e.exerciseId === exercise.id)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        if (own.length === 0) return null;
        return <ExerciseGroup key={exercise.id} moduleId={content.id} exercise={exercise} entries={own} />;
      })}
    </section>
  );
}

function ExerciseGroup({
  moduleId,
  exercise,
  entries,
}: {
  moduleId: ModuleId;
  exercise: Exercise;
  entries: WorkbookEntry[];
}) {
  const { t } = useTranslation();
  const headingId = `workbook-${moduleId}-${exercise.id}`;
  return (
    <section
      aria-labelledby={headingId}
      className="stack-sm workbook-exercise"
      data-testid={`workbook-${exercise.id}`}
    >
      <div className="workbook-exercise__head">
        <Heading level={3} data-size="xs" id={headingId}>
          {exercise.title}
        </Heading>
        <AppLink to={`/patient/program/${moduleId}?step=exercises#exercise-${exercise.id}`}>
          {t('workbook.openInModule')}
          <span className="ds-sr-only">{`: ${exercise.title}`}</span>
        </AppLink>
      </div>
      <ul className="workbook-entries">
        {entries.map((entry) => (
          <li key={entry.id}>
            <WorkbookEntryCard moduleId={moduleId} exercise={exercise} entry={entry} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function WorkbookEntryCard({
  moduleId,
  exercise,
  entry,
}: {
  moduleId: ModuleId;
  exercise: Exercise;
  entry: WorkbookEntry;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const patientId = usePatientId();
  const [handle] = useState<EntryHandle>(() =>
    entryHandle(patientId, { id: entry.id, moduleId, exerciseId: exercise.id, stored: entry })
  );
  const saveState = useSyncExternalStore(handle.saver.subscribe, handle.saver.getState);
  const snapshot = handle.saver.getSnapshot();
  const answers = snapshot?.answers ?? handle.stored?.answers ?? entry.answers;
  const shared = snapshot?.sharedWithGp ?? handle.stored?.sharedWithGp ?? entry.sharedWithGp;
  const titleId = `entry-${entry.id}-date`;
  const answered = exercise.fields
    .map((field) => ({ field, text: answerText(t, field, answers[field.id]) }))
    .filter((a): a is { field: typeof a.field; text: string } => a.text !== null);

  return (
    <article className="workbook-entry" aria-labelledby={titleId} data-testid="workbook-entry">
      <Heading level={4} data-size="2xs" id={titleId} className="workbook-entry__date">
        {t('exercise.entryFrom', { date: formatDateTime(entry.createdAt, language) })}
      </Heading>
      {answered.length === 0 ? (
        <Paragraph className="muted">{t('workbook.noAnswers')}</Paragraph>
      ) : (
        <dl className="workbook-entry__answers">
          {answered.map(({ field, text }) => (
            <div key={field.id}>
              <dt>{field.label}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="workbook-entry__share">
        <Checkbox
          label={
            <>
              {t('exercise.shareLabel')}
              <span className="ds-sr-only">{` (${formatDateTime(entry.createdAt, language)})`}</span>
            </>
          }
          description={t('exercise.shareDescriptionShort')}
          checked={shared}
          data-testid="share-toggle"
          onChange={(event) =>
            handle.saver.update({ answers, sharedWithGp: event.target.checked }, { immediate: true })
          }
        />
        {saveState.status !== 'idle' && <SaveStatus state={saveState} />}
      </div>
    </article>
  );
}
