/**
 * Writing the follow-up note back to the GP's record system (issue 16): in a session the EPJ
 * opened (epj-launch.ts) on this patient, the saved note goes to the EPJ as a FHIR
 * DocumentReference with the EPJ's own token. A conditional create (`If-None-Exist` on the note's
 * identifier) and the delivery row make a second press harmless. Whenever this cannot happen (not
 * opened from the EPJ, permission run out, the EPJ says no) the answer says so and the GP copies
 * the note as before: copy-paste stays the fallback.
 */
import type { NoteSentToRecord, RecordConnection } from '../../contract/smart.js';
import { noteIdentifier, recordNoteDocument } from '../../domain/fhir/epj-context.js';
import type { DataContext } from '../access/data-context.js';
import { noteRowOf } from '../fhir/fhir.queries.js';
import { HttpProblem } from '../problem.js';
import { unsealForSession } from './sealed-token.js';

export interface LaunchedSession {
  /** The session cookie's value (the key to the sealed EPJ token) and its stored hash. */
  token: string;
  tokenHash: string;
}

/** Whether this session can write this patient's notes to the EPJ, and which are there already. */
export async function recordConnection(
  ctx: DataContext,
  sessionTokenHash: string,
  patientId: string
): Promise<RecordConnection> {
  const launch = await ctx.db
    .selectFrom('epj_launch_sessions')
    .select(['patient_id', 'access_token_expires_at'])
    .where('session_token_hash', '=', sessionTokenHash)
    .executeTakeFirst();
  const onThisPatient = launch?.patient_id === patientId;
  const live = onThisPatient && new Date(launch.access_token_expires_at) > ctx.now;
  const sent = await ctx.db
    .selectFrom('epj_note_deliveries as d')
    .innerJoin('follow_up_notes as n', 'n.id', 'd.note_id')
    .select(['n.follow_up_id', 'd.document_reference', 'd.sent_at'])
    .where('n.patient_id', '=', patientId)
    .orderBy('d.sent_at')
    .execute();
  // Whether the session is connected is about the session; which notes went where is the
  // patient's, and only then is it a read of their data.
  if (sent.length > 0)
    await ctx.recordRead({
      action: 'read',
      dataCategory: 'notes sent to the record',
      patientIds: [patientId],
    });
  return {
    connected: live,
    expired: onThisPatient && !live,
    sentNotes: sent.map((s) => ({
      followUpId: s.follow_up_id,
      documentReference: s.document_reference,
      sentAt: new Date(s.sent_at).toISOString(),
    })),
  };
}

const notConnected = (detail: string) =>
  new HttpProblem(409, 'Conflict', `${detail} Copy the note into the record instead.`);

/** The EPJ's reference to what it stored, from the Location header or the returned resource. */
function storedReference(location: string | null, body: unknown): string | null {
  const fromLocation = location
    ? /(?:^|\/)(DocumentReference\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/|$)/.exec(location)
    : null;
  if (fromLocation) return fromLocation[1]!;
  const id = (body as { resourceType?: unknown; id?: unknown } | null)?.id;
  return (body as { resourceType?: unknown } | null)?.resourceType === 'DocumentReference' &&
    typeof id === 'string'
    ? `DocumentReference/${id}`
    : null;
}

/** Sends the follow-up's saved note to the EPJ the session was launched from. */
export async function sendNoteToRecord(
  ctx: DataContext,
  session: LaunchedSession,
  patientId: string,
  followUpId: string,
  http: { fetch?: typeof fetch } = {}
): Promise<NoteSentToRecord> {
  const launch = await ctx.db
    .selectFrom('epj_launch_sessions')
    .selectAll()
    .where('session_token_hash', '=', session.tokenHash)
    .executeTakeFirst();
  if (!launch || launch.patient_id !== patientId)
    throw notConnected('This card was not opened from the record system for this patient.');
  const note = await ctx.db
    .selectFrom('follow_up_notes')
    .selectAll()
    .where('follow_up_id', '=', followUpId)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!note)
    throw new HttpProblem(
      409,
      'Conflict',
      'Save the note ("Follow-up done") before sending it to the record.'
    );
  const delivered = await ctx.db
    .selectFrom('epj_note_deliveries')
    .select(['document_reference', 'sent_at'])
    .where('note_id', '=', note.id)
    .where('fhir_base_url', '=', launch.fhir_base_url)
    .executeTakeFirst();
  if (delivered)
    return {
      documentReference: delivered.document_reference,
      alreadySent: true,
      sentAt: new Date(delivered.sent_at).toISOString(),
    };
  const accessToken =
    new Date(launch.access_token_expires_at) > ctx.now
      ? unsealForSession(launch.sealed_access_token, session)
      : null;
  if (!accessToken)
    throw notConnected(
      "The record system's permission for this session has run out; open the card from the record again."
    );

  const document = recordNoteDocument(noteRowOf(note), {
    patientId: launch.epj_patient_id,
    practitionerId: launch.epj_practitioner_reference.replace(/^Practitioner\//, ''),
  });
  const identifier = noteIdentifier(note.id);
  let response: Response;
  try {
    response = await (http.fetch ?? fetch)(`${launch.fhir_base_url}/DocumentReference`, {
      method: 'POST',
      headers: {
        accept: 'application/fhir+json',
        'content-type': 'application/fhir+json',
        authorization: `Bearer ${accessToken}`,
        // FHIR conditional create: if the EPJ has it already (an earlier try whose answer was lost),
        // it makes no second copy.
        'if-none-exist': `identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`,
      },
      body: JSON.stringify(document),
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new HttpProblem(
      502,
      'Bad Gateway',
      'The record system did not answer. Copy the note into the record instead.'
    );
  }
  const body: unknown = await response.json().catch(() => null);
  const reference = response.ok ? storedReference(response.headers.get('location'), body) : null;
  if (!reference) {
    const diagnostics = (body as { issue?: { diagnostics?: unknown }[] } | null)?.issue?.[0]?.diagnostics;
    throw new HttpProblem(
      502,
      'Bad Gateway',
      `The record system did not accept the note (HTTP ${response.status}${
        typeof diagnostics === 'string' ? `: ${diagnostics.slice(0, 200)}` : ''
      }). Copy the note into the record instead.`
    );
  }
  await ctx.withAudit(async (trx, audit) => {
    await trx
      .insertInto('epj_note_deliveries')
      .values({
        note_id: note.id,
        fhir_base_url: launch.fhir_base_url,
        document_reference: reference,
        sent_by: ctx.actor.userId,
        sent_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(['note_id', 'fhir_base_url']).doNothing())
      .execute();
    audit({ action: 'export', dataCategory: 'follow-up note sent to the record', patientIds: [patientId] });
  });
  return {
    documentReference: reference,
    alreadySent: response.status === 200,
    sentAt: ctx.now.toISOString(),
  };
}
