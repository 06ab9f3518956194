/**
 * The codebook, coding, agreement and memos over HTTP (issue 15), on PGlite and (with DATABASE_URL)
 * PostgreSQL: the codebook refuses a duplicate name (400 naming it) and a cycle (409); a reader
 * cannot code; coding waits for de-identification (409) and names a bad offset; coders code apart;
 * two coders' agreement matches a hand-worked kappa and alpha; merging and splitting keep every
 * coded character; a withdrawal removes the codings in the participant's speech and moves the rest.
 * Search stems each transcript in its own language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  FIXTURE_PASSWORD,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';
import { hashPassword } from '../auth/passwords.js';

let t: TestApp;
let lead: LoggedIn;
let coderA: LoggedIn;
let coderB: LoggedIn;
let reader: LoggedIn;
const users: Record<string, string> = {};
let studyId: string;
let eventNumber = 0;
const participants: Record<string, string> = {};
const BASE = '/api/research/qualitative/studies';
const b64 = (s: string) => Buffer.from(s).toString('base64');

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
  users[username] = row.id;
  const res = await t.call(lead, 'POST', `${BASE}/${studyId}/members`, { body: { userId: row.id, role } });
  expect(res.statusCode, res.body).toBe(200);
  return t.login(username);
}

/** Imports a transcript; with `open`, accepts every proposal and opens it for coding. */
async function source(
  lines: string[],
  open = true,
  language: 'nb' | 'en' = 'nb'
): Promise<{ id: string; text: string }> {
  const event = await t.call(lead, 'POST', `${BASE}/${studyId}/events`, {
    body: { kind: 'interview', number: ++eventNumber, heldOn: '2026-11-03' },
  });
  const imported = await t.call(lead, 'POST', `${BASE}/${studyId}/sources`, {
    body: {
      title: `intervju-${eventNumber}.txt`,
      language,
      eventId: event.json<{ id: string }>().id,
      participantIds: Object.values(participants),
      fileName: `intervju-${eventNumber}.txt`,
      content: b64(lines.join('\n')),
    },
  });
  expect(imported.statusCode, imported.body).toBe(201);
  const id = imported.json<{ id: string }>().id;
  if (!open) return { id, text: '' };
  const review = await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${id}/review`);
  const decisions = review
    .json<{ proposals: Array<{ id: string }> }>()
    .proposals.map((p) => ({ proposalId: p.id, action: 'accept' }));
  expect(
    (await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${id}/decisions`, { body: { decisions } }))
      .statusCode
  ).toBe(200);
  expect((await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${id}/apply`)).statusCode).toBe(200);
  const text = (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${id}`)).json<{ text: string }>().text;
  return { id, text };
}

async function code(name: string, parentId: string | null = null): Promise<string> {
  const res = await t.call(lead, 'POST', `${BASE}/${studyId}/codes`, { body: { name, parentId } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function coding(who: LoggedIn, sourceId: string, codeId: string, start: number, end: number) {
  return t.call(who, 'POST', `${BASE}/${studyId}/sources/${sourceId}/codings`, {
    body: { codeId, start, end },
  });
}

/** Characters each coder has coded with a code in a source (union of their segments). */
async function coverage(sourceId: string, codeId: string): Promise<Record<string, number>> {
  const rows = await t.db
    .selectFrom('qual_codings')
    .select(['coder_id', 'start_offset', 'end_offset'])
    .where('source_id', '=', sourceId)
    .where('code_id', '=', codeId)
    .execute();
  const out: Record<string, Set<number>> = {};
  for (const r of rows)
    for (let i = r.start_offset; i < r.end_offset; i++) (out[r.coder_id] ??= new Set()).add(i);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.size]));
}

beforeAll(async () => {
  t = await createTestApp();
  lead = await t.login('researcher');
  studyId = (await t.call(lead, 'POST', BASE, { body: { title: 'Koding (syntetisk)' } })).json<{
    id: string;
  }>().id;
  coderA = await member('koder.a', 'coder');
  coderB = await member('koder.b', 'coder');
  reader = await member('leser', 'reader');
  for (const pseudonym of ['GP-01', 'GP-02']) {
    const res = await t.call(lead, 'POST', `${BASE}/${studyId}/participants`, {
      body: { pseudonym, kind: 'gp' },
    });
    participants[pseudonym] = res.json<{ id: string }>().id;
  }
}, 120_000);
afterAll(async () => t?.close());

