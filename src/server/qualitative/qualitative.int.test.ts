/**
 * The qualitative workspace's API (issue 15), first slice, on PGlite and (with DATABASE_URL) on
 * PostgreSQL: membership hides a study (404), identity keys are the lead's, a transcript opens for
 * coding only after every de-identification proposal is decided, search stems Norwegian and
 * returns keyword-in-context lines with offsets, a withdrawal removes the participant's turns and
 * keeps counts only, .docx imports (and a corrupt one stores nothing), every transcript read is
 * in the audit log.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  FIXTURE_PASSWORD,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';
import accessPlugin from '../access/access.plugin.js';
import { RESEARCHER } from '../access/rules.js';
import { hashPassword } from '../auth/passwords.js';

let t: TestApp;
let lead: LoggedIn;
let coder: LoggedIn;
let outsider: LoggedIn;
let studyId: string;
const ids: Record<string, string> = {};
const BASE = '/api/research/qualitative/studies';

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');

// Synthetic focus-group talk, written for this test. "Kari" is GP-01's name in the identity key,
// "Bergen" a municipality: both are proposed for replacement.
const TRANSCRIPT = [
  'Intervjuer: Hvordan har dere det med søvnen om dagen?',
  'GP-01: Jeg heter Kari, og søvnen har vært dårlig siden jeg flyttet til Bergen.',
  'GP-02: For meg er søvn ikke noe problem, men jobben tar mye plass.',
].join('\n');

async function researcher(username: string): Promise<{ id: string; session: LoggedIn }> {
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
  return { id: row.id, session: await t.login(username) };
}

/** A minimal Word document: content types, the package relation and one paragraph per line. */
function docx(lines: string[]): Uint8Array {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const paragraphs = lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${esc(l)}</w:t></w:r></w:p>`);
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
    'word/document.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        `<w:body>${paragraphs.join('')}</w:body></w:document>`
    ),
  });
}

async function auditCount(category: string): Promise<number> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('seq')
    .where('data_category', '=', category)
    .execute();
  return rows.length;
}

async function sourceCount(): Promise<number> {
  return (await t.db.selectFrom('qual_sources').select('id').execute()).length;
}

async function importTranscript(fileName: string, content: string, participantIds: string[]) {
  return t.call(lead, 'POST', `${BASE}/${studyId}/sources`, {
    body: { title: fileName, language: 'nb', eventId: ids.event, participantIds, fileName, content },
  });
}

/** Decides every proposal of a source: accept, except rejecting the ones in `reject`. */
async function decideAll(
  sourceId: string,
  reject: (p: { id: string; original: string }) => boolean = () => false
) {
  const review = await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${sourceId}/review`);
  expect(review.statusCode, review.body).toBe(200);
  const proposals = review.json<{ proposals: Array<{ id: string; original: string }> }>().proposals;
  const res = await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${sourceId}/decisions`, {
    body: {
      decisions: proposals.map((p) => ({ proposalId: p.id, action: reject(p) ? 'reject' : 'accept' })),
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return proposals;
}

beforeAll(async () => {
  t = await createTestApp();
  lead = await t.login('researcher');
  const c = await researcher('qual.coder');
  coder = c.session;
  outsider = (await researcher('qual.outsider')).session;
  const study = await t.call(lead, 'POST', BASE, { body: { title: 'Søvn og arbeid (syntetisk)' } });
  expect(study.statusCode, study.body).toBe(201);
  studyId = study.json<{ id: string }>().id;
  const member = await t.call(lead, 'POST', `${BASE}/${studyId}/members`, {
    body: { userId: c.id, role: 'coder' },
  });
  expect(member.statusCode, member.body).toBe(200);
  for (const [pseudonym, name] of [
    ['GP-01', 'Kari Nordmann'],
    ['GP-02', 'Ola Hansen'],
  ] as const) {
    const res = await t.call(lead, 'POST', `${BASE}/${studyId}/participants`, {
      body: { pseudonym, kind: 'gp', identityKey: name },
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[pseudonym] = res.json<{ id: string }>().id;
  }
  const consent1 = await t.call(lead, 'POST', `${BASE}/${studyId}/participants/${ids['GP-01']}/consents`, {
    body: { letterVersion: 'v1', givenAt: '2026-11-02T10:00:00Z', how: 'recorded', keepOriginal: false },
  });
  expect(consent1.statusCode, consent1.body).toBe(201);
  const consent2 = await t.call(lead, 'POST', `${BASE}/${studyId}/participants/${ids['GP-02']}/consents`, {
    body: {
      letterVersion: 'v1',
      givenAt: '2026-11-02T10:05:00Z',
      how: 'signed_form',
      keepOriginal: true,
      file: { name: 'samtykke-gp02.pdf', content: b64('%PDF-1.4 synthetic') },
    },
  });
  expect(consent2.statusCode, consent2.body).toBe(201);
  expect(consent2.json().fileStored).toBe(true);
  ids.consent2 = consent2.json<{ id: string }>().id;
  const event = await t.call(lead, 'POST', `${BASE}/${studyId}/events`, {
    body: { kind: 'focus_group', number: 1, heldOn: '2026-11-03' },
  });
  expect(event.statusCode, event.body).toBe(201);
  ids.event = event.json<{ id: string }>().id;
  const imported = await importTranscript('fokusgruppe-1.txt', b64(TRANSCRIPT), [
    ids['GP-01']!,
    ids['GP-02']!,
  ]);
  expect(imported.statusCode, imported.body).toBe(201);
  ids.source = imported.json<{ id: string }>().id;
}, 120_000);
afterAll(async () => t?.close());

describe('qualitative studies: who sees what', () => {
  it('answers 404 to a researcher who is not a member, on every study route', async () => {
    const studyRoutes = t.app.routeInventory.filter((r) => r.url.includes(':studyId'));
    expect(studyRoutes.length).toBeGreaterThanOrEqual(12);
    for (const route of studyRoutes) {
      const url = route.url
        .replace(':studyId', studyId)
        .replace(':participantId', ids['GP-02']!)
        .replace(':consentId', ids.consent2!)
        .replace(':sourceId', ids.source!);
      const res = await t.call(outsider, route.method as 'GET', url, {
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} }),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(404);
      // the same answer as for a study that does not exist
      const missing = await t.call(outsider, 'GET', `${BASE}/${randomUUID()}`);
      expect(res.json().detail).toBe(missing.json().detail);
    }
    const list = await t.call(outsider, 'GET', BASE);
    expect(list.json().studies).toEqual([]);
    // every attempt on the existing study is in the audit log as refused; the missing one is not
    const denied = await t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('outcome', '=', 'denied')
      .where('data_category', '=', 'qualitative study')
      .execute();
    expect(denied.length).toBe(studyRoutes.length);
  });

  it('keeps identity keys to the lead: a coder gets 403, the lead reads and destroys', async () => {
    const url = `${BASE}/${studyId}/participants/${ids['GP-02']}/identity-key`;
    expect((await t.call(coder, 'GET', url)).statusCode).toBe(403);
    expect((await t.call(coder, 'DELETE', url)).statusCode).toBe(403);
    const read = await t.call(lead, 'GET', url);
    expect(read.json()).toMatchObject({ pseudonym: 'GP-02', key: 'Ola Hansen', destroyedAt: null });
    const destroyed = await t.call(lead, 'DELETE', url);
    expect(destroyed.statusCode, destroyed.body).toBe(200);
    expect(destroyed.json().key).toBeNull();
    const row = await t.db
      .selectFrom('qual_identity_keys')
      .selectAll()
      .where('participant_id', '=', ids['GP-02']!)
      .executeTakeFirstOrThrow();
    expect(row.key_text).toBeNull();
    expect(row.destroyed_by).toBe(t.fixture.userIds.researcher);
    expect((await t.call(lead, 'GET', url)).json().key).toBeNull();
  });
});

describe('importing and de-identifying a transcript', () => {
  it('gives the lead the uploaded signed consent form, as a download, and no one else', async () => {
    const url = `${BASE}/${studyId}/participants/${ids['GP-02']}/consents/${ids.consent2}/form`;
    const form = await t.call(lead, 'GET', url);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.body).toBe('%PDF-1.4 synthetic');
    expect(form.headers['content-type']).toBe('application/pdf');
    expect(form.headers['content-disposition']).toBe(
      `attachment; filename="samtykke-${ids.consent2!.slice(0, 8)}.pdf"`
    );
    expect((await t.call(coder, 'GET', url)).statusCode).toBe(403);
    // the study page offers it to the lead only
    const forLead = (await t.call(lead, 'GET', `${BASE}/${studyId}`)).json<{
      participants: Array<{ pseudonym: string; consentFormId: string | null }>;
    }>();
    expect(forLead.participants.find((p) => p.pseudonym === 'GP-02')!.consentFormId).toBe(ids.consent2);
    expect(forLead.participants.find((p) => p.pseudonym === 'GP-01')!.consentFormId).toBeNull();
    const forCoder = (await t.call(coder, 'GET', `${BASE}/${studyId}`)).json<{
      participants: Array<{ consentFormId: string | null }>;
    }>();
    expect(forCoder.participants.every((p) => p.consentFormId === null)).toBe(true);
    // the consent under another participant's id, and a consent given orally: no form
    const elsewhere = `${BASE}/${studyId}/participants/${ids['GP-01']}/consents/${ids.consent2}/form`;
    expect((await t.call(lead, 'GET', elsewhere)).statusCode).toBe(404);
    const reads = await t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('data_category', '=', 'qualitative consent')
      .where('action', '=', 'read')
      .execute();
    expect(reads.length).toBe(1);
  });

  it('is not open for coding until every proposal is decided', async () => {
    const source = `${BASE}/${studyId}/sources/${ids.source}`;
    expect((await t.call(coder, 'GET', source)).statusCode).toBe(409);
    const review = await t.call(lead, 'GET', `${source}/review`);
    const proposals = review.json<{
      proposals: Array<{ id: string; original: string; replacement: string }>;
    }>().proposals;
    // GP-01's first name (from the identity key) and the municipality are proposed
    expect(proposals.find((p) => p.original === 'Kari')?.replacement).toBe('[GP-01]');
    expect(proposals.some((p) => p.original === 'Bergen')).toBe(true);
    // all but one decided: still refused, and the answer says how many are left
    const first = proposals.slice(0, -1).map((p) => ({ proposalId: p.id, action: 'accept' }));
    expect(
      (await t.call(lead, 'POST', `${source}/decisions`, { body: { decisions: first } })).statusCode
    ).toBe(200);
    const early = await t.call(lead, 'POST', `${source}/apply`);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/^1 of \d+ proposals are not decided/);
    expect((await t.call(coder, 'GET', source)).statusCode).toBe(409);
    // an edit without a replacement names the field
    const bad = await t.call(lead, 'POST', `${source}/decisions`, {
      body: { decisions: [{ proposalId: proposals.at(-1)!.id, action: 'edit' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { field: 'decisions[0].replacement', reason: 'is required to edit a proposal' },
    ]);
    const last = { proposalId: proposals.at(-1)!.id, action: 'accept' };
    expect(
      (await t.call(lead, 'POST', `${source}/decisions`, { body: { decisions: [last] } })).statusCode
    ).toBe(200);
    const applied = await t.call(lead, 'POST', `${source}/apply`);
    expect(applied.statusCode, applied.body).toBe(200);
    const open = await t.call(coder, 'GET', source);
    expect(open.statusCode, open.body).toBe(200);
    const body = open.json<{
      text: string;
      turns: Array<{ speaker: string; start: number; end: number; participantId: string | null }>;
    }>();
    expect(body.text).not.toContain('Kari');
    expect(body.text).not.toContain('Bergen');
    expect(body.text).toContain('Jeg heter [GP-01]');
    expect(body.turns.map((x) => x.speaker)).toEqual(['Intervjuer', 'GP-01', 'GP-02']);
    expect(body.turns[1]!.participantId).toBe(ids['GP-01']);
    // GP-01's consent does not allow keeping the original: it is deleted, and that is recorded
    const row = await t.db
      .selectFrom('qual_sources')
      .select(['original_text', 'original_deleted_at'])
      .where('id', '=', ids.source!)
      .executeTakeFirstOrThrow();
    expect(row.original_text).toBeNull();
    expect(row.original_deleted_at).not.toBeNull();
    expect(await auditCount('qualitative original transcript deleted')).toBe(1);
  });

  it('finds an inflected Norwegian word and returns keyword-in-context lines with offsets', async () => {
    const res = await t.call(coder, 'GET', `${BASE}/${studyId}/search?q=s%C3%B8vn`);
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.json<{
      lines: Array<{ sourceId: string; offset: number; length: number; hit: string; before: string }>;
    }>().lines;
    // "søvnen" twice (interviewer and GP-01) and "søvn" once (GP-02): the stemmer joins them
    expect(lines.map((l) => l.hit)).toEqual(['søvnen', 'søvnen', 'søvn']);
    const text = (await t.call(coder, 'GET', `${BASE}/${studyId}/sources/${ids.source}`)).json<{
      text: string;
    }>().text;
    for (const line of lines) {
      expect(line.sourceId).toBe(ids.source);
      expect(text.slice(line.offset, line.offset + line.length)).toBe(line.hit);
    }
    // The first hit starts 25 characters into the text ("Hvordan har dere det med " is 25), within
    // the 40 characters of context, so the line starts at the text's start.
    expect(lines[0]).toMatchObject({ offset: 25, before: 'Hvordan har dere det med ', hit: 'søvnen' });
    expect(res.json().sourcesMatched).toBe(1);
    const capped = await t.call(coder, 'GET', `${BASE}/${studyId}/search?q=s%C3%B8vn&limit=2`);
    expect(capped.json().lines.map((l: { hit: string }) => l.hit)).toEqual(['søvnen', 'søvnen']);
    const none = await t.call(coder, 'GET', `${BASE}/${studyId}/search?q=ferie`);
    expect(none.json().lines).toEqual([]);
  });

  it('writes every transcript read to the audit log', async () => {
    const before = await auditCount('qualitative transcript');
    for (const who of [lead, coder, coder]) {
      expect((await t.call(who, 'GET', `${BASE}/${studyId}/sources/${ids.source}`)).statusCode).toBe(200);
    }
    expect(await auditCount('qualitative transcript')).toBe(before + 3);
    const searches = await auditCount('qualitative transcript search');
    await t.call(coder, 'GET', `${BASE}/${studyId}/search?q=jobb`);
    expect(await auditCount('qualitative transcript search')).toBe(searches + 1);
    const originals = await auditCount('qualitative transcript (original)');
    await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${ids.source}/review`);
    expect(await auditCount('qualitative transcript (original)')).toBe(originals + 1);
  });

  it('imports a .docx and de-identifies it like any transcript', async () => {
    const file = docx(['Intervjuer: Hva hjelper mot uroen?', 'GP-01: Kari her. Turer i skogen hjelper meg.']);
    const res = await importTranscript('intervju.docx', b64(file), [ids['GP-01']!]);
    expect(res.statusCode, res.body).toBe(201);
    const sourceId = res.json<{ id: string; format: string }>().id;
    expect(res.json().format).toBe('docx');
    await decideAll(sourceId);
    expect((await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${sourceId}/apply`)).statusCode).toBe(200);
    const open = await t.call(coder, 'GET', `${BASE}/${studyId}/sources/${sourceId}`);
    expect(open.json().text).toBe('Hva hjelper mot uroen?\n\n[GP-01] her. Turer i skogen hjelper meg.');
  });

  it('keeps the original only while the latest consent in force allows it', async () => {
    const gp3 = await t.call(lead, 'POST', `${BASE}/${studyId}/participants`, {
      body: { pseudonym: 'GP-03', kind: 'gp', identityKey: 'Nils Berg' },
    });
    const gp3Id = gp3.json<{ id: string }>().id;
    const consent = (letterVersion: string, givenAt: string, keepOriginal: boolean) =>
      t.call(lead, 'POST', `${BASE}/${studyId}/participants/${gp3Id}/consents`, {
        body: { letterVersion, givenAt, how: 'recorded', keepOriginal },
      });
    expect((await consent('v1', '2026-11-01T09:00:00Z', true)).statusCode).toBe(201);
    const openOne = async (name: string) => {
      const res = await importTranscript(name, b64('GP-03: Nils her, jeg sover dårlig.'), [gp3Id]);
      const id = res.json<{ id: string }>().id;
      await decideAll(id);
      expect((await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${id}/apply`)).statusCode).toBe(200);
      const detail = await t.call(lead, 'GET', `${BASE}/${studyId}`);
      return detail
        .json<{ sources: Array<{ id: string; originalKept: boolean }> }>()
        .sources.find((s) => s.id === id)!;
    };
    expect((await openOne('kept.txt')).originalKept).toBe(true);
    // a new letter (v2) without "keep the original": the next transcript's original goes
    expect((await consent('v2', '2026-11-10T09:00:00Z', false)).statusCode).toBe(201);
    expect((await openOne('deleted.txt')).originalKept).toBe(false);
    // the same version twice is a conflict; a consent given tomorrow is refused by name
    expect((await consent('v2', '2026-11-10T09:00:00Z', false)).statusCode).toBe(409);
    const future = await consent('v3', new Date(t.clock.now.getTime() + 86_400_000).toISOString(), true);
    expect(future.json().errors).toEqual([{ field: 'givenAt', reason: 'is in the future' }]);
  });

  it("replaces another participant's name by their pseudonym, even in a transcript they are not in", async () => {
    // GP-03 (Nils Berg) is not a speaker here; GP-01 mentions him by first name
    const res = await importTranscript('omtale.txt', b64('GP-01: Jeg snakket med Nils om det.'), [
      ids['GP-01']!,
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const review = await t.call(lead, 'GET', `${BASE}/${studyId}/sources/${res.json().id}/review`);
    const proposals = review.json<{ proposals: Array<{ original: string; replacement: string }> }>()
      .proposals;
    expect(proposals.find((p) => p.original === 'Nils')?.replacement).toBe('[GP-03]');
  });

  it('refuses a corrupt or wrong file with a 400 naming the field, and stores nothing', async () => {
    const before = await sourceCount();
    const corrupt = await importTranscript(
      'intervju.docx',
      b64(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])),
      []
    );
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().errors[0].field).toBe('content');
    expect(corrupt.json().errors[0].reason).toMatch(/not a readable Word document/);
    const notZip = await importTranscript('intervju.docx', b64('just text'), []);
    expect(notZip.json().errors).toEqual([
      { field: 'content', reason: 'is not a Word document (.docx): it is not a zip archive' },
    ]);
    const pdf = await importTranscript('intervju.pdf', b64('%PDF-1.4'), []);
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json().errors[0].field).toBe('fileName');
    const latin1 = await importTranscript(
      'x.txt',
      Buffer.from([0x47, 0x50, 0x3a, 0x20, 0xf8]).toString('base64'),
      []
    );
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json().errors[0].field).toBe('content');
    expect(await sourceCount()).toBe(before);
  });
});

