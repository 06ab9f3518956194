/**
 * Systematic text condensation and the user group over HTTP (issue 15), on PGlite and (with
 * DATABASE_URL) PostgreSQL: an analysis is saved whole with its revision (a stale save 409, a
 * meaning unit outside its transcript 400 naming the place); a synthesis sentence traces back to
 * the transcript line; a reader cannot edit; the lead shares the synthesis, a user-group member
 * reads it and comments per paragraph but cannot open the transcript or the analysis; a withdrawal
 * removes the participant's meaning units and moves the others with the text.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  FIXTURE_PASSWORD,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';
import type { StcDocument } from '../../contract/qualitative-stc.js';
import { hashPassword } from '../auth/passwords.js';

let t: TestApp;
let lead: LoggedIn;
let reader: LoggedIn;
let readerId: string;
let userGroup: LoggedIn;
let outsiderGroup: LoggedIn;
let studyId: string;
let sourceId: string;
let text: string;
const ids: Record<string, string> = {};
const BASE = '/api/research/qualitative/studies';
const b64 = (s: string) => Buffer.from(s).toString('base64');

// Synthetic focus-group talk, written for this test.
const TRANSCRIPT = [
  'Intervjuer: Hva gjør dere når tiden ikke strekker til?',
  'GP-01: Jeg rekker sjelden å følge opp mellom modulene, timelista er full.',
  'GP-02: Jeg setter av tjue minutter annenhver uke, ellers blir det ikke gjort.',
  'GP-01: Manualen forsvinner i alt det andre vi har liggende.',
].join('\n');

async function user(
  username: string,
  role: 'researcher' | 'user_group'
): Promise<{ id: string; session: LoggedIn }> {
  const row = await t.db
    .insertInto('users')
    .values({ username, display_name: username, role, password_hash: await hashPassword(FIXTURE_PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, session: await t.login(username) };
}

/** The words of a .docx body, tags removed (paragraphs end with a newline). */
function wordText(body: Buffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(body))['word/document.xml']!);
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&');
}

/** The offsets of `phrase` in the open transcript's text. */
function at(phrase: string): { start: number; end: number } {
  const start = text.indexOf(phrase);
  expect(start, phrase).toBeGreaterThanOrEqual(0);
  return { start, end: start + phrase.length };
}

function analysis(): StcDocument {
  return {
    impressions: [{ sourceId, themes: ['tid', 'manualen'] }],
    groups: [
      { id: 'g-time', name: 'Tid i en full hverdag', parentId: null },
      { id: 'g-time-plan', name: 'Planlagt tid', parentId: 'g-time' },
    ],
    meaningUnits: [
      {
        id: 'mu-1',
        sourceId,
        ...at('Jeg rekker sjelden å følge opp mellom modulene'),
        groupId: 'g-time-plan',
      },
      { id: 'mu-2', sourceId, ...at('Jeg setter av tjue minutter annenhver uke'), groupId: 'g-time-plan' },
    ],
    condensates: [
      {
        id: 'c-1',
        groupId: 'g-time-plan',
        text: 'Jeg får bare fulgt opp når jeg har satt av tid på forhånd.',
        meaningUnitIds: ['mu-1', 'mu-2'],
        goldenQuoteId: 'mu-2',
      },
    ],
    synthesis: [
      {
        id: 'p-1',
        groupId: 'g-time',
        sentences: [
          { text: 'Oppfølgingen skjedde når legene hadde satt av tid på forhånd.', condensateIds: ['c-1'] },
        ],
      },
    ],
  };
}

