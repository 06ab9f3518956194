/**
 * Where audit checkpoints go: outside the database, append-only. The default is a file of JSON
 * lines (opened for appending only, flushed to disk at each line); to ship checkpoints off the
 * machine, tail that file into a remote log or a write-once store, or implement AuditAnchorStore
 * for one (docs/security.md, item 5). A line that cannot be read is reported, never skipped.
 */
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditCheckpoint } from '../../domain/audit/checkpoint.js';

export interface AuditAnchorStore {
  append(checkpoint: AuditCheckpoint): Promise<void>;
  /** Every checkpoint in the order written; `unreadable` counts lines that are not checkpoints. */
  readAll(): Promise<{ checkpoints: AuditCheckpoint[]; unreadable: number }>;
}

export class FileAnchorStore implements AuditAnchorStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'audit-checkpoints.jsonl');
  }

  async append(checkpoint: AuditCheckpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.appendFile(`${JSON.stringify(checkpoint)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async readAll(): Promise<{ checkpoints: AuditCheckpoint[]; unreadable: number }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], unreadable: 0 };
      throw error;
    }
    const checkpoints: AuditCheckpoint[] = [];
    let unreadable = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const c = JSON.parse(line) as AuditCheckpoint;
        if (typeof c.seq !== 'number' || typeof c.headHash !== 'string' || typeof c.signature !== 'string') {
          unreadable += 1;
        } else checkpoints.push(c);
      } catch {
        unreadable += 1;
      }
    }
    return { checkpoints, unreadable };
  }
}

/** For tests that need a store to lose, forge or reorder lines in. */
export async function appendRawLine(store: FileAnchorStore, line: string): Promise<void> {
  await mkdir(store.dir, { recursive: true });
  await appendFile(store.file, `${line}\n`);
}
