/**
 * The framework method and reflexive thematic analysis over HTTP (issue 15), on PGlite and (with
 * DATABASE_URL) PostgreSQL, on the same codes and codings as STC: a framework matrix of cases by
 * themes whose cells show the codings behind them (every coder's for the lead, a coder's own for a
 * coder) and the summaries written from them; a thematic analysis whose themes move through the
 * phases, refused when a link is broken (400 naming the place), stored with open points when it
 * is only unfinished; both saved whole with their revision (a stale save 409).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  FIXTURE_PASSWORD,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';
import type { FrameworkDocument, ThematicDocument } from '../../contract/qualitative-methods.js';
import { hashPassword } from '../auth/passwords.js';

let t: TestApp;
let lead: LoggedIn;
let coder: LoggedIn;
let reader: LoggedIn;
let studyId: string;
const sources: Record<string, { id: string; text: string }> = {};
const codes: Record<string, string> = {};
const codings: Record<string, string> = {};
const BASE = '/api/research/qualitative/studies';

// Synthetic interviews, written for this test.
const CASES = {
  case1: ['Intervjuer: Hvordan var det å starte?', 'Case-1: Jeg orket ikke modulene før legen ringte meg.'],
  case2: ['Intervjuer: Hva hjalp?', 'Case-2: At legen spurte om programmet hver gang jeg kom.'],
};

async function member(username: string, role: 'coder' | 'reader'): Promise<LoggedIn> {
  const row = await t.db
    .insertInto('users')
    .values({
      username,
      display_name: username,
      role: 'researcher',
      password_hash: await hashPassword(FIXTURE_PASSWORD),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const added = await t.call(lead, 'POST', `${BASE}/${studyId}/members`, { body: { userId: row.id, role } });
  expect(added.statusCode, added.body).toBe(200);
  return t.login(username);
}

function span(source: keyof typeof CASES, phrase: string) {
  const start = sources[source]!.text.indexOf(phrase);
  expect(start, phrase).toBeGreaterThanOrEqual(0);
  return { start, end: start + phrase.length };
}

beforeAll(async () => {
  t = await createTestApp();
  lead = await t.login('researcher');
  studyId = (await t.call(lead, 'POST', BASE, { body: { title: 'Case-studier (syntetisk)' } })).json<{
    id: string;
  }>().id;
  coder = await member('methods.coder', 'coder');
  reader = await member('methods.reader', 'reader');
  for (const [key, lines] of Object.entries(CASES)) {
    const imported = await t.call(lead, 'POST', `${BASE}/${studyId}/sources`, {
      body: {
        title: `${key}.txt`,
        language: 'nb',
        participantIds: [],
        fileName: `${key}.txt`,
        content: Buffer.from(lines.join('\n')).toString('base64'),
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const id = imported.json<{ id: string }>().id;
    const review = await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${id}/review`);
    const proposals = review.json<{ proposals: Array<{ id: string }> }>().proposals;
    if (proposals.length)
      await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${id}/decisions`, {
        body: { decisions: proposals.map((p) => ({ proposalId: p.id, action: 'reject' })) },
      });
    expect((await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${id}/apply`)).statusCode).toBe(200);
    const text = (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${id}`)).json<{ text: string }>()
      .text;
    sources[key] = { id, text };
  }
  for (const name of ['Legens rolle', 'Motivasjon']) {
    const res = await t.call(lead, 'POST', `${BASE}/${studyId}/codes`, { body: { name, parentId: null } });
    codes[name] = res.json<{ id: string }>().id;
  }
  const code = async (who: LoggedIn, source: keyof typeof CASES, codeName: string, phrase: string) => {
    const res = await t.call(who, 'POST', `${BASE}/${studyId}/sources/${sources[source]!.id}/codings`, {
      body: { codeId: codes[codeName], ...span(source, phrase) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  codings.leadCase1 = await code(lead, 'case1', 'Legens rolle', 'før legen ringte meg');
  codings.leadCase1Motivation = await code(lead, 'case1', 'Motivasjon', 'Jeg orket ikke modulene');
  codings.coderCase2 = await code(coder, 'case2', 'Legens rolle', 'At legen spurte om programmet');
}, 120_000);
afterAll(async () => t?.close());

describe('the framework method', () => {
  it('charts cases by themes from the codings, with a summary per cell', async () => {
    const created = await t.call(lead, 'POST', `${BASE}/${studyId}/framework`, { body: { title: 'Casene' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect(
      (await t.call(reader, 'POST', `${BASE}/${studyId}/framework`, { body: { title: 'x' } })).statusCode
    ).toBe(403);
    const document: FrameworkDocument = {
      cases: [
        { id: 'case-1', label: 'Case-1', sourceIds: [sources.case1!.id] },
        { id: 'case-2', label: 'Case-2', sourceIds: [sources.case2!.id] },
      ],
      themes: [
        { id: 'gp', label: 'Legens rolle', codeIds: [codes['Legens rolle']!] },
        { id: 'motivation', label: 'Motivasjon', codeIds: [codes['Motivasjon']!] },
      ],
      summaries: [{ caseId: 'case-1', themeId: 'gp', text: 'Legens oppringning fikk ham i gang.' }],
    };
    const save = (revision: number, doc: FrameworkDocument) =>
      t.call(lead, 'PUT', `${BASE}/${studyId}/framework/${id}`, {
        body: { revision, title: 'Casene', document: doc },
      });
    const saved = await save(1, document);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().revision).toBe(2);
    expect((await save(1, document)).statusCode).toBe(409);
    const broken = await save(2, {
      ...document,
      cases: [{ id: 'case-1', label: 'Case-1', sourceIds: ['00000000-0000-4000-8000-000000000000'] }],
      summaries: [{ caseId: 'case-9', themeId: 'gp', text: 'x' }],
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'document.cases[0].sourceIds[0]',
      'document.summaries[0].caseId',
    ]);

    // the lead sees every coder's codings: case 2 has the coder's coding of the GP's role
    const view = (await t.call(lead, 'GET', `${BASE}/${studyId}/framework/${id}`)).json();
    expect(view.codings).toBe('all');
    const status = view.cells.map((row: Array<{ status: string }>) => row.map((c) => c.status));
    expect(status).toEqual([
      ['summarised', 'needs-summary'],
      ['needs-summary', 'no-data'],
    ]);
    expect(view.toSummarise).toBe(2);
    // a coder charts their own codings only
    const mine = (await t.call(coder, 'GET', `${BASE}/${studyId}/framework/${id}`)).json();
    expect(mine.codings).toBe('mine');
    expect(mine.cells[0][0].status).toBe('summary-without-data');
    expect(mine.cells[1][0].codings).toBe(1);

    const cell = await t.call(reader, 'GET', `${BASE}/${studyId}/framework/${id}/cell?case=case-2&theme=gp`);
    expect(cell.statusCode, cell.body).toBe(200);
    expect(cell.json().quotes).toEqual([
      expect.objectContaining({
        text: 'At legen spurte om programmet',
        speaker: 'Case-2',
        coder: 'methods.coder',
        lines: { from: 3, to: 3 },
      }),
    ]);
    expect(
      (await t.call(reader, 'GET', `${BASE}/${studyId}/framework/${id}/cell?case=case-9&theme=gp`)).statusCode
    ).toBe(404);
    const listed = (await t.call(reader, 'GET', `${BASE}/${studyId}/methods`)).json().analyses;
    expect(listed).toContainEqual(expect.objectContaining({ id, method: 'framework', revision: 2 }));
  });
});

describe('reflexive thematic analysis', () => {
  it('takes a theme through the phases, refusing broken links and keeping unfinished work', async () => {
    const id = (
      await t.call(coder, 'POST', `${BASE}/${studyId}/thematic`, { body: { title: 'Tematisk' } })
    ).json<{
      id: string;
    }>().id;
    const base: ThematicDocument = {
      familiarisation: [{ sourceId: sources.case1!.id, notes: 'Legen som vekker, ikke programmet.' }],
      themes: [
        {
          id: 'wake',
          name: 'Legen som vekkerklokke',
          status: 'candidate',
          centralConcept: '',
          definition: '',
          codeIds: [codes['Legens rolle']!],
          extractCodingIds: [],
          writeUp: '',
        },
        {
          id: 'later',
          name: 'Noe om tid',
          status: 'candidate',
          centralConcept: '',
          definition: '',
          codeIds: [],
          extractCodingIds: [],
          writeUp: 'Et tidlig utkast.',
        },
      ],
      journal: [
        { date: '2026-12-05', text: 'Jeg er selv fastlege; jeg leter kanskje etter legens betydning.' },
      ],
    };
    const save = (revision: number, doc: ThematicDocument) =>
      t.call(coder, 'PUT', `${BASE}/${studyId}/thematic/${id}`, {
        body: { revision, title: 'Tematisk', document: doc },
      });
    const saved = await save(1, base);
    expect(saved.statusCode, saved.body).toBe(200);
    const view = (await t.call(reader, 'GET', `${BASE}/${studyId}/thematic/${id}`)).json();
    expect(view.themes).toEqual([
      { id: 'wake', phase: 3, codings: 2 },
      { id: 'later', phase: 3, codings: 0 },
    ]);
    expect(view.openPoints.map((p: { path: string }) => p.path)).toEqual([
      'document.themes[1].codeIds',
      'document.themes[1].writeUp',
    ]);

    // defined without its concept and definition, and an extract of another code: refused
    const wrong = structuredClone(base);
    wrong.themes[0] = {
      ...wrong.themes[0]!,
      status: 'defined',
      extractCodingIds: [codings.leadCase1Motivation!],
    };
    const refused = await save(2, wrong);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'document.themes[0].extractCodingIds[0]',
      'document.themes[0]',
    ]);

    const defined = structuredClone(base);
    defined.themes[0] = {
      ...defined.themes[0]!,
      status: 'defined',
      centralConcept: 'Legens kontakt er det som setter programmet i gang.',
      definition: 'Når pasientene forteller at legen fikk dem til å begynne eller fortsette.',
      extractCodingIds: [codings.leadCase1!, codings.coderCase2!],
      writeUp: 'Begge casene beskrev legen som den som satte i gang.',
    };
    defined.themes[1] = { ...defined.themes[1]!, status: 'discarded', writeUp: '' };
    expect((await save(2, defined)).statusCode).toBe(200);
    const after = (await t.call(lead, 'GET', `${BASE}/${studyId}/thematic/${id}`)).json();
    expect(after.themes.map((x: { phase: number }) => x.phase)).toEqual([6, 4]);
    expect(after.openPoints).toEqual([]);
    expect((await save(2, defined)).statusCode).toBe(409);
    // the reader reads, never writes
    expect(
      (
        await t.call(reader, 'PUT', `${BASE}/${studyId}/thematic/${id}`, {
          body: { revision: 3, title: 'x', document: defined },
        })
      ).statusCode
    ).toBe(403);
  });
});