describe('the codebook', () => {
  it('refuses a duplicate sibling name and a cycle, keeps tree order, and lets a reader only read', async () => {
    const parent = await code('Tid');
    const child = await code('Timen er for kort', parent);
    await code('Anbefaling');
    const duplicate = await t.call(lead, 'POST', `${BASE}/${studyId}/codes`, {
      body: { name: 'tid', parentId: null },
    });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json().errors[0].field).toBe('name');
    const cycle = await t.call(coderA, 'PATCH', `${BASE}/${studyId}/codes/${parent}`, {
      body: { parentId: child },
    });
    expect(cycle.statusCode).toBe(409);
    expect(
      (await t.call(reader, 'POST', `${BASE}/${studyId}/codes`, { body: { name: 'X', parentId: null } }))
        .statusCode
    ).toBe(403);
    const book = await t.call(reader, 'GET', `${BASE}/${studyId}/codes`);
    const names = book.json<{ codes: Array<{ name: string }> }>().codes.map((c) => c.name);
    expect(names.indexOf('Timen er for kort')).toBe(names.indexOf('Tid') + 1);
    expect(names.indexOf('Anbefaling')).toBeLessThan(names.indexOf('Tid'));
  });
});

describe('coding', () => {
  it('waits for de-identification, names a bad offset or code, and refuses a reader', async () => {
    const codeId = await code('Tilbakemelding');
    const closed = await source(['GP-01: Jeg hører aldri noe mer fra dem.'], false);
    expect((await coding(coderA, closed.id, codeId, 0, 5)).statusCode).toBe(409);
    const open = await source(['GP-01: Jeg hører aldri noe mer fra dem.']);
    const past = await coding(coderA, open.id, codeId, 0, open.text.length + 1);
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0]).toMatchObject({ field: 'end' });
    const backwards = await coding(coderA, open.id, codeId, 5, 5);
    expect(backwards.json().errors[0].field).toBe('end');
    const unknown = await coding(coderA, open.id, '00000000-0000-4000-8000-000000000000', 0, 5);
    expect(unknown.json().errors[0].field).toBe('codeId');
    expect((await coding(reader, open.id, codeId, 0, 5)).statusCode).toBe(403);
    expect((await coding(coderA, open.id, codeId, 0, 5)).statusCode).toBe(201);
  });

  it('keeps coders apart and matches a hand-worked kappa and alpha', async () => {
    // 100 characters; A codes [0, 40), B codes [20, 60).
    const { id, text } = await source([`GP-01: ${'a'.repeat(100)}`]);
    expect(text).toHaveLength(100);
    const codeId = await code('Hundre');
    expect((await coding(coderA, id, codeId, 0, 40)).statusCode).toBe(201);
    expect((await coding(coderB, id, codeId, 20, 60)).statusCode).toBe(201);
    const own = await t.call(coderA, 'GET', `${BASE}/${studyId}/sources/${id}/codings`);
    expect(own.json().codings).toHaveLength(1);
    expect(
      (await t.call(coderA, 'GET', `${BASE}/${studyId}/sources/${id}/codings?coder=all`)).statusCode
    ).toBe(403);
    expect(
      (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${id}/codings?coder=all`)).json().codings
    ).toHaveLength(2);

    const res = await t.call(
      coderA,
      'GET',
      `${BASE}/${studyId}/sources/${id}/agreement?coders=${users['koder.a']},${users['koder.b']}`
    );
    expect(res.statusCode, res.body).toBe(200);
    const [row] = res.json<{ codes: Array<Record<string, { value: number }>> }>().codes;
    // Both 20, A only 20, B only 20, neither 40: p_o = 0.6, p_e = 0.4·0.4 + 0.6·0.6 = 0.52,
    // kappa = 0.08 / 0.48 = 1/6. Alpha: n = 200 values (80 "coded"), 40 disagreeing units:
    // 1 − 199 · 40 / (120 · 80) = 0.170833…
    expect(row!.percentAgreement!.value).toBeCloseTo(0.6, 12);
    expect(row!.kappa!.value).toBeCloseTo(1 / 6, 12);
    expect(row!.alpha!.value).toBeCloseTo(1 - (199 * 40) / (120 * 80), 12);
    const notMember = await t.call(
      lead,
      'GET',
      `${BASE}/${studyId}/agreement?coders=${users['koder.a']},${t.fixture.userIds.gp1}`
    );
    expect(notMember.statusCode).toBe(400);
    expect(notMember.json().errors[0].field).toBe('coders');
  });

  it('merges and splits without losing a coded character', async () => {
    const { id } = await source([`GP-01: ${'b'.repeat(80)}`]);
    const from = await code('Stress');
    const into = await code('Press');
    await coding(coderA, id, from, 0, 30);
    await coding(coderA, id, into, 20, 50); // overlaps A's "Stress": united after the merge
    await coding(coderB, id, from, 60, 70);
    const before = { a: 50, b: 10 };
    const merged = await t.call(coderB, 'POST', `${BASE}/${studyId}/codes/${from}/merge`, {
      body: { intoCodeId: into },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ relabelled: 2, united: 1, codings: 2 });
    expect(await coverage(id, into)).toEqual({
      [users['koder.a']!]: before.a,
      [users['koder.b']!]: before.b,
    });
    const b = (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${id}/codings?coder=all`))
      .json<{
        codings: Array<{ id: string; coderId: string }>;
      }>()
      .codings.find((c) => c.coderId === users['koder.b'])!;
    const split = await t.call(lead, 'POST', `${BASE}/${studyId}/codes/${into}/split`, {
      body: { newCode: { name: 'Tidspress' }, codingIds: [b.id] },
    });
    expect(split.statusCode, split.body).toBe(201);
    expect(split.json().moved).toBe(1);
    expect(await coverage(id, into)).toEqual({ [users['koder.a']!]: 50 });
    expect(await coverage(id, split.json().code.id)).toEqual({ [users['koder.b']!]: 10 });
  });

  it('removes codings in a withdrawn participant’s speech and moves the others with the text', async () => {
    const { id, text } = await source([
      'GP-01: Jeg rekker ikke å følge opp.',
      'GP-02: Jeg ringer pasienten etter en uke.',
      'GP-01: Da vet de at noen ser dem.',
    ]);
    const codeId = await code('Oppfølging');
    const span = (phrase: string) => [text.indexOf(phrase), text.indexOf(phrase) + phrase.length] as const;
    await coding(coderA, id, codeId, ...span('Jeg ringer pasienten'));
    await coding(coderA, id, codeId, ...span('noen ser dem'));
    const memo = await t.call(coderB, 'POST', `${BASE}/${studyId}/memos`, {
      body: {
        target: 'segment',
        sourceId: id,
        start: span('noen ser dem')[0],
        end: span('noen ser dem')[1],
        text: 'Å bli sett.',
      },
    });
    expect(memo.statusCode, memo.body).toBe(201);
    // a memo is its author's
    expect(
      (await t.call(coderA, 'PATCH', `${BASE}/${studyId}/memos/${memo.json().id}`, { body: { text: 'x' } }))
        .statusCode
    ).toBe(404);

    const withdrawn = await t.call(
      lead,
      'POST',
      `${BASE}/${studyId}/participants/${participants['GP-02']}/withdraw`
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().codingsRemoved).toBeGreaterThanOrEqual(1);
    delete participants['GP-02']; // later transcripts are without them
    const after = (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${id}`)).json<{ text: string }>()
      .text;
    const left = (await t.call(coderA, 'GET', `${BASE}/${studyId}/sources/${id}/codings`)).json<{
      codings: Array<{ start: number; end: number }>;
    }>().codings;
    expect(left.map((c) => after.slice(c.start, c.end))).toEqual(['noen ser dem']);
    const memos = (await t.call(coderB, 'GET', `${BASE}/${studyId}/memos?sourceId=${id}`)).json<{
      memos: Array<{ start: number; end: number }>;
    }>().memos;
    expect(memos.map((m) => after.slice(m.start, m.end))).toEqual(['noen ser dem']);
  });
});

describe('search in each transcript’s language', () => {
  it('stems English with the English configuration and Norwegian with the Norwegian one', async () => {
    const en = await source(['GP-01: My patients keep sleeping badly in the winter.'], true, 'en');
    const nb = await source(['GP-01: Pasientene mine sover dårlig om vinteren, søvnen blir borte.']);
    const search = async (q: string) =>
      (await t.call(reader, 'GET', `${BASE}/${studyId}/search?q=${encodeURIComponent(q)}`)).json<{
        lines: Array<{ sourceId: string; hit: string }>;
      }>().lines;
    // "sleep" finds "sleeping" only when English is stemmed as English
    expect((await search('sleep')).map((l) => [l.sourceId, l.hit])).toEqual([[en.id, 'sleeping']]);
    expect((await search('søvn')).map((l) => [l.sourceId, l.hit])).toEqual([[nb.id, 'søvnen']]);
  });
});
