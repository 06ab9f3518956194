/**
 * The server's clock. Normally the real time. A browser test that must see what happens a week
 * later (the next module opening, an urgent case escalating after its deadline) starts the server
 * with TEST_CLOCK_FILE: the file holds an offset in milliseconds from the real time, read on every
 * call, so the test moves time by writing the file. Only with NODE_ENV=test: anywhere else the
 * server refuses to start, so production always runs on the real time.
 */
import { readFileSync } from 'node:fs';

export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): () => Date {
  const file = env.TEST_CLOCK_FILE;
  if (!file) return () => new Date();
  if (env.NODE_ENV !== 'test')
    throw new Error('TEST_CLOCK_FILE is for the browser tests only: it needs NODE_ENV=test.');
  return () => new Date(Date.now() + offsetIn(file));
}

function offsetIn(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return 0; // No file yet: the real time.
  }
  if (text === '') return 0;
  const offset = Number(text);
  if (!Number.isSafeInteger(offset))
    throw new Error(`TEST_CLOCK_FILE holds "${text}", not whole milliseconds.`);
  return offset;
}