beforeAll(async () => {
  t = await createTestApp();
  lead = await t.login('researcher');
  const r = await user('stc.reader', 'researcher');
  reader = r.session;
  readerId = r.id;
  const ug = await user('brukergruppe.en', 'user_group');
  userGroup = ug.session;
  outsiderGroup = (await user('brukergruppe.annen', 'user_group')).session;
  const study = await t.call(lead, 'POST', BASE, { body: { title: 'Tid og oppfølging (syntetisk)' } });
  studyId = study.json<{ id: string }>().id;
  expect(
    (await t.call(lead, 'POST', `${BASE}/${studyId}/members`, { body: { userId: r.id, role: 'reader' } }))
      .statusCode
  ).toBe(200);
  const added = await t.call(lead, 'POST', `${BASE}/${studyId}/user-group`, { body: { userId: ug.id } });
  expect(added.statusCode, added.body).toBe(200);
  for (const pseudonym of ['GP-01', 'GP-02']) {
    const res = await t.call(lead, 'POST', `${BASE}/${studyId}/participants`, {
      body: { pseudonym, kind: 'gp' },
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[pseudonym] = res.json<{ id: string }>().id;
  }
  const event = await t.call(lead, 'POST', `${BASE}/${studyId}/events`, {
    body: { kind: 'focus_group', number: 1, heldOn: '2026-11-03' },
  });
  const imported = await t.call(lead, 'POST', `${BASE}/${studyId}/sources`, {
    body: {
      title: 'fokusgruppe-1.txt',
      language: 'nb',
      eventId: event.json<{ id: string }>().id,
      participantIds: [ids['GP-01'], ids['GP-02']],
      fileName: 'fokusgruppe-1.txt',
      content: b64(TRANSCRIPT),
    },
  });
  expect(imported.statusCode, imported.body).toBe(201);
  sourceId = imported.json<{ id: string }>().id;
  const review = await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${sourceId}/review`);
  const proposals = review.json<{ proposals: Array<{ id: string }> }>().proposals;
  const decided = await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${sourceId}/decisions`, {
    body: { decisions: proposals.map((p) => ({ proposalId: p.id, action: 'accept' })) },
  });
  expect(decided.statusCode, decided.body).toBe(200);
  expect((await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${sourceId}/apply`)).statusCode).toBe(200);
  text = (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${sourceId}`)).json<{ text: string }>().text;
}, 120_000);
afterAll(async () => t?.close());

describe('systematic text condensation', () => {
  it('saves an analysis whole, refuses a stale revision and a reader, and traces a sentence to its lines', async () => {
    const created = await t.call(lead, 'POST', `${BASE}/${studyId}/stc`, { body: { title: 'Tid' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string; revision: number }>().id;
    expect(created.json().revision).toBe(1);
    expect(
      (await t.call(reader, 'POST', `${BASE}/${studyId}/stc`, { body: { title: 'x' } })).statusCode
    ).toBe(403);

    const save = (revision: number, document: StcDocument, who = lead) =>
      t.call(who, 'PUT', `${BASE}/${studyId}/stc/${id}`, { body: { revision, title: 'Tid', document } });
    expect((await save(1, analysis(), reader)).statusCode).toBe(403);
    const saved = await save(1, analysis());
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ revision: 2, themesAtStep: [0, 0, 0, 1] });
    // a colleague's copy from revision 1 does not overwrite revision 2
    const stale = await save(1, { ...analysis(), synthesis: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toMatch(/revision 2/);

    // a meaning unit past the end of the transcript: 400 naming it, nothing stored
    const broken = analysis();
    broken.meaningUnits[1] = { ...broken.meaningUnits[1]!, end: text.length + 10 };
    const refused = await save(2, broken);
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.json().errors[0].field).toBe('document.meaningUnits[1]');
    const view = await t.call(reader, 'GET', `${BASE}/${studyId}/stc/${id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ revision: 2, openPoints: [] });
    expect(view.json().progress[0]).toMatchObject({ groupId: 'g-time', step: 4, meaningUnits: 2 });

    const trace = await t.call(reader, 'GET', `${BASE}/${studyId}/stc/${id}/trace?paragraph=p-1&sentence=1`);
    expect(trace.statusCode, trace.body).toBe(200);
    const units = trace.json().condensates[0].meaningUnits;
    expect(units.map((u: { quote: string }) => u.quote)).toEqual([
      'Jeg rekker sjelden å følge opp mellom modulene',
      'Jeg setter av tjue minutter annenhver uke',
    ]);
    // GP-02's words are on the line of their turn (turns are joined by a blank line: line 5), and
    // they are the golden quotation
    expect(text.slice(0, text.indexOf('Jeg setter av')).split('\n').length).toBe(5);
    expect(units[1]).toMatchObject({
      lines: { from: 5, to: 5 },
      isGoldenQuote: true,
      sourceTitle: 'fokusgruppe-1.txt',
    });
    expect(
      (await t.call(reader, 'GET', `${BASE}/${studyId}/stc/${id}/trace?paragraph=p-1&sentence=2`)).statusCode
    ).toBe(404);
    const reads = await t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('data_category', '=', 'qualitative transcript')
      .where('actor_user_id', '=', readerId)
      .execute();
    expect(reads.length).toBeGreaterThanOrEqual(1);
  });

  it('writes the synthesis and the quotations as Word documents for a paper, in the study language', async () => {
    const created = await t.call(lead, 'POST', `${BASE}/${studyId}/stc`, {
      body: { title: 'Til artikkelen' },
    });
    const id = created.json<{ id: string }>().id;
    const saved = await t.call(lead, 'PUT', `${BASE}/${studyId}/stc/${id}`, {
      body: { revision: 1, title: 'Til artikkelen', document: analysis() },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const synthesis = await t.call(reader, 'GET', `${BASE}/${studyId}/stc/${id}/synthesis.docx`);
    expect(synthesis.statusCode, synthesis.body).toBe(200);
    expect(synthesis.headers['content-type']).toMatch(/wordprocessingml/);
    expect(synthesis.headers['content-disposition']).toBe(
      'attachment; filename="Til-artikkelen-sammenfatning.docx"'
    );
    const words = wordText(synthesis.rawPayload);
    expect(words).toContain('Tid i en full hverdag\n');
    expect(words).toContain('Oppfølgingen skjedde når legene hadde satt av tid på forhånd.');
    // the golden quotation, attributed to its speaker, event and line
    expect(words).toContain('«Jeg setter av tjue minutter annenhver uke» (GP-02, Fokusgruppe 1, linje 5)');
    expect(words).not.toContain('Jeg rekker sjelden');
    const english = await t.call(reader, 'GET', `${BASE}/${studyId}/stc/${id}/synthesis.docx?lang=en`);
    expect(wordText(english.rawPayload)).toContain('(GP-02, Focus group 1, line 5)');
    // the user group never gets transcript text
    expect((await t.call(userGroup, 'GET', `${BASE}/${studyId}/stc/${id}/synthesis.docx`)).statusCode).toBe(
      403
    );

    // quotations by code: the lead's own codings, or every coder's for a reader
    const code = await t.call(lead, 'POST', `${BASE}/${studyId}/codes`, {
      body: { name: 'Planlagt tid', parentId: null, definition: 'Når legen setter av tid på forhånd.' },
    });
    const codeId = code.json<{ id: string }>().id;
    const coded = await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${sourceId}/codings`, {
      body: { codeId, ...at('Jeg setter av tjue minutter annenhver uke') },
    });
    expect(coded.statusCode, coded.body).toBe(201);
    const mine = await t.call(lead, 'GET', `${BASE}/${studyId}/quotations.docx?codeId=${codeId}`);
    expect(mine.statusCode, mine.body).toBe(200);
    const quoted = wordText(mine.rawPayload);
    expect(quoted).toContain('Planlagt tid\nNår legen setter av tid på forhånd.\n');
    expect(quoted).toContain('«Jeg setter av tjue minutter annenhver uke» (GP-02, Fokusgruppe 1, linje 5)');
    // the reader has coded nothing; with every coder's codings the lead's quotation is there
    expect(
      wordText((await t.call(reader, 'GET', `${BASE}/${studyId}/quotations.docx`)).rawPayload)
    ).toContain('Ingen sitater.');
    const all = await t.call(reader, 'GET', `${BASE}/${studyId}/quotations.docx?coder=all`);
    expect(wordText(all.rawPayload)).toContain('«Jeg setter av tjue minutter annenhver uke»');
    expect(
      (
        await t.call(
          lead,
          'GET',
          `${BASE}/${studyId}/quotations.docx?codeId=00000000-0000-4000-8000-000000000000`
        )
      ).statusCode
    ).toBe(404);
    const exports = await t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('data_category', '=', 'qualitative transcript')
      .where('action', '=', 'export')
      .execute();
    expect(exports.length).toBeGreaterThanOrEqual(4);
  });

  it('shares the synthesis with the user group, who comment per paragraph and see nothing else', async () => {
    const created = await t.call(lead, 'POST', `${BASE}/${studyId}/stc`, { body: { title: 'Deles' } });
    const id = created.json<{ id: string }>().id;
    // nothing to share before step 4
    expect(
      (await t.call(lead, 'POST', `${BASE}/${studyId}/stc/${id}/shares`, { body: { message: '' } }))
        .statusCode
    ).toBe(409);
    await t.call(lead, 'PUT', `${BASE}/${studyId}/stc/${id}`, {
      body: { revision: 1, title: 'Deles', document: analysis() },
    });
    expect(
      (await t.call(reader, 'POST', `${BASE}/${studyId}/stc/${id}/shares`, { body: { message: '' } }))
        .statusCode
    ).toBe(403);
    const shared = await t.call(lead, 'POST', `${BASE}/${studyId}/stc/${id}/shares`, {
      body: { message: 'Kjenner dere dette igjen?' },
    });
    expect(shared.statusCode, shared.body).toBe(201);
    const share = shared.json<{
      id: string;
      paragraphs: Array<{ id: string; theme: string; text: string }>;
    }>();
    expect(share.paragraphs).toEqual([
      {
        id: 'p-1',
        theme: 'Tid i en full hverdag',
        text: 'Oppfølgingen skjedde når legene hadde satt av tid på forhånd.',
      },
    ]);
    // the share holds the synthesis only: no transcript text, no condensate
    expect(shared.body).not.toContain('Jeg rekker sjelden');
    expect(shared.body).not.toContain('Jeg får bare fulgt opp');

    const mine = await t.call(userGroup, 'GET', '/api/user-group/studies');
    expect(mine.json().studies).toEqual([{ id: studyId, title: 'Tid og oppfølging (syntetisk)', shares: 1 }]);
    const list = await t.call(userGroup, 'GET', `${BASE}/${studyId}/shares`);
    expect(list.statusCode, list.body).toBe(200);
    const comment = await t.call(userGroup, 'POST', `${BASE}/${studyId}/shares/${share.id}/comments`, {
      body: { paragraphId: 'p-1', text: 'Dette stemmer med det vi hører fra medlemmene.' },
    });
    expect(comment.statusCode, comment.body).toBe(201);
    const wrongParagraph = await t.call(userGroup, 'POST', `${BASE}/${studyId}/shares/${share.id}/comments`, {
      body: { paragraphId: 'p-9', text: 'x' },
    });
    expect(wrongParagraph.statusCode).toBe(400);
    expect(wrongParagraph.json().errors[0].field).toBe('paragraphId');
    // the lead reads the comment with the version it was made on
    const view = await t.call(lead, 'GET', `${BASE}/${studyId}/shares/${share.id}`);
    expect(view.json()).toMatchObject({
      revision: 2,
      comments: [{ paragraphId: 'p-1', author: 'brukergruppe.en' }],
    });
    // a member of the study cannot comment in the user group's name
    expect(
      (
        await t.call(lead, 'POST', `${BASE}/${studyId}/shares/${share.id}/comments`, {
          body: { paragraphId: 'p-1', text: 'x' },
        })
      ).statusCode
    ).toBe(403);

    // the user group never opens a transcript, the analysis or the study
    for (const url of [
      `${BASE}/${studyId}/sources/${sourceId}`,
      `${BASE}/${studyId}/stc/${id}`,
      `${BASE}/${studyId}/stc/${id}/trace?paragraph=p-1&sentence=1`,
      `${BASE}/${studyId}`,
      `${BASE}/${studyId}/search?q=tid`,
    ])
      expect((await t.call(userGroup, 'GET', url)).statusCode, url).toBe(403);
    // a user-group member of another study (or none) gets 404, as for a study that does not exist
    expect((await t.call(outsiderGroup, 'GET', `${BASE}/${studyId}/shares`)).statusCode).toBe(404);
    expect((await t.call(outsiderGroup, 'GET', `${BASE}/${studyId}/shares/${share.id}`)).statusCode).toBe(
      404
    );
  });

  it('removes a withdrawn participant’s meaning units and moves the others with the text', async () => {
    const created = await t.call(lead, 'POST', `${BASE}/${studyId}/stc`, { body: { title: 'Uttrekk' } });
    const id = created.json<{ id: string }>().id;
    const document = analysis();
    // a third unit after GP-02's turn, whose offset moves when GP-02's turn goes
    document.meaningUnits.push({
      id: 'mu-3',
      sourceId,
      ...at('Manualen forsvinner'),
      groupId: 'g-time-plan',
    });
    document.condensates[0]!.meaningUnitIds.push('mu-3');
    expect(
      (
        await t.call(lead, 'PUT', `${BASE}/${studyId}/stc/${id}`, {
          body: { revision: 1, title: 'Uttrekk', document },
        })
      ).statusCode
    ).toBe(200);

    const withdrawn = await t.call(lead, 'POST', `${BASE}/${studyId}/participants/${ids['GP-02']}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const after = (await t.call(lead, 'GET', `${BASE}/${studyId}/stc/${id}`)).json<{
      revision: number;
      document: StcDocument;
      openPoints: Array<{ reason: string }>;
    }>();
    expect(after.revision).toBe(3);
    expect(after.document.meaningUnits.map((u) => u.id)).toEqual(['mu-1', 'mu-3']);
    // the golden quotation was GP-02's: cleared, and the condensate is left to review
    expect(after.document.condensates[0]).toMatchObject({
      meaningUnitIds: ['mu-1', 'mu-3'],
      goldenQuoteId: null,
    });
    const newText = (await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${sourceId}`)).json<{
      text: string;
    }>().text;
    expect(newText).not.toContain('tjue minutter');
    const mu3 = after.document.meaningUnits[1]!;
    expect(newText.slice(mu3.start, mu3.end)).toBe('Manualen forsvinner');
    const mu1 = after.document.meaningUnits[0]!;
    expect(newText.slice(mu1.start, mu1.end)).toBe('Jeg rekker sjelden å følge opp mellom modulene');
  });
});
