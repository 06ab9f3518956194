/**
 * The API contract of launching from the GP's record system (EPJ) and writing the note back to it
 * (issue 16, SMART App Launch 2). Imports only contract and domain.
 */
import { Type, type Static } from 'typebox';
import type { EpjLaunchRefusal } from '../domain/access/epj-launch.js';
import { Uuid } from './common.js';

/** Why a launch from the EPJ ended on the login page (`/login?epj=<reason>`); the page words each. */
export const EPJ_LAUNCH_FAILURES = [
  'untrusted_epj',
  'state',
  'used',
  'provider',
  'token',
  'no_context',
  'record',
  'no_hpr',
  'no_gp',
  'gp_disabled',
  'no_person_number',
  'no_patient',
  'not_your_patient',
] as const;
// Every refusal of the domain rule is a failure the page words (one missing does not compile).
const _everyRefusalWorded: readonly (typeof EPJ_LAUNCH_FAILURES)[number][] = [] as EpjLaunchRefusal[];
void _everyRefusalWorded;

/** GET /api/smart/launch: what an EPJ sends when it launches the app (SMART EHR launch). */
export const EpjLaunchQuery = Type.Object(
  {
    iss: Type.String({ minLength: 1, maxLength: 2048 }),
    launch: Type.String({ minLength: 1, maxLength: 2048 }),
  },
  { additionalProperties: false }
);
export type EpjLaunchQuery = Static<typeof EpjLaunchQuery>;

/** GET /api/patients/:patientId/record-connection: can this session write notes to the EPJ? */
export const RecordConnection = Type.Object({
  /** This session was opened from the EPJ, on this patient, and its permission has not run out. */
  connected: Type.Boolean(),
  /** The session was opened from an EPJ on this patient, but the EPJ's permission has run out. */
  expired: Type.Boolean(),
  /** Notes of this patient already in the EPJ (from any session). */
  sentNotes: Type.Array(
    Type.Object({ followUpId: Uuid, documentReference: Type.String(), sentAt: Type.String() })
  ),
});
export type RecordConnection = Static<typeof RecordConnection>;

/** POST …/follow-ups/:followUpId/note/record: where the note is in the EPJ now. */
export const NoteSentToRecord = Type.Object({
  documentReference: Type.String(),
  /** The EPJ already had it (sent before): nothing new was made. */
  alreadySent: Type.Boolean(),
  sentAt: Type.String(),
});
export type NoteSentToRecord = Static<typeof NoteSentToRecord>;
