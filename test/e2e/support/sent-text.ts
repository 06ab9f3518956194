/**
 * What the browser tests typed, as the server received it: every session (support/browser.ts)
 * records the text in the bodies and query strings its pages send to the API, one JSON line per
 * value in the file globalSetup provides (`sentTextFile`). The last test
 * (server-log.last.e2e.test.ts) asserts that none of it is in the server's log.
 *
 * Recording what was sent, not a list kept by hand, means a new test's names, answers, notes and
 * messages are checked without anyone remembering to add them.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { BrowserContext, Request } from 'playwright-core';
import { inject } from 'vitest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Text a person entered: a value with a letter and a space or a character outside plain
 * identifiers ("Søvn og morgener.", "Ingrid Berg", "Søvn"), an 11-digit national identity number,
 * or anything under a password or code field. Ids, dates, enum values, usernames and slugs (plain
 * identifier characters) are not: they legitimately appear in paths and would match by chance.
 */
export function enteredText(value: string, key: string): boolean {
  const text = value.trim();
  if (/^\d{11}$/.test(text)) return true;
  if (UUID.test(text)) return false;
  if (/password|passphrase|secret|token|^code$/i.test(key)) return text.length >= 8;
  if (text.length < 4 || !/\p{L}/u.test(text)) return false;
  return !/^[A-Za-z0-9_.:@/+-]+$/.test(text);
}

function leaves(value: unknown, key: string, out: Map<string, string>): void {
  if (typeof value === 'string') {
    if (enteredText(value, key)) out.set(value.trim(), key);
  } else if (Array.isArray(value)) {
    for (const item of value) leaves(item, key, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, k, out);
  }
}

/** The entered text in one request: its JSON or form body and its query string. */
export function enteredTextOf(url: string, postData: string | null): string[] {
  const found = new Map<string, string>();
  for (const [key, value] of new URL(url).searchParams) leaves(value, key, found);
  if (postData) {
    try {
      leaves(JSON.parse(postData) as unknown, '', found);
    } catch {
      for (const [key, value] of new URLSearchParams(postData)) leaves(value, key, found);
    }
  }
  return [...found.keys()];
}

/** Records what this context's pages send to the suite's server. */
export function recordSentText(context: BrowserContext): void {
  const file = inject('sentTextFile');
  const origin = new URL(inject('baseUrl')).origin;
  const seen = new Set<string>();
  context.on('request', (request: Request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/api/`) && !url.startsWith(`${origin}/fhir/`)) return;
    const fresh = enteredTextOf(url, request.postData()).filter((text) => !seen.has(text));
    for (const text of fresh) seen.add(text);
    if (fresh.length > 0) appendFileSync(file, fresh.map((text) => `${JSON.stringify(text)}\n`).join(''));
  });
}

export function readSentText(file: string): string[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return [...new Set(lines.map((line) => JSON.parse(line) as string))];
}

/** The ways a text could appear in a JSON log line: as is, JSON-escaped, or percent-encoded. */
export function formsOf(text: string): string[] {
  return [...new Set([text, JSON.stringify(text).slice(1, -1), encodeURIComponent(text)])];
}
