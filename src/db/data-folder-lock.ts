/**
 * One writer per embedded data folder (issue 10, item 6). PGlite has no postmaster to refuse a
 * second process: two servers on one folder both wrote, and the data and the audit table's index
 * were corrupted. So a lock is taken before PGlite opens the folder, with proper-lockfile (a lock
 * directory beside the folder, refreshed while held, taken over only when stale, so a server
 * killed with -9 does not block the next start for longer than the stale period, 30 s).
 */
import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';

export class DataFolderInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The data folder ${dataDir} is in use by another GP-DEP server. Stop that server first, ` +
        'or start this one with another DATA_DIR.'
    );
    this.name = 'DataFolderInUseError';
  }
}

/**
 * How long a lock may go without a refresh before it counts as left by a dead process: long
 * enough that a busy server (a long query blocks its event loop) never loses it, short enough
 * that a restart after kill -9 waits half a minute at most.
 */
export const LOCK_STALE_MS = 30_000;

/**
 * Takes the folder's lock or throws DataFolderInUseError. Waits up to a little longer than the
 * stale period, so a restart right after a crash gets in; a live server keeps its lock fresh and
 * a second one is refused. `onLost` is called if the lock is ever lost while held: the caller
 * must stop writing at once.
 */
export async function lockDataFolder(
  dataDir: string,
  onLost: (error: Error) => void
): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      stale: LOCK_STALE_MS,
      update: LOCK_STALE_MS / 6,
      // About 35 s of retries: a little longer than the stale period.
      retries: { retries: 12, factor: 1.5, minTimeout: 500, maxTimeout: 4_000 },
      onCompromised: onLost,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataFolderInUseError(dataDir);
    throw error;
  }
}

/**
 * Whether a live process holds the folder's lock now (a lock left by a dead process, older than
 * the stale period, does not count): lets a tool refuse at once instead of waiting for it.
 */
export async function dataFolderLockHeld(dataDir: string): Promise<boolean> {
  try {
    return await lockfile.check(dataDir, { stale: LOCK_STALE_MS });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
