/**
 * Importing a REFI-QDA project made by NVivo, ATLAS.ti, MAXQDA or QualCoder into a study (issue 15),
 * in one transaction: a bad file, or any part of it that cannot be read, stores nothing.
 *
 * - Codes join the study's codebook with their hierarchy, colour and description (as definition);
 *   a code with the name of an existing sibling is that code (reused, counted).
 * - Each text source becomes a transcript under de-identification review, exactly as if imported
 *   as a .txt file (speaker labels parsed, proposals made against the study's participants and
 *   replacement table). Its codings and memos wait in `qual_pending_imports` with offsets moved from
 *   the other tool's raw text onto the parsed transcript (domain/qualitative/transcript-offsets.ts);
 *   applying the review moves them onto the de-identified text as the importing researcher's.
 * - Notes become memos where they are attached: on a code at once; on a source, a selection or a
 *   coding (as a memo on the coded words) when the review is applied.
 * - Everything else the study has no place for (users, cases, variables, project notes, notes
 *   attached to nothing kept or without text, references to missing notes, graphs, sets, PDF and
 *   media sources, other tools' extensions, a coding whose text cannot be found) is listed in
 *   `notStored`: nothing is dropped silently.
 */
import type { Insertable, Transaction } from 'kysely';
import type { NotStoredPart, RefiImportBody, RefiImportResult } from '../../contract/qualitative-exchange.js';
import type { Database, QualPendingImportsTable } from '../../db/schema.js';
import { parsePlainText, TranscriptError, type Transcript } from '../../domain/qualitative/transcript.js';
import { rawOffsetMap, type RawOffsetMap } from '../../domain/qualitative/transcript-offsets.js';
import { RefiError, type RefiCode, type RefiProject } from '../../qualitative/refi/model.js';
import { readProjectFile } from '../../qualitative/refi/read.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest } from '../problem.js';
import { CODE_COLOURS } from './coding.commands.js';
import { insertSourceForReview, memoDeidentifier } from './sources.commands.js';
import { studyOf } from './studies.queries.js';

const MAX_UNCOMPRESSED = 256 * 1024 * 1024;

/** Reads the file; a problem with it is a 400 naming the field and the reader's sentence. */
function readProject(body: RefiImportBody): { project: RefiProject; unknown: NotStoredPart[] } {
  if (!/\.(qdpx|qde)$/i.test(body.fileName))
    throw badRequest([{ field: 'fileName', reason: 'must end in .qdpx (a REFI-QDA project) or .qde' }]);
  const bytes = new Uint8Array(Buffer.from(body.content, 'base64'));
  if (bytes.length === 0) throw badRequest([{ field: 'content', reason: 'is empty' }]);
  try {
    const read = readProjectFile(bytes, { maxTotalBytes: MAX_UNCOMPRESSED });
    return { project: read.project, unknown: read.unknownParts };
  } catch (error) {
    if (error instanceof RefiError) throw badRequest([{ field: 'content', reason: error.message }]);
    throw error;
  }
}

/** Each source's transcript, parsed as a plain-text transcript; a source that cannot be is a 400. */
function transcriptsOf(project: RefiProject, notStored: NotStoredPart[]) {
  const out: Array<{ guid: string; title: string; raw: string; transcript: Transcript; map: RawOffsetMap }> =
    [];
  for (const source of project.sources) {
    if (source.text === null || !source.text.trim()) {
      notStored.push({
        kind: 'reference',
        path: 'Project/Sources/TextSource',
        name: source.name,
        count: 1,
        note: 'the file holds no text for this source',
      });
      continue;
    }
    let transcript: Transcript;
    try {
      transcript = parsePlainText(source.text);
    } catch (error) {
      if (error instanceof TranscriptError)
        throw badRequest([
          { field: 'content', reason: `source "${source.name}": ${error.field} ${error.reason}` },
        ]);
      throw error;
    }
    out.push({
      guid: source.guid,
      title: source.name.trim().slice(0, 200) || 'Transkripsjon',
      raw: source.text,
      transcript,
      map: rawOffsetMap(source.text, transcript),
    });
  }
  return out;
}

