/**
 * The module's exercises. Each shows what to do (and guided steps, with a paced timer for the
 * breathing exercise), then its entries: a repeatable exercise (a daily mood rating) can be
 * filled in many times — "add a new entry" and the earlier entries below, each editable; a
 * single one has one entry.
 */
import { Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Exercise } from '../../../../domain/program/content-schema.js';
import {
  api,
  newIdempotencyKey,
  type ModuleId,
  type PatientModuleContent,
  type WorkbookEntry,
} from '../../../api/client.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { formatDateTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { usePatientId } from '../usePatientId.js';
import { entryHandle, typedEntries, type EntryHandle } from '../workbook/entry-registry.js';
import { BreathingTimer } from './BreathingTimer.js';
import { EntryEditor } from './EntryEditor.js';
import './module.css';
import './ExercisesStep.css';

const BREATHING_EXERCISE = 'calm-breathing';

export function ExercisesStep({ content }: { content: PatientModuleContent }) {
  const { t } = useTranslation();
  const patientId = usePatientId();
  const workbook = useApiData((signal) => api.listWorkbook(patientId, signal), [patientId]);

  // A link to one exercise ("…?step=exercises#exercise-mood-rating") lands on it.
  useEffect(() => {
    if (!workbook.data) return;
    const hash = decodeURIComponent(location.hash.slice(1));
    if (hash.startsWith('exercise-')) {
      const target = document.getElementById(`${hash}-heading`);
      target?.scrollIntoView({ block: 'start' });
      target?.focus({ preventScroll: true });
    }
  }, [workbook.data]);

  return (
    <div className="stack-lg">
      <Paragraph>{t('exercise.intro')}</Paragraph>
      {workbook.data ? (
        content.exercises.map((exercise) => (
          <ExerciseCard
            key={exercise.id}
            moduleId={content.id}
            exercise={exercise}
            entries={workbook.data!.items.filter(
              (e) => e.moduleId === content.id && e.exerciseId === exercise.id
            )}
          />
        ))
      ) : workbook.status === 'error' ? (
        <LoadError error={workbook.error} onRetry={workbook.reload} />
      ) : (
        <Loading />
      )}
    </div>
  );
}

function osloDay(date: Date): string {
  return date.toLocaleDateString('en-CA', { timeZone: 'Europe/Oslo' });
}

function ExerciseCard({
  moduleId,
  exercise,
  entries,
}: {
  moduleId: ModuleId;
  exercise: Exercise;
  entries: WorkbookEntry[];
}) {
  const { t } = useTranslation();
  const patientId = usePatientId();
  const headingId = `exercise-${exercise.id}-heading`;

  // The server's entries plus any typed here whose first save has not come back yet, newest first.
  const [handles, setHandles] = useState<EntryHandle[]>(() => {
    const known = entries.map((entry) =>
      entryHandle(patientId, { id: entry.id, moduleId, exerciseId: exercise.id, stored: entry })
    );
    const local = typedEntries(moduleId, exercise.id).filter((h) => !known.some((k) => k.id === h.id));
    const all = [...local, ...known].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const newest = all[0];
    // A daily exercise starts a fresh entry each day; a single exercise has exactly one entry.
    const needsNew = !newest || (exercise.repeatable && osloDay(newest.createdAt) !== osloDay(new Date()));
    return needsNew ? [newHandle(), ...all] : all;
  });
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(handles[0] ? [handles[0].id] : []));
  const focusNew = useRef<string | null>(null);

  function newHandle(): EntryHandle {
    return entryHandle(patientId, {
      id: newIdempotencyKey(),
      moduleId,
      exerciseId: exercise.id,
      stored: null,
    });
  }

  useEffect(() => {
    const id = focusNew.current;
    if (!id) return;
    focusNew.current = null;
    document.getElementById(`entry-${id}-summary`)?.focus();
  }, [handles]);

  function addEntry() {
    // An untouched new entry is already there: go to it instead of making another.
    const blank = handles.find((h) => !h.stored && h.saver.getSnapshot() === null);
    const target = blank ?? newHandle();
    if (!blank) setHandles((previous) => [target, ...previous]);
    setOpen((previous) => new Set(previous).add(target.id));
    focusNew.current = target.id;
    if (blank) document.getElementById(`entry-${blank.id}-summary`)?.focus();
  }

  function toggle(id: string, isOpen: boolean) {
    setOpen((previous) => {
      if (previous.has(id) === isOpen) return previous;
      const next = new Set(previous);
      if (isOpen) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  return (
    <section aria-labelledby={headingId} className="exercise" data-testid={`exercise-${exercise.id}`}>
      <Card data-color="neutral" className="exercise__card stack-md">
        <div className="stack-sm">
          <Heading level={3} data-size="sm" id={headingId} tabIndex={-1} className="focus-target">
            {exercise.title}
          </Heading>
          <Paragraph>{exercise.instructions}</Paragraph>
        </div>
        {exercise.steps && (
          <div className="exercise__steps">
            <Heading level={4} data-size="2xs">
              {t('exercise.stepsHeading')}
            </Heading>
            <ol className="numbered-steps">
              {exercise.steps.map((step, index) => (
                <li key={index}>{step}</li>
              ))}
            </ol>
          </div>
        )}
        {exercise.id === BREATHING_EXERCISE && <BreathingTimer />}

        <div className="exercise__entries stack-sm">
          <div className="exercise__entries-head">
            <Heading level={4} data-size="2xs">
              {exercise.repeatable ? t('exercise.entriesHeading') : t('exercise.answerHeading')}
            </Heading>
            {exercise.repeatable && (
              <Button type="button" variant="secondary" data-size="sm" onClick={addEntry}>
                {t('exercise.addEntry')}
                <span className="ds-sr-only">{`: ${exercise.title}`}</span>
              </Button>
            )}
          </div>
          <ul className="entry-list">
            {handles.map((handle) => (
              <li key={handle.id} className="entry-list__item">
                <details
                  className="entry"
                  open={open.has(handle.id)}
                  onToggle={(event) => toggle(handle.id, event.currentTarget.open)}
                >
                  <EntrySummary handle={handle} />
                  <div className="entry__body">
                    <EntryEditor exercise={exercise} handle={handle} />
                  </div>
                </details>
              </li>
            ))}
          </ul>
        </div>
      </Card>
    </section>
  );
}

/** "New entry" until the first save, then "Entry from <date>", and whether it is shared. */
function EntrySummary({ handle }: { handle: EntryHandle }) {
  const { t } = useTranslation();
  const language = useLanguage();
  // Re-render when the entry is saved: `handle.stored` is updated by the save.
  useSyncExternalStore(handle.saver.subscribe, handle.saver.getState);
  const stored = handle.stored;
  return (
    <summary className="entry__summary" id={`entry-${handle.id}-summary`}>
      <span className="entry__title">
        {stored
          ? t('exercise.entryFrom', { date: formatDateTime(stored.createdAt, language) })
          : t('exercise.newEntry')}
      </span>
      {stored?.sharedWithGp && <span className="entry__shared">{t('exercise.sharedTag')}</span>}
    </summary>
  );
}
