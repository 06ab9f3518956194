/**
 * Importing a REFI-QDA project made by another tool into a study (issue 15), on PGlite and (with
 * DATABASE_URL) PostgreSQL: the codebook joins the study's, each transcript goes through the
 * de-identification review like any import, its codings and memos wait and then land on the same
 * words of the de-identified text; everything without a place in the study is reported; a bad file
 * stores nothing; only the lead imports. And a study exported as .qdpx imports into another study
 * with every coding on the same words.
 */
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  FIXTURE_PASSWORD,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';
import type { RefiCode } from '../../qualitative/refi/model.js';
import { writeQdpx } from '../../qualitative/refi/write.js';
import { hashPassword } from '../auth/passwords.js';
import { DEMO_PASSWORD } from '../demo/demo-seed.js';
import { seedDemoQualitativeStudy } from '../demo/qualitative-seed.js';
import { studyAsRefiProject } from './refi-export.js';

let t: TestApp;
let lead: LoggedIn;
let coder: LoggedIn;
let outsider: LoggedIn;
let studyId: string;
const BASE = '/api/research/qualitative/studies';
const b64 = (bytes: Uint8Array | string) =>
  Buffer.from(typeof bytes === 'string' ? strToU8(bytes) : bytes).toString('base64');

const G = (n: string) => `{BBBBBBBB-0000-4000-8000-0000000000${n}}`;
// Synthetic interview, written for this test, as another tool stores it: speaker labels inline.
const TEXT = [
  'Intervjuer: Hvordan var det å begynne på programmet?',
  'Kari: Jeg orket ikke modulene før legen ringte meg fra Fjellvik legesenter.',
  'Intervjuer: Og etterpå?',
  'Kari: Da ble det lettere å ta en modul i uka.',
  // (inline in XML, so line ends are LF as any XML reader sees them)
].join('\n');
const at = (phrase: string) => ({ start: TEXT.indexOf(phrase), end: TEXT.indexOf(phrase) + phrase.length });
const selection = (id: string, phrase: string, inner: string) =>
  `<PlainTextSelection guid="${G(id)}" startPosition="${at(phrase).start}" endPosition="${at(phrase).end}" creatingUser="${G('01')}">${inner}</PlainTextSelection>`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const OTHER_TOOL = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Intervjuer om oppstart" origin="OtherQDA 3.4">
  <Users><User guid="${G('01')}" name="Annen forsker"/><User guid="${G('02')}" name="Tredje forsker"/></Users>
  <CodeBook><Codes>
    <Code guid="${G('c1')}" name="Legens rolle" isCodable="true" color="#AA3300">
      <Description>Det legen gjør for at pasienten begynner.</Description>
      <NoteRef targetGUID="${G('n1')}"/>
      <Code guid="${G('c2')}" name="Oppringning" isCodable="true"/>
    </Code>
    <Code guid="${G('c3')}" name="Motivasjon" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="${G('a1')}" name="Intervju 3">
      <PlainTextContent>${esc(TEXT)}</PlainTextContent>
      <NoteRef targetGUID="${G('n9')}"/>
      ${selection('e1', 'legen ringte meg', `<Coding guid="${G('d1')}" creatingUser="${G('01')}"><CodeRef targetGUID="${G('c2')}"/></Coding><Coding guid="${G('d4')}" creatingUser="${G('02')}"><CodeRef targetGUID="${G('c2')}"/></Coding><NoteRef targetGUID="${G('n2')}"/>`)}
      ${selection('e2', 'Jeg orket ikke modulene', `<Coding guid="${G('d2')}"><CodeRef targetGUID="${G('c3').toLowerCase()}"/><NoteRef targetGUID="${G('n3')}"/></Coding>`)}
      ${selection('e3', 'Intervjuer', `<Coding guid="${G('d3')}"><CodeRef targetGUID="${G('c3')}"/></Coding>`)}
    </TextSource>
    <PDFSource guid="${G('f1')}" name="Informasjonsskriv" path="internal://info.pdf"/>
    <TextSource guid="${G('a2')}" name="Tomt intervju"/>
  </Sources>
  <Notes>
    <Note guid="${G('n1')}" name="Om koden"><PlainTextContent>Skill mellom oppringning og time; Kari nevner begge.</PlainTextContent></Note>
    <Note guid="${G('n2')}" name="Om stedet"><PlainTextContent>Viktig vendepunkt for Kari på Fjellvik legesenter.</PlainTextContent></Note>
    <Note guid="${G('n3')}" name="Om kodingen"><PlainTextContent>Tydelig motløshet.</PlainTextContent></Note>
    <Note guid="${G('n4')}" name="Løs tanke"><PlainTextContent>Ikke festet til noe.</PlainTextContent></Note>
  </Notes>
  <Cases><Case guid="${G('b1')}" name="Case-3"><SourceRef targetGUID="${G('a1')}"/></Case></Cases>
  <Graphs><Graph guid="${G('b2')}" name="Kart"/></Graphs>