describe('withdrawal', () => {
  it("removes the participant's turns from the text and keeps a record without content", async () => {
    // a second transcript with GP-02, still under review, one proposal already decided
    const second = await importTranscript(
      'fokusgruppe-2.txt',
      b64('Intervjuer: Hva med jobben?\nGP-02: Jobben i Bergen er travel.\nGP-01: Enig.'),
      [ids['GP-01']!, ids['GP-02']!]
    );
    expect(second.statusCode, second.body).toBe(201);
    const secondId = second.json<{ id: string }>().id;
    const review = `${BASE}/${studyId}/sources/${secondId}/review`;
    const first = (await t.call(lead, 'GET', review)).json<{ proposals: Array<{ id: string }> }>()
      .proposals[0]!;
    await t.call(lead, 'POST', `${BASE}/${studyId}/sources/${secondId}/decisions`, {
      body: { decisions: [{ proposalId: first.id, action: 'accept' }] },
    });

    const res = await t.call(lead, 'POST', `${BASE}/${studyId}/participants/${ids['GP-02']}/withdraw`);
    expect(res.statusCode, res.body).toBe(200);
    const GP02_TURN = 'For meg er søvn ikke noe problem, men jobben tar mye plass.';
    const GP02_TURN_2 = 'Jobben i Bergen er travel.'; // 26 characters
    // one turn in each transcript, each with the separator before it (2 characters)
    expect(res.json()).toMatchObject({
      sourcesAffected: 2,
      turnsRemoved: 2,
      charactersRemoved: GP02_TURN.length + 2 + GP02_TURN_2.length + 2,
    });
    // the review starts again on the text without them: proposals anew, no decisions
    const after = (await t.call(lead, 'GET', review)).json<{
      originalText: string;
      decided: number;
      proposals: Array<{ original: string }>;
    }>();
    expect(after.originalText).toBe('Hva med jobben?\n\nEnig.');
    expect(after.decided).toBe(0);
    expect(after.proposals.map((p) => p.original).sort()).toEqual(['GP-01', 'Intervjuer']);
    const open = await t.call(coder, 'GET', `${BASE}/${studyId}/sources/${ids.source}`);
    const body = open.json<{ text: string; turns: Array<{ speaker: string; start: number; end: number }> }>();
    expect(body.text).not.toContain('For meg er søvn');
    expect(body.turns.map((x) => x.speaker)).toEqual(['Intervjuer', 'GP-01']);
    expect(body.text.slice(body.turns[1]!.start, body.turns[1]!.end)).toMatch(/^Jeg heter \[GP-01\]/);
    const search = await t.call(coder, 'GET', `${BASE}/${studyId}/search?q=jobben`);
    expect(search.json().lines).toEqual([]);
    const record = await t.db.selectFrom('qual_withdrawals').selectAll().executeTakeFirstOrThrow();
    expect(Object.keys(record).sort()).toEqual(
      [
        'characters_removed',
        'codings_removed',
        'condensates_to_review',
        'id',
        'meaning_units_removed',
        'participant_id',
        'sources_affected',
        'turns_removed',
        'withdrawn_at',
        'withdrawn_by',
      ].sort()
    );
    const consents = await t.db
      .selectFrom('qual_consents')
      .select('withdrawn_at')
      .where('participant_id', '=', ids['GP-02']!)
      .execute();
    expect(consents.every((c) => c.withdrawn_at !== null)).toBe(true);
    expect(
      (await t.call(lead, 'POST', `${BASE}/${studyId}/participants/${ids['GP-02']}/withdraw`)).statusCode
    ).toBe(409);
  });
});

