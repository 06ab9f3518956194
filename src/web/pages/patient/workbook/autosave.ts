/**
 * Autosave for one workbook entry, without React so it can be tested with fake timers.
 *
 * - Every change waits for a pause in typing (800 ms), then the whole entry is sent with a
 *   revision one higher than the last one sent. The server ignores a revision that is not higher
 *   than the stored one, so a late or repeated request can never overwrite newer text.
 * - One request at a time. Changes made while a request is under way are sent after it.
 * - A request that gets no answer (offline) is retried with backoff, with the SAME revision when
 *   nothing has changed since (it may have reached the server after all), or a higher one when the
 *   patient has typed more. The text stays in memory the whole time: nothing typed is lost.
 * - The server may answer that it already holds that revision or a newer one (another tab): if
 *   what it holds differs from what is on this screen, this screen's text is saved above it.
 * - A 400 (a field the server refuses) is not retried until the patient changes something.
 */
import type { WorkbookAnswers } from '../../../api/client.js';

export interface EntrySnapshot {
  answers: WorkbookAnswers;
  sharedWithGp: boolean;
}

export interface SaveOutcome {
  /** The revision the server holds now. */
  revision: number;
  /** The server kept its own (equal or newer) revision instead of this one. */
  stale: boolean;
  /** What the server holds now. */
  stored: EntrySnapshot;
}

/**
 * idle: nothing to save yet · pending: waiting for a pause in typing · saving: request under way ·
 * saved: the server has everything on screen · retrying: not saved yet, trying again ·
 * failed: the server refused the entry (see `error`); a new change tries again.
 */
export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'retrying' | 'failed';

export interface SaverState {
  status: SaveStatus;
  savedAt: Date | null;
  error: unknown;
}

export interface EntrySaverOptions {
  save: (snapshot: EntrySnapshot, revision: number) => Promise<SaveOutcome>;
  /** The stored revision (0 for an entry that does not exist on the server yet). */
  initialRevision: number;
  /** Worth another try: no answer, a timeout, 429 or 5xx. */
  isRetryable: (error: unknown) => boolean;
  debounceMs?: number;
  retryDelaysMs?: readonly number[];
  now?: () => Date;
}

export const DEFAULT_DEBOUNCE_MS = 800;
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000] as const;

export class EntrySaver {
  private readonly options: Required<EntrySaverOptions>;
  private snapshot: EntrySnapshot | null = null;
  /** Bumped on every local change. */
  private editVersion = 0;
  /** The edit version the server is known to hold. */
  private savedVersion = 0;
  /** The revision last sent (or the server's), and the edit version it carried. */
  private sentRevision: number;
  private sentVersion = -1;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private disposed = false;
  private state: SaverState = { status: 'idle', savedAt: null, error: null };
  private readonly listeners = new Set<(state: SaverState) => void>();

  constructor(options: EntrySaverOptions) {
    this.options = {
      debounceMs: DEFAULT_DEBOUNCE_MS,
      retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
      now: () => new Date(),
      ...options,
    };
    this.sentRevision = options.initialRevision;
  }

  /** The current state; the same object until it changes (for useSyncExternalStore). */
  readonly getState = (): SaverState => this.state;

  /** The latest content on screen, if anything has been changed. */
  getSnapshot(): EntrySnapshot | null {
    return this.snapshot;
  }

  /** Changes on screen that the server does not hold yet. */
  hasUnsavedChanges(): boolean {
    return this.editVersion !== this.savedVersion;
  }

  readonly subscribe = (listener: (state: SaverState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** A change on screen. `immediate` skips the typing pause (a checkbox, a radio button). */
  update(snapshot: EntrySnapshot, options: { immediate?: boolean } = {}): void {
    this.snapshot = snapshot;
    this.editVersion += 1;
    if (this.state.status !== 'retrying') this.setState({ status: 'pending', error: null });
    this.schedule(options.immediate ? 0 : this.options.debounceMs);
  }

  /** Send now whatever is waiting (leaving the page, the browser coming back online). */
  flush(): void {
    if (!this.hasUnsavedChanges()) return;
    if (this.state.status === 'failed') return;
    this.schedule(0);
  }

  /** The connection is back: retry at once instead of waiting out the backoff. */
  retryNow(): void {
    if (this.state.status === 'retrying') {
      this.failures = 0;
      this.schedule(0);
    }
  }

  /** Stop timers and listeners (the page is going away for good). */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.listeners.clear();
  }

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    if (this.inFlight || this.disposed) return; // the finished request schedules the next one
    const snapshot = this.snapshot;
    if (!snapshot || !this.hasUnsavedChanges()) return;

    const version = this.editVersion;
    // The same content goes out with the same revision; anything newer gets a higher one.
    const revision = version === this.sentVersion ? this.sentRevision : this.sentRevision + 1;
    this.sentRevision = revision;
    this.sentVersion = version;
    this.inFlight = true;
    if (this.state.status !== 'retrying') this.setState({ status: 'saving', error: null });

    try {
      const outcome = await this.options.save(snapshot, revision);
      this.failures = 0;
      if (outcome.revision > this.sentRevision) {
        // Someone else (another tab) saved a newer revision.
        this.sentRevision = outcome.revision;
        this.sentVersion = -1;
      }
      if (outcome.stale && !sameSnapshot(outcome.stored, snapshot)) {
        // The server holds different text at an equal or higher revision: save ours above it.
        this.sentRevision = Math.max(this.sentRevision, outcome.revision);
        this.sentVersion = -1;
      } else if (version > this.savedVersion) {
        this.savedVersion = version;
      }
      this.inFlight = false;
      if (this.hasUnsavedChanges()) {
        this.setState({ status: 'pending', error: null });
        // A pending timer is a typing pause still running; without one, send what is waiting now.
        if (this.timer === null) this.schedule(0);
      } else {
        this.setState({ status: 'saved', savedAt: this.options.now(), error: null });
      }
    } catch (error) {
      this.inFlight = false;
      if (this.disposed) return;
      if (this.options.isRetryable(error)) {
        const delays = this.options.retryDelaysMs;
        const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 5_000;
        this.failures += 1;
        this.setState({ status: 'retrying', error });
        this.schedule(delay);
      } else {
        this.setState({ status: 'failed', error });
      }
    }
  }

  private setState(patch: Partial<SaverState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return (a ?? null) === (b ?? null);
}

/** Same answers (a missing field equals null) and the same sharing choice. */
export function sameSnapshot(a: EntrySnapshot, b: EntrySnapshot): boolean {
  if (a.sharedWithGp !== b.sharedWithGp) return false;
  const keys = new Set([...Object.keys(a.answers), ...Object.keys(b.answers)]);
  for (const key of keys) if (!sameValue(a.answers[key], b.answers[key])) return false;
  return true;
}