</Project>
`;

async function counts(study: string) {
  const n = async (table: 'qual_codes' | 'qual_sources' | 'qual_memos' | 'qual_pending_imports') =>
    (await t.db.selectFrom(table).select('id').where('study_id', '=', study).execute()).length;
  return {
    codes: await n('qual_codes'),
    sources: await n('qual_sources'),
    memos: await n('qual_memos'),
    pending: await n('qual_pending_imports'),
  };
}

async function reviewAndOpen(study: string, sourceId: string, action: 'accept' | 'reject') {
  const review = await t.call(lead, 'GET', `${BASE}/${study}/sources/${sourceId}/review`);
  const proposals = review.json<{ proposals: Array<{ id: string }> }>().proposals;
  if (proposals.length)
    expect(
      (
        await t.call(lead, 'POST', `${BASE}/${study}/sources/${sourceId}/decisions`, {
          body: { decisions: proposals.map((p) => ({ proposalId: p.id, action })) },
        })
      ).statusCode
    ).toBe(200);
  const applied = await t.call(lead, 'POST', `${BASE}/${study}/sources/${sourceId}/apply`);
  expect(applied.statusCode, applied.body).toBe(200);
  return (await t.call(lead, 'GET', `${BASE}/${study}/sources/${sourceId}`)).json<{ text: string }>().text;
}

async function codedTexts(study: string, sourceId: string, text: string) {
  const list = await t.call(lead, 'GET', `${BASE}/${study}/sources/${sourceId}/codings?coder=all`);
  const codebook = (await t.call(lead, 'GET', `${BASE}/${study}/codes`)).json<{
    codes: Array<{ id: string; name: string }>;
  }>().codes;
  return list
    .json<{ codings: Array<{ codeId: string; start: number; end: number }> }>()
    .codings.map((c) => `${codebook.find((k) => k.id === c.codeId)!.name}: ${text.slice(c.start, c.end)}`)
    .sort();
}

/** A study's codebook as `parent path / name: definition` lines, read from the database. */
async function codebookLines(study: string) {
  const codes = await t.db
    .selectFrom('qual_codes')
    .select(['id', 'parent_id', 'name', 'definition'])
    .where('study_id', '=', study)
    .execute();
  const path = (id: string | null): string => {
    const code = codes.find((c) => c.id === id);
    return code ? `${path(code.parent_id)}/${code.name}` : '';
  };
  return codes.map((c) => `${path(c.id)}: ${c.definition}`).sort();
}

/** Every coding of a study as `source title | code path | coded words`, coders merged. */
async function codingLines(study: string) {
  const rows = await t.db
    .selectFrom('qual_codings as c')
    .innerJoin('qual_sources as s', 's.id', 'c.source_id')
    .innerJoin('qual_codes as k', 'k.id', 'c.code_id')
    .select(['s.title', 's.text', 'k.name', 'c.start_offset', 'c.end_offset'])
    .where('c.study_id', '=', study)
    .execute();
  return [
    ...new Set(rows.map((r) => `${r.title} | ${r.name} | ${r.text!.slice(r.start_offset, r.end_offset)}`)),
  ].sort();
}

beforeAll(async () => {
  t = await createTestApp();
  lead = await t.login('researcher');
  studyId = (await t.call(lead, 'POST', BASE, { body: { title: 'Import fra annet verktøy' } })).json<{
    id: string;
  }>().id;
  const participant = await t.call(lead, 'POST', `${BASE}/${studyId}/participants`, {
    body: { pseudonym: 'GP-21', kind: 'patient', identityKey: 'Kari' },
  });
  expect(participant.statusCode, participant.body).toBe(201);
  for (const [username, role] of [
    ['refi.coder', 'coder'],
    ['refi.outsider', null],
  ] as const) {
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
    if (role) await t.call(lead, 'POST', `${BASE}/${studyId}/members`, { body: { userId: row.id, role } });
  }
  coder = await t.login('refi.coder');
  outsider = await t.login('refi.outsider');
}, 120_000);
afterAll(async () => t?.close());

describe('importing a REFI-QDA project into a study', () => {
  it('imports the demo study, exported as .qdpx, with its codebook and every coding on the same words', async () => {
    await t.db
      .insertInto('users')
      .values({
        username: 'forsker',
        display_name: 'Sara Forsker (demo)',
        role: 'researcher',
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .execute();
    const demo = await seedDemoQualitativeStudy(t.db, {
      now: t.clock.now,
      auditKey: Buffer.alloc(32, 7),
      password: DEMO_PASSWORD,
    });
    expect(demo).not.toBeNull();
    const exported = await studyAsRefiProject(t.db, demo!.studyId, { now: new Date(), language: 'nb' });
    const target = (await t.call(lead, 'POST', BASE, { body: { title: 'Demo, importert' } })).json<{
      id: string;
    }>().id;
    const res = await t.call(lead, 'POST', `${BASE}/${target}/refi-import`, {
      body: { fileName: 'demo.qdpx', content: b64(writeQdpx(exported.project)), language: 'nb' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json<{
      codesCreated: number;
      codingsPending: number;
      sources: Array<{ id: string; title: string }>;
    }>();
    expect(result.sources).toHaveLength(exported.counts.sources);
    expect(result.codesCreated).toBe(exported.counts.codes);
    expect(result.codingsPending).toBe(exported.counts.codings);
    // the file's code tree, with its hierarchy and descriptions as definitions, at once (the
    // export writes the STC code groups as codes too, so the demo codebook is part of it)
    const fileCodes: string[] = [];
    const codeName = new Map<string, string>();
    const walk = (codes: RefiCode[], parent: string) => {
      for (const code of codes) {
        fileCodes.push(`${parent}/${code.name}: ${code.description ?? ''}`);
        codeName.set(code.guid, code.name);
        walk(code.children, `${parent}/${code.name}`);
      }
    };
    walk(exported.project.codes, '');
    const imported = await codebookLines(target);
    expect(imported).toEqual(fileCodes.sort());
    expect(imported).toEqual(expect.arrayContaining(await codebookLines(demo!.studyId)));

    // each transcript waits for its review like any import; nothing coded yet
    const statuses = await t.db
      .selectFrom('qual_sources')
      .select('status')
      .where('study_id', '=', target)
      .execute();
    expect(statuses.map((s) => s.status)).toEqual(statuses.map(() => 'deidentifying'));
    expect(await codingLines(target)).toEqual([]);
    expect((await counts(target)).pending).toBeGreaterThan(0);

    // the demo texts are de-identified already: every proposal rejected, each text stays as it is
    for (const source of result.sources) await reviewAndOpen(target, source.id, 'reject');
    expect((await counts(target)).pending).toBe(0);
    // the same texts, except that a line starting `Refleksjon: ` in a field note is read as a
    // speaker label, as for any .txt transcript (the label is kept on the turn, not in the text)
    const texts = async (study: string) =>
      t.db
        .selectFrom('qual_sources')
        .select(['title', 'text'])
        .where('study_id', '=', study)
        .orderBy('title')
        .execute();
    const before = await texts(demo!.studyId);
    const after = await texts(target);
    expect(after.map((s) => s.title)).toEqual(before.map((s) => s.title));
    after.forEach((s, i) => {
      const lines = before[i]!.text!.split('\n');
      expect(s.text!.split('\n').map((line, n) => lines[n]!.endsWith(line))).not.toContain(false);
    });
    // every coding of the file (the two demo coders' now one researcher's) on the same words
    const fromFile = exported.project.sources.flatMap((source) =>
      source.selections.flatMap((sel) =>
        sel.codings.map(
          (c) => `${source.name} | ${codeName.get(c.codeGuid)} | ${source.text!.slice(sel.start, sel.end)}`
        )
      )
    );
    const landed = await codingLines(target);
    expect(landed).toEqual([...new Set(fromFile)].sort());
    const original = await codingLines(demo!.studyId);
    expect(original.length).toBeGreaterThan(10);
    expect(landed).toEqual(expect.arrayContaining(original));
  }, 120_000);

  it('brings codes, transcripts, codings and memos in through the review, and reports the rest', async () => {
    const file = zipSync({
      'project.qde': strToU8(OTHER_TOOL),
      'Sources/info.pdf': new Uint8Array([0x25, 0x50]),
    });
    const res = await t.call(lead, 'POST', `${BASE}/${studyId}/refi-import`, {
      body: { fileName: 'intervjuer.qdpx', content: b64(file), language: 'nb' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json();
    expect(result).toMatchObject({
      codesCreated: 3,
      codesReused: 0,
      // two coders on "legen ringte meg", one on "Jeg orket…" (its code referred to in lower case)
      codingsPending: 3,
      // the note on the selection and the one on a coding
      memosPending: 2,
      memosCreated: 1,
    });
    const reported = result.notStored.map(
      (p: { path: string; name: string; count: number }) => `${p.path} ${p.name} ${p.count}`
    );
    expect(reported).toEqual(
      expect.arrayContaining([
        'Project/Users User 2',
        'Project/Sources PDFSource 1',
        'Project Graphs 1',
        'Project/Cases Case 1',
        'archive Sources/info.pdf 1',
        // the coding of the label "Intervjuer" has no text in the transcript (labels are metadata)
        'Project/Sources/TextSource/PlainTextSelection PlainTextSelection 1',
        'Project/Sources/TextSource Tomt intervju 1',
        // a note attached to nothing, and a reference to a note the file does not hold
        'Project/Notes Note 1',
        'Project NoteRef 1',
      ])
    );
    const codebook = (await t.call(lead, 'GET', `${BASE}/${studyId}/codes`)).json<{
      codes: Array<{ id: string; name: string; parentId: string | null; definition: string; colour: string }>;
    }>().codes;
    const parent = codebook.find((c) => c.name === 'Legens rolle')!;
    expect(parent).toMatchObject({
      definition: 'Det legen gjør for at pasienten begynner.',
      colour: '#aa3300',
    });
    expect(codebook.find((c) => c.name === 'Oppringning')!.parentId).toBe(parent.id);

    // under review like any import: the name in the speaker label and the workplace are proposed
    const [source] = result.sources;
    expect(source.title).toBe('Intervju 3');
    const review = (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${source.id}/review`)).json<{
      status: string;
      proposals: Array<{ original: string }>;
    }>();
    expect(review.status).toBe('deidentifying');
    expect(review.proposals.map((p) => p.original)).toEqual(
      expect.arrayContaining(['Kari', 'Fjellvik legesenter'])
    );
    // nobody codes it yet: the codings wait
    const waiting = await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${source.id}/codings?coder=all`);
    expect(waiting.json().codings).toEqual([]);

    const text = await reviewAndOpen(studyId, source.id, 'accept');
    expect(text).not.toContain('Fjellvik');
    // the two coders' codings of the same words with the same code are the importer's, once
    expect(await codedTexts(studyId, source.id, text)).toEqual([
      'Motivasjon: Jeg orket ikke modulene',
      'Oppringning: legen ringte meg',
    ]);
    const memos = (await t.call(lead, 'GET', `${BASE}/${studyId}/memos?sourceId=${source.id}`)).json<{
      memos: Array<{ target: string; text: string; start: number; end: number }>;
    }>().memos;
    expect(memos.map((m) => `${m.target}: ${m.text} (${text.slice(m.start, m.end)})`).sort()).toEqual([
      'segment: Tydelig motløshet. (Jeg orket ikke modulene)',
      'segment: Viktig vendepunkt for [GP-21] på [Arbeidssted 1]. (legen ringte meg)',
    ]);
    // the other tool's memos are de-identified like the transcript, with the study's labels
    const codeMemo = (
      await t.call(
        lead,
        'GET',
        `${BASE}/${studyId}/memos?codeId=${codebook.find((c) => c.name === 'Legens rolle')!.id}`
      )
    ).json<{ memos: Array<{ text: string }> }>().memos;
    expect(codeMemo.map((m) => m.text)).toEqual(['Skill mellom oppringning og time; [GP-21] nevner begge.']);
    expect((await counts(studyId)).pending).toBe(0);

    // the same file again: the codes are the study's already
    const again = await t.call(lead, 'POST', `${BASE}/${studyId}/refi-import`, {
      body: { fileName: 'intervjuer.qde', content: b64(OTHER_TOOL), language: 'nb' },
    });
    expect(again.json()).toMatchObject({ codesCreated: 0, codesReused: 3 });
  });

  it('refuses a bad file with the field and the reason, and stores nothing', async () => {
    const before = await counts(studyId);
    const send = (fileName: string, content: string) =>
      t.call(lead, 'POST', `${BASE}/${studyId}/refi-import`, { body: { fileName, content, language: 'nb' } });
    const notZip = await send('prosjekt.qdpx', b64('dette er ikke en zip'));
    expect(notZip.statusCode).toBe(400);
    expect(notZip.json().errors[0].field).toBe('content');
    const noProject = await send('prosjekt.qdpx', b64(zipSync({ 'annet.txt': strToU8('hei') })));
    expect(noProject.statusCode).toBe(400);
    expect(noProject.json().errors[0].reason).toMatch(/project\.qde/);
    const wrongEnding = await send('prosjekt.nvp', b64(OTHER_TOOL));
    expect(wrongEnding.json().errors[0].field).toBe('fileName');
    const brokenXml = await send('prosjekt.qde', b64(OTHER_TOOL.slice(0, 400)));
    expect(brokenXml.statusCode).toBe(400);
    expect(await counts(studyId)).toEqual(before);
  });

  it('is for the study lead: a coder gets 403, a researcher outside the study 404', async () => {
    const body = { fileName: 'x.qde', content: b64(OTHER_TOOL), language: 'nb' };
    expect((await t.call(coder, 'POST', `${BASE}/${studyId}/refi-import`, { body })).statusCode).toBe(403);
    expect((await t.call(outsider, 'POST', `${BASE}/${studyId}/refi-import`, { body })).statusCode).toBe(404);
  });

  it('imports a study this platform exported into another study, every coding on the same words', async () => {
    const exported = await studyAsRefiProject(t.db, studyId, { now: new Date(), language: 'nb' });
    const second = (await t.call(lead, 'POST', BASE, { body: { title: 'Kopi' } })).json<{ id: string }>().id;
    const res = await t.call(lead, 'POST', `${BASE}/${second}/refi-import`, {
      body: { fileName: 'kopi.qdpx', content: b64(writeQdpx(exported.project)), language: 'nb' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().sources).toHaveLength(1);
    const sources = await t.db
      .selectFrom('qual_sources')
      .select(['id', 'title', 'text'])
      .where('study_id', '=', studyId)
      .where('status', '=', 'open_for_coding')
      .execute();
    for (const imported of res.json<{ sources: Array<{ id: string; title: string }> }>().sources) {
      const original = sources.find((s) => s.title === imported.title)!;
      // the text is de-identified already; keep it as it is
      const text = await reviewAndOpen(second, imported.id, 'reject');
      expect(text).toBe(original.text);
      expect(await codedTexts(second, imported.id, text)).toEqual(
        await codedTexts(studyId, original.id, original.text!)
      );
    }
  });

  it("links the study's participants who speak in an imported transcript, so a withdrawal reaches it", async () => {
    const fresh = (await t.call(lead, 'POST', BASE, { body: { title: 'Tilbaketrekking' } })).json<{
      id: string;
    }>().id;
    const participant = (
      await t.call(lead, 'POST', `${BASE}/${fresh}/participants`, {
        body: { pseudonym: 'GP-31', kind: 'patient', identityKey: 'Kari Nordmann' },
      })
    ).json<{ id: string }>().id;
    const res = await t.call(lead, 'POST', `${BASE}/${fresh}/refi-import`, {
      body: { fileName: 'intervjuer.qde', content: b64(OTHER_TOOL), language: 'nb' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const sourceId = res.json<{ sources: Array<{ id: string }> }>().sources[0]!.id;
    const linked = await t.db
      .selectFrom('qual_source_participants')
      .select('participant_id')
      .where('source_id', '=', sourceId)
      .execute();
    expect(linked.map((l) => l.participant_id)).toEqual([participant]);
    const text = await reviewAndOpen(fresh, sourceId, 'accept');
    expect(text).toContain('orket ikke modulene');
    const withdrawn = await t.call(lead, 'POST', `${BASE}/${fresh}/participants/${participant}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().turnsRemoved).toBe(2);
    const after = (await t.call(lead, 'GET', `${BASE}/${fresh}/sources/${sourceId}`)).json<{ text: string }>()
      .text;
    expect(after).not.toContain('orket ikke modulene');
    expect(after).toContain('Hvordan var det å begynne');
  });

  it('keeps waiting codings when their code is merged into another before the review is applied', async () => {
    const study = (await t.call(lead, 'POST', BASE, { body: { title: 'Slå sammen' } })).json<{ id: string }>()
      .id;
    const res = await t.call(lead, 'POST', `${BASE}/${study}/refi-import`, {
      body: { fileName: 'intervjuer.qde', content: b64(OTHER_TOOL), language: 'nb' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const codebook = (await t.call(lead, 'GET', `${BASE}/${study}/codes`)).json<{
      codes: Array<{ id: string; name: string }>;
    }>().codes;
    const id = (name: string) => codebook.find((c) => c.name === name)!.id;
    const merged = await t.call(lead, 'POST', `${BASE}/${study}/codes/${id('Oppringning')}/merge`, {
      body: { intoCodeId: id('Motivasjon') },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const source = res.json<{ sources: Array<{ id: string }> }>().sources[0]!;
    const text = await reviewAndOpen(study, source.id, 'accept');
    expect(await codedTexts(study, source.id, text)).toEqual([
      'Motivasjon: Jeg orket ikke modulene',
      'Motivasjon: legen ringte meg',
    ]);
  });
});