export async function importRefiProject(ctx: DataContext, body: RefiImportBody): Promise<RefiImportResult> {
  const { studyId } = studyOf(ctx);
  const { project, unknown } = readProject(body);
  const notStored: NotStoredPart[] = [...unknown];
  const sources = transcriptsOf(project, notStored);
  // GUIDs are compared as the reader does: letter case is not significant
  const key = (guid: string) => guid.toLowerCase();
  const notes = new Map(project.notes.map((n) => [key(n.guid), n]));
  const userName = new Map(project.users.map((u) => [key(u.guid), u.name ?? u.id ?? '']));
  const report = (path: string, name: string, count: number, note: string) => {
    if (count > 0) notStored.push({ kind: 'element', path, name, count, note });
  };
  // Notes are stored where they are attached; a reference to a note the file does not hold, a
  // note without text and a note attached to nothing the study keeps are reported, not dropped.
  const notesUsed = new Set<string>(project.noteRefs.map(key));
  let danglingNoteRefs = 0;
  let emptyNotes = 0;
  const noteText = (ref: string): string | null => {
    notesUsed.add(key(ref));
    const note = notes.get(key(ref));
    if (!note) {
      danglingNoteRefs++;
      return null;
    }
    const text = note.text.trim();
    if (!text) {
      emptyNotes++;
      return null;
    }
    return text.slice(0, 10_000);
  };
  report(
    'Project/Users',
    'User',
    project.users.length,
    "the other tool's users are not imported: their codings become yours when each transcript's review is applied"
  );
  report(
    'Project/Cases',
    'Case',
    project.cases.length,
    'cases are not imported; group the transcripts as events or framework cases'
  );
  report(
    'Project/Variables',
    'Variable',
    project.variables.length,
    'variables and their values are not imported'
  );
  report(
    'Project',
    'NoteRef',
    project.noteRefs.length,
    'notes on the project as a whole have no place in a study'
  );

  return ctx.withAudit(async (trx, audit) => {
    const codes = await codebookInto(trx, ctx, studyId, project.codes);
    // a memo on a code is stored at once, so it is de-identified at once (its names are the study's)
    const deidentify = await memoDeidentifier(trx, studyId);
    let memosCreated = 0;
    for (const [guid, noteRefs] of codes.notesByCode) {
      for (const ref of noteRefs) {
        const text = noteText(ref);
        if (!text) continue;
        await trx
          .insertInto('qual_memos')
          .values({
            study_id: studyId,
            author_id: ctx.actor.userId,
            target: 'code',
            source_id: null,
            code_id: codes.ids.get(key(guid))!,
            start_offset: null,
            end_offset: null,
            text: deidentify(text),
            created_at: ctx.now,
            updated_at: ctx.now,
          })
          .execute();
        memosCreated++;
      }
    }

    const stored: RefiImportResult['sources'] = [];
    let codingsPending = 0;
    let memosPending = 0;
    let unmapped = 0;
    const speakers = await speakingParticipants(trx, studyId);
    for (const source of sources) {
      const id = await insertSourceForReview(trx, ctx, studyId, {
        title: source.title,
        language: body.language,
        eventId: null,
        format: 'txt',
        transcript: source.transcript,
        participantIds: speakers(source.transcript),
      });
      stored.push({ id, title: source.title });
      const original = project.sources.find((s) => s.guid === source.guid)!;
      // one insert per transcript: a project can carry thousands of codings
      const rows: Insertable<QualPendingImportsTable>[] = [];
      const pending = (
        kind: 'coding' | 'memo',
        range: { start: number; end: number },
        extra: Partial<Insertable<QualPendingImportsTable>>
      ) =>
        rows.push({
          study_id: studyId,
          source_id: id,
          kind,
          code_id: null,
          memo_text: null,
          start_offset: range.start,
          end_offset: range.end,
          imported_by: ctx.actor.userId,
          imported_at: ctx.now,
          ...extra,
        });
      for (const ref of original.noteRefs) {
        const text = noteText(ref);
        if (text) {
          pending('memo', { start: 0, end: 0 }, { memo_text: text });
          memosPending++;
        }
      }
      for (const selection of original.selections) {
        const range = source.map.range(selection.start, selection.end);
        // a note on a coding is a note on the coded words: a memo on the segment, like the selection's
        const segmentNotes = [...selection.noteRefs, ...selection.codings.flatMap((c) => c.noteRefs)];
        if (!range) {
          unmapped += selection.codings.length + segmentNotes.length;
          for (const ref of segmentNotes) notesUsed.add(key(ref));
          continue;
        }
        for (const coding of selection.codings) {
          // the reader refuses a coding of a code that is not in the codebook
          const codeId = codes.ids.get(key(coding.codeGuid))!;
          const origin = (coding.creatingUser && userName.get(key(coding.creatingUser))) || '';
          pending('coding', range, { code_id: codeId, origin: origin.slice(0, 200) });
          codingsPending++;
        }
        for (const ref of segmentNotes) {
          const text = noteText(ref);
          if (text) {
            pending('memo', range, { memo_text: text });
            memosPending++;
          }
        }
      }
      for (let i = 0; i < rows.length; i += 1000)
        await trx
          .insertInto('qual_pending_imports')
          .values(rows.slice(i, i + 1000))
          .execute();
    }
    report(
      'Project/Sources/TextSource/PlainTextSelection',
      'PlainTextSelection',
      unmapped,
      "codings and notes on text that is not in the transcript's lines (a speaker label, a time)"
    );
    // notes of sources without text are not attached to anything kept either
    report(
      'Project/Notes',
      'Note',
      project.notes.filter((n) => !notesUsed.has(key(n.guid))).length,
      'notes not attached to a code, a transcript or coded text'
    );
    report('Project/Notes', 'Note without text', emptyNotes, 'notes without text');
    if (danglingNoteRefs > 0)
      notStored.push({
        kind: 'reference',
        path: 'Project',
        name: 'NoteRef',
        count: danglingNoteRefs,
        note: 'refers to a note that is not in the file',
      });
    audit({ action: 'create', dataCategory: 'qualitative codebook', patientIds: [null] });
    if (stored.length)
      audit({ action: 'create', dataCategory: 'qualitative transcript imported', patientIds: [null] });
    return {
      codesCreated: codes.created,
      codesReused: codes.reused,
      sources: stored,
      codingsPending,
      memosPending,
      memosCreated,
      notStored,
    };
  });
}

