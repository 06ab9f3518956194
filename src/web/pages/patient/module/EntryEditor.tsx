/**
 * One workbook entry of an exercise: its fields, the sharing choice (off unless ticked) and a
 * polite save status. Every change is autosaved (see workbook/autosave.ts); the text stays on
 * screen whatever the network does.
 */
import { Checkbox } from '@digdir/designsystemet-react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Exercise } from '../../../../domain/program/content-schema.js';
import { ApiError, type AnswerValue, type WorkbookAnswers } from '../../../api/client.js';
import { describeError } from '../../../components/errors.js';
import { formatTime } from '../../../format.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import type { SaverState } from '../workbook/autosave.js';
import type { EntryHandle } from '../workbook/entry-registry.js';
import { ExerciseField } from './ExerciseField.js';
import './EntryEditor.css';

export function EntryEditor({ exercise, handle }: { exercise: Exercise; handle: EntryHandle }) {
  const { t } = useTranslation();
  const saver = handle.saver;
  const [answers, setAnswers] = useState<WorkbookAnswers>(
    () => saver.getSnapshot()?.answers ?? handle.stored?.answers ?? {}
  );
  const [shared, setShared] = useState<boolean>(
    () => saver.getSnapshot()?.sharedWithGp ?? handle.stored?.sharedWithGp ?? false
  );
  const saveState = useSyncExternalStore(saver.subscribe, saver.getState);

  // Leaving the page: send what is waiting now rather than after the typing pause.
  useEffect(() => () => saver.flush(), [saver]);

  function setField(fieldId: string, value: AnswerValue, options: { immediate?: boolean } = {}) {
    const next = { ...answers, [fieldId]: value };
    setAnswers(next);
    saver.update({ answers: next, sharedWithGp: shared }, options);
  }

  function setSharing(value: boolean) {
    setShared(value);
    saver.update({ answers, sharedWithGp: value }, { immediate: true });
  }

  const fieldErrors = fieldErrorsOf(saveState);
  const shareId = `${handle.id}-share`;

  return (
    <div className="entry-editor" data-entry-id={handle.id}>
      {exercise.fields.map((field) => (
        <div key={field.id} className="entry-editor__field">
          <ExerciseField
            field={field}
            name={`${handle.id}-${field.id}`}
            value={answers[field.id]}
            error={fieldErrors.has(field.id) ? t('exercise.fieldRefused') : null}
            onChange={(value, options) => setField(field.id, value, options)}
          />
        </div>
      ))}
      <div className="entry-editor__share">
        <Checkbox
          id={shareId}
          label={t('exercise.shareLabel')}
          description={t('exercise.shareDescription')}
          checked={shared}
          onChange={(event) => setSharing(event.target.checked)}
          data-testid="share-toggle"
        />
      </div>
      <SaveStatus state={saveState} />
    </div>
  );
}

/** Field ids the server refused (400 names them `answers.<fieldId>`). */
function fieldErrorsOf(state: SaverState): ReadonlySet<string> {
  if (state.status !== 'failed' || !(state.error instanceof ApiError)) return new Set();
  return new Set(
    state.error.fieldErrors
      .map((error) => /^answers\.(.+)$/.exec(error.field)?.[1])
      .filter((id): id is string => Boolean(id))
  );
}

/** "Lagret" / "Lagrer …" / "Ikke lagret ennå – prøver igjen", in a polite live region. */
export function SaveStatus({ state }: { state: SaverState }) {
  const { t } = useTranslation();
  const language = useLanguage();
  let text = '';
  let icon = '';
  switch (state.status) {
    case 'idle':
      text = t('exercise.autosaveHint');
      break;
    case 'pending':
    case 'saving':
      text = t('exercise.saving');
      icon = '…';
      break;
    case 'saved':
      text = state.savedAt
        ? t('exercise.savedAt', { time: formatTime(state.savedAt.toISOString(), language) })
        : t('exercise.saved');
      icon = '✓';
      break;
    case 'retrying':
      text = t('exercise.notSavedRetrying');
      icon = '!';
      break;
    case 'failed':
      text = `${t('exercise.notSaved')} ${describeError(t, state.error)}`;
      icon = '!';
      break;
  }
  return (
    <p
      className="save-status ds-paragraph"
      data-size="sm"
      data-status={state.status}
      role="status"
      data-testid="save-status"
    >
      {icon && (
        <span className="save-status__icon" aria-hidden="true">
          {icon}
        </span>
      )}
      {text}
    </p>
  );
}
