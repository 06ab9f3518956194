/**
 * Where audit checkpoints go: outside the database, append-only. The default is a file of JSON
 * lines (opened for appending only, flushed to disk at each line); to ship checkpoints off the
 * machine, tail that file into a remote log or a write-once store, or implement AuditAnchorStore
 * for one (docs/security.md, item 5). A line that cannot be read is reported, never skipped.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  parseCheckpointLine,
  type AuditCheckpoint,
  type StoredCheckpoint,
} from '../../domain/audit/checkpoint.js';

export interface AuditAnchorStore {
  /**
   * Appends one self-contained checkpoint line, durably, before returning. Called while the chain
   * head is locked, so keep it quick: a remote sink should be fed from the file, not written here.
   */
  append(checkpoint: AuditCheckpoint): Promise<void>;
  /** Every checkpoint in the order written, with its line; `unreadable` lists lines that are not checkpoints. */
  readAll(): Promise<{ checkpoints: StoredCheckpoint[]; unreadable: number[] }>;
}

export class FileAnchorStore implements AuditAnchorStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'audit-checkpoints.jsonl');
  }

  async append(checkpoint: AuditCheckpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // 'a' is O_APPEND: each write lands at the end, so the file is never rewritten, and one line
    // per write keeps lines whole when several processes append to the same file.
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.write(`${JSON.stringify(checkpoint)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async readAll(): Promise<{ checkpoints: StoredCheckpoint[]; unreadable: number[] }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], unreadable: [] };
      throw error;
    }
    const checkpoints: StoredCheckpoint[] = [];
    const unreadable: number[] = [];
    const lines = text.split('\n');
    // The text ends with a newline, so the last piece is empty; any other empty line counts.
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((line, i) => {
      const checkpoint = parseCheckpointLine(line);
      if (checkpoint) checkpoints.push({ line: i + 1, checkpoint });
      else unreadable.push(i + 1);
    });
    return { checkpoints, unreadable };
  }
}