describe('the study access rule', () => {
  it('refuses to start a server with a :studyId route that names no study roles', async () => {
    const bare = Fastify();
    await bare.register(accessPlugin);
    await expect(async () => {
      bare.get('/api/studies/:studyId/secret', { config: { access: RESEARCHER } }, async () => ({}));
      await bare.ready();
    }).rejects.toThrow(/must declare its study roles/);
  });

  it('lets a reader read and search, but not import or decide (403)', async () => {
    const reader = await researcher('qual.reader');
    await t.call(lead, 'POST', `${BASE}/${studyId}/members`, { body: { userId: reader.id, role: 'reader' } });
    expect((await t.call(reader.session, 'GET', `${BASE}/${studyId}/sources/${ids.source}`)).statusCode).toBe(
      200
    );
    expect((await t.call(reader.session, 'GET', `${BASE}/${studyId}/search?q=s%C3%B8vn`)).statusCode).toBe(
      200
    );
    const imported = await t.call(reader.session, 'POST', `${BASE}/${studyId}/sources`, {
      body: {
        title: 'x',
        language: 'nb',
        participantIds: [],
        fileName: 'x.txt',
        content: b64('Intervjuer: Hei'),
      },
    });
    expect(imported.statusCode).toBe(403);
    expect(
      (await t.call(reader.session, 'GET', `${BASE}/${studyId}/sources/${ids.source}/review`)).statusCode
    ).toBe(403);
  });
});
