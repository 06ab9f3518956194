/**
 * Runs after every other browser test (test/support/last-file-sequencer.ts): the suite's server
 * logged at info, as in production (support/global-setup.ts), and every session recorded the text
 * its pages sent (support/sent-text.ts): names, answers, notes, messages, workbook entries, search
 * words, identity numbers, new passwords and codes. None of it may be in the log, in any form a
 * log line could hold it. And the log must hold what it is for, so this cannot pass on an empty
 * file: a line per request, each with its request id.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { baseUrl, DEMO_PASSWORD } from './support/browser.js';
import { enteredTextOf, formsOf, readSentText } from './support/sent-text.js';

interface LogLine {
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string; route?: string };
  res?: { statusCode?: number };
}

function logLines(log: string): LogLine[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/**
 * The product's own shipped content (src/content: modules, surveys, clinical texts) as one string.
 * A page that sends a survey's bundled questionnaire sends its titles and codes; the demo seed
 * names the surveys it creates by title. That is the study's published wording, not anything a
 * person entered, so it is not counted as sent text.
 */
function shippedContent(): string {
  const root = fileURLToPath(new URL('../../src/content/', import.meta.url));
  const read = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? read(join(dir, entry.name))
        : /\.(json|ts|md)$/.test(entry.name)
          ? [readFileSync(join(dir, entry.name), 'utf8')]
          : []
    );
  return read(root).join('\n');
}

async function waitForLog(file: string, text: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const log = readFileSync(file, 'utf8');
    if (log.includes(text) || Date.now() > deadline) return log;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the server log of the browser run', () => {
  it('finds text in every form a log line could hold it (the check itself can fail)', () => {
    const sent = enteredTextOf(
      'http://x/api/search?q=S%C3%B8vn&lang=nb',
      JSON.stringify({ body: 'Hilsen "Ingrid"\nBerg', id: randomUUID(), status: 'partly_sick_leave' })
    );
    expect(sent.sort()).toEqual(['Hilsen "Ingrid"\nBerg', 'Søvn']);
    const line = JSON.stringify({ msg: 'leak', text: 'Hilsen "Ingrid"\nBerg', url: '/x?q=S%C3%B8vn' });
    for (const text of sent)
      expect(
        formsOf(text).some((form) => line.includes(form)),
        text
      ).toBe(true);
  });

  it('has a line for every request with its request id, and none of the text the browser sent', async () => {
    const logFile = inject('serverLogFile');
    // A last request with an id of our own: its line shows the balancer's id is kept and logged,
    // and that every line before it has reached the file.
    const marker = randomUUID();
    const response = await fetch(`${baseUrl()}/api/health`, { headers: { 'x-request-id': marker } });
    expect(response.headers.get('x-request-id')).toBe(marker);
    const log = await waitForLog(logFile, marker);

    const requests = logLines(log).filter((line) => line.msg === 'request completed');
    expect(requests.find((line) => line.reqId === marker)).toMatchObject({
      req: { method: 'GET', url: '/api/health', route: '/api/health' },
      res: { statusCode: 200 },
    });
    expect(requests.length).toBeGreaterThan(1);
    for (const line of requests) {
      expect(line.reqId, JSON.stringify(line)).toMatch(/^[0-9a-f-]{16,64}$/);
      expect(line.req?.url, JSON.stringify(line)).not.toContain('?');
    }

    // The demo password is printed at start on purpose (the demo logins); it is no health data.
    const content = shippedContent();
    const sent = readSentText(inject('sentTextFile')).filter(
      (text) => text !== DEMO_PASSWORD && !content.includes(text)
    );
    expect(sent.length, 'no browser test sent any text: run this file with the journeys').toBeGreaterThan(0);
    const inLog = sent.filter((text) => formsOf(text).some((form) => log.includes(form)));
    expect(inLog, `sent text found in ${logFile}`).toEqual([]);
    console.log(`server log: ${requests.length} request lines; ${sent.length} sent texts, none in the log`);
  });
});
