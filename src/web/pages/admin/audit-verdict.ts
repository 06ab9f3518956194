/**
 * The audit verification's verdict in plain words for the admin page.
 *
 * The server answers with ok, eventCount, brokenAtSeq, checkpoints and an English `problem`
 * sentence (server/audit/audit-log.ts, domain/audit/checkpoint.ts). Which checkpoint failed and
 * why is only in that sentence, so it is read here by pattern; audit-verdict.test.ts feeds it the
 * sentences the domain code really writes, so a change of wording there fails the test. A
 * sentence not recognised still gives a "not intact" verdict, with the server's words shown.
 */
import type { AuditVerification } from '../../api/client.js';

/** Why a checkpoint did not agree with the rows. */
export type CheckpointFailure =
  /** The table has fewer rows than the checkpoint saw: rows removed, usually from the end. */
  | { kind: 'rowsMissing'; line: number; at: string; seq: number; tableRows: number }
  /** The row the checkpoint names has another hash now: the chain was recomputed. */
  | { kind: 'rewritten'; line: number; at: string; seq: number }
  /** A later line names an earlier head than the line before it. */
  | { kind: 'outOfOrder'; line: number; at: string; seq: number; previousLine: number; previousSeq: number }
  /** Not signed with this server's audit key: forged, altered, or the key has changed. */
  | { kind: 'signature'; line: number; at: string }
  /** A checkpoint that contradicts itself (row count against sequence, or an empty log's head). */
  | { kind: 'inconsistent'; line: number; at: string }
  /** Lines in the checkpoint file that are not checkpoints at all. */
  | { kind: 'unreadable'; lines: string };

export type AuditVerdict =
  | { kind: 'intact'; events: number; checkpoints: number }
  /** The chain is whole, but nothing outside the database was there to compare it with. */
  | { kind: 'noCheckpoints'; events: number }
  | { kind: 'chainBroken'; events: number; seq: number | null }
  | { kind: 'checkpointFailed'; events: number; checkpoints: number; failure: CheckpointFailure }
  /** Not intact, for a reason this page does not recognise (the server's words are shown). */
  | { kind: 'notIntact'; events: number; checkpoints: number };

export type Severity = 'success' | 'warning' | 'danger';

export function verdictSeverity(verdict: AuditVerdict): Severity {
  if (verdict.kind === 'intact') return 'success';
  if (verdict.kind === 'noCheckpoints') return 'warning';
  return 'danger';
}

const CHECKPOINT = /^checkpoint on line (\d+) \(taken ([^)]+)\): (.*)$/s;
const UNREADABLE = /^checkpoint store altered: line\(s\) (.+?) are not checkpoints$/s;
const ROWS_MISSING = /^rows after seq \d+ missing: it says head (\d+) had hash .* the table has (\d+)$/s;
const REWRITTEN = /^the row at seq (\d+) was rewritten\b/;
const BACKWARDS = /^the log went backwards: head seq (\d+) after line (\d+) \(taken [^)]+\) said seq (\d+)/;
const SIGNATURE = /^its signature is not valid\b/;
const INCONSISTENT = /^(it says head seq \d+ but \d+ rows|an empty log must have the genesis head)/;

/** Reads the server's problem sentence for a failed checkpoint; null when not recognised. */
export function checkpointFailureFrom(problem: string): CheckpointFailure | null {
  const unreadable = UNREADABLE.exec(problem);
  if (unreadable) return { kind: 'unreadable', lines: unreadable[1]! };
  const checkpoint = CHECKPOINT.exec(problem);
  if (!checkpoint) return null;
  const line = Number(checkpoint[1]);
  const at = checkpoint[2]!;
  const reason = checkpoint[3]!;
  const missing = ROWS_MISSING.exec(reason);
  if (missing)
    return { kind: 'rowsMissing', line, at, seq: Number(missing[1]), tableRows: Number(missing[2]) };
  const rewritten = REWRITTEN.exec(reason);
  if (rewritten) return { kind: 'rewritten', line, at, seq: Number(rewritten[1]) };
  const backwards = BACKWARDS.exec(reason);
  if (backwards) {
    return {
      kind: 'outOfOrder',
      line,
      at,
      seq: Number(backwards[1]),
      previousLine: Number(backwards[2]),
      previousSeq: Number(backwards[3]),
    };
  }
  if (SIGNATURE.test(reason)) return { kind: 'signature', line, at };
  if (INCONSISTENT.test(reason)) return { kind: 'inconsistent', line, at };
  return null;
}

export function auditVerdict(result: AuditVerification): AuditVerdict {
  const events = result.eventCount;
  if (result.ok && result.problem === null) {
    return result.checkpoints > 0
      ? { kind: 'intact', events, checkpoints: result.checkpoints }
      : { kind: 'noCheckpoints', events };
  }
  if (result.brokenAtSeq !== null || result.problem?.startsWith('chain broken at seq ')) {
    return { kind: 'chainBroken', events, seq: result.brokenAtSeq };
  }
  const failure = result.problem === null ? null : checkpointFailureFrom(result.problem);
  return failure
    ? { kind: 'checkpointFailed', events, checkpoints: result.checkpoints, failure }
    : { kind: 'notIntact', events, checkpoints: result.checkpoints };
}
