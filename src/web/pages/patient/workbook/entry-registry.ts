/**
 * One autosaver per workbook entry for the whole visit, so an entry being saved (or retried while
 * offline) keeps its saver, its revision and its latest text when the patient moves to another
 * page of the module and back, or when its editor is moved on the page. Editors start from the
 * latest text here rather than from what the server last sent.
 *
 * While anything is unsaved, leaving the site asks for confirmation; when the browser comes back
 * online every waiting entry is retried at once. Nothing is written to browser storage.
 */
import { api, ApiError, NetworkError, type ModuleId, type WorkbookEntry } from '../../../api/client.js';
import { EntrySaver } from './autosave.js';

export interface EntryHandle {
  id: string;
  moduleId: ModuleId;
  exerciseId: string;
  /** When the entry was made (the server's time once saved; this browser's before that). */
  createdAt: Date;
  saver: EntrySaver;
  /** The entry as the server last returned it. */
  stored: WorkbookEntry | null;
}

const handles = new Map<string, EntryHandle>();
let owner: string | null = null;
let listening = false;

function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  return error instanceof ApiError && (error.status === 429 || error.status >= 500);
}

function listen(): void {
  if (listening) return;
  listening = true;
  window.addEventListener('online', () => {
    for (const handle of handles.values()) handle.saver.retryNow();
  });
  window.addEventListener('beforeunload', (event) => {
    if (hasUnsavedEntries()) event.preventDefault();
  });
}

export function hasUnsavedEntries(): boolean {
  for (const handle of handles.values()) if (handle.saver.hasUnsavedChanges()) return true;
  return false;
}

/** The handle of an entry, made on first use. `stored` is the server's copy, if it exists. */
export function entryHandle(
  patientId: string,
  init: { id: string; moduleId: ModuleId; exerciseId: string; stored: WorkbookEntry | null }
): EntryHandle {
  if (owner !== patientId) {
    for (const handle of handles.values()) handle.saver.dispose();
    handles.clear();
    owner = patientId;
  }
  const existing = handles.get(init.id);
  if (existing) {
    if (init.stored && (!existing.stored || init.stored.revision > existing.stored.revision)) {
      existing.stored = init.stored;
      existing.createdAt = new Date(init.stored.createdAt);
    }
    return existing;
  }
  listen();
  const handle: EntryHandle = {
    id: init.id,
    moduleId: init.moduleId,
    exerciseId: init.exerciseId,
    createdAt: init.stored ? new Date(init.stored.createdAt) : new Date(),
    stored: init.stored,
    saver: new EntrySaver({
      initialRevision: init.stored?.revision ?? 0,
      isRetryable,
      save: async (snapshot, revision) => {
        const { entry, stale } = await api.saveWorkbookEntry(patientId, init.id, {
          moduleId: init.moduleId,
          exerciseId: init.exerciseId,
          answers: snapshot.answers,
          sharedWithGp: snapshot.sharedWithGp,
          revision,
        });
        handle.stored = entry;
        handle.createdAt = new Date(entry.createdAt);
        return {
          revision: entry.revision,
          stale,
          stored: { answers: entry.answers, sharedWithGp: entry.sharedWithGp },
        };
      },
    }),
  };
  handles.set(init.id, handle);
  return handle;
}

/**
 * Entries of one exercise typed in during this visit. The caller merges them (by id) with the
 * server's list, so an entry whose first save has not arrived yet is still shown.
 */
export function typedEntries(moduleId: ModuleId, exerciseId: string): EntryHandle[] {
  return [...handles.values()].filter(
    (h) => h.moduleId === moduleId && h.exerciseId === exerciseId && h.saver.getSnapshot() !== null
  );
}
