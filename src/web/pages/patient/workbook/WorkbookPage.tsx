/**
 * The workbook: everything the patient has written in the exercises, grouped by module and
 * exercise, answers shown as text with the questions from the content, each entry with its date
 * and its sharing choice (nothing is shared unless ticked; it can be changed any time). Next to a
 * shared entry: the feedback of the GP or guide (issue 17); shown here, it counts as opened.
 */
import { Card, Checkbox, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Exercise } from '../../../../domain/program/content-schema.js';
import { api, type ModuleId, type PatientModuleContent, type WorkbookEntry } from '../../../api/client.js';
import { messagesApi, type ExerciseFeedback } from '../../../api/messages-api.js';
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
      const [{ items }, shared] = await Promise.all([
        api.listWorkbook(patientId, signal),
        messagesApi.sharedEntries(patientId, language, signal),
      ]);
      const moduleIds = [...new Set(items.map((e) => e.moduleId))].sort();
      const contents = await Promise.all(moduleIds.map((id) => loadModule(id, language)));
      const feedback = new Map(shared.entries.map((e) => [e.entryId, e.feedback]));
      return { items, contents, feedback };
    },
    [patientId, language]
  );
  // Feedback shown next to its entry is opened: it leaves the top of the home page.
  const unopened = data.data ? [...data.data.feedback.values()].flat().filter((f) => !f.openedAt) : [];
  useEffect(() => {
    for (const f of unopened) void messagesApi.openFeedback(patientId, f.id).catch(() => null);
  }, [unopened.map((f) => f.id).join(','), patientId]); // eslint-disable-line react-hooks/exhaustive-deps

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
              feedback={data.data!.feedback}
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

type FeedbackByEntry = Map<string, ExerciseFeedback[]>;

function ModuleGroup({
  content,
  entries,
  feedback,
}: {
  content: PatientModuleContent;
  entries: WorkbookEntry[];
  feedback: FeedbackByEntry;
}) {
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
        return (
          <ExerciseGroup
            key={exercise.id}
            moduleId={content.id}
            exercise={exercise}
            entries={own}
            feedback={feedback}
          />
        );
      })}
    </section>
  );
}

function ExerciseGroup({
  moduleId,
  exercise,
  entries,
  feedback,
}: {
  moduleId: ModuleId;
  exercise: Exercise;
  entries: WorkbookEntry[];
  feedback: FeedbackByEntry;
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
            <WorkbookEntryCard
              moduleId={moduleId}
              exercise={exercise}
              entry={entry}
              feedback={feedback.get(entry.id) ?? []}
            />
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
  feedback,
}: {
  moduleId: ModuleId;
  exercise: Exercise;
  entry: WorkbookEntry;
  feedback: ExerciseFeedback[];
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
    <article
      className="workbook-entry"
      aria-labelledby={titleId}
      data-testid="workbook-entry"
      id={`entry-${entry.id}`}
    >
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
      {feedback.length > 0 && (
        <div className="workbook-entry__feedback stack-sm" data-testid="entry-feedback">
          <Heading level={5} data-size="2xs">
            {t('feedback.inWorkbook')}
          </Heading>
          <ul className="workbook-feedback-list">
            {feedback.map((f) => (
              <li key={f.id}>
                <Paragraph data-size="sm" className="muted">
                  {t('feedback.from', {
                    name: f.authorName,
                    role: f.authorRole === 'gp' ? t('messaging.roleGp') : t('messaging.roleGuide'),
                    date: formatDateTime(f.createdAt, language),
                  })}
                </Paragraph>
                <Paragraph className="workbook-feedback-list__body">{f.body}</Paragraph>
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}