/** The project's code tree into the study's codebook: a sibling with the same name is reused. */
async function codebookInto(
  trx: Transaction<Database>,
  ctx: DataContext,
  studyId: string,
  tree: readonly RefiCode[]
): Promise<{
  ids: Map<string, string>;
  notesByCode: Map<string, string[]>;
  created: number;
  reused: number;
}> {
  const existing = await trx
    .selectFrom('qual_codes')
    .select(['id', 'parent_id', 'name'])
    .where('study_id', '=', studyId)
    .execute();
  const ids = new Map<string, string>();
  const notesByCode = new Map<string, string[]>();
  let created = 0;
  let reused = 0;
  const collator = new Intl.Collator('nb', { sensitivity: 'accent' });
  const walk = async (codes: readonly RefiCode[], parentId: string | null) => {
    for (const code of codes) {
      const name = code.name.trim().slice(0, 200) || 'Kode';
      const same = existing.find((c) => c.parent_id === parentId && collator.compare(c.name, name) === 0);
      let id: string;
      if (same) {
        id = same.id;
        reused++;
      } else {
        const colour = code.color && /^#[0-9a-f]{6}$/i.test(code.color) ? code.color.toLowerCase() : null;
        const row = await trx
          .insertInto('qual_codes')
          .values({
            study_id: studyId,
            parent_id: parentId,
            name,
            colour: colour ?? CODE_COLOURS[existing.length % CODE_COLOURS.length]!,
            definition: (code.description ?? '').slice(0, 4000),
            created_by: ctx.actor.userId,
            created_at: ctx.now,
            updated_at: ctx.now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = row.id;
        existing.push({ id, parent_id: parentId, name });
        created++;
      }
      ids.set(code.guid.toLowerCase(), id);
      if (code.noteRefs.length) notesByCode.set(code.guid.toLowerCase(), code.noteRefs);
      await walk(code.children, id);
    }
  };
  await walk(tree, null);
  return { ids, notesByCode, created, reused };
}

/**
 * Which of the study's participants speak in a transcript from another tool: a speaker label that
 * is a participant's pseudonym or holds a part of their name (as their identity key has it). They
 * are linked to the transcript as an import form would link them, so their turns are theirs after
 * the review (a withdrawal then removes them, and their consent decides whether the original is
 * kept). A withdrawn participant is never linked.
 */
async function speakingParticipants(
  trx: Transaction<Database>,
  studyId: string
): Promise<(transcript: Transcript) => string[]> {
  const rows = await trx
    .selectFrom('qual_participants as p')
    .leftJoin('qual_identity_keys as k', 'k.participant_id', 'p.id')
    .select(['p.id', 'p.pseudonym', 'p.withdrawn_at', 'k.key_text'])
    .where('p.study_id', '=', studyId)
    .execute();
  const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase('nb');
  const people = rows
    .filter((r) => r.withdrawn_at === null)
    .map((r) => ({
      id: r.id,
      pseudonym: fold(r.pseudonym),
      names: new Set(
        fold(r.key_text ?? '')
          .split(/\s+/)
          .filter(Boolean)
      ),
    }));
  return (transcript) => {
    const labels = new Set(transcript.turns.flatMap((t) => (t.speaker ? [fold(t.speaker)] : [])));
    return people
      .filter((p) =>
        [...labels].some(
          (label) => label === p.pseudonym || label.split(/\s+/).some((part) => p.names.has(part))
        )
      )
      .map((p) => p.id);
  };
}
