/**
 * A study as a REFI-QDA project (issue 15, "Exchange"), for NVivo, ATLAS.ti, MAXQDA and QualCoder:
 *
 * - sources: every transcript open for coding, with its de-identified text (never an original, never
 *   one still under review), its event and language as variables;
 * - cases: one per event (focus group 2, interview 5, case 1), holding its transcripts;
 * - users: the study's members, by display name;
 * - the codebook: its codes as a code tree, every coder's codings as coded selections (the coder as
 *   the selection's creating user, so another tool can compare coders too), memos on codes and
 *   sources as notes on them, memos on segments as notes on an uncoded selection;
 * - STC: each analysis's code groups (and subgroups, as child codes) with its
 *   meaning units as coded selections, so the material opens in another tool sorted as it was
 *   here; each condensate is a note on its code ("golden quotation" marked in the note), and the
 *   preliminary themes of step 1 a note on their source.
 *
 * GUIDs are stable (`stableGuid` over the study and the row id), so exporting twice gives the same
 * file apart from the export time, and a re-import into another tool matches its earlier import.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StcAnalysis } from '../../domain/qualitative/stc.js';
import {
  stableGuid,
  type RefiCase,
  type RefiCode,
  type RefiNote,
  type RefiProject,
  type RefiSelection,
  type RefiTextSource,
  type RefiVariable,
} from '../../qualitative/refi/model.js';
import { json } from './sources.commands.js';

const EVENT_NAMES = {
  nb: { focus_group: 'Fokusgruppe', interview: 'Intervju', case: 'Case' },
  en: { focus_group: 'Focus group', interview: 'Interview', case: 'Case' },
} as const;

export interface StudyExport {
  project: RefiProject;
  /** Counts, for the command line and the audit. */
  counts: { sources: number; codes: number; codings: number; notes: number; cases: number };
}

export async function studyAsRefiProject(
  db: Kysely<Database>,
  studyId: string,
  options: { now: Date; language?: 'nb' | 'en' }
): Promise<StudyExport> {
  const language = options.language ?? 'nb';
  const guid = (kind: string, id: string) => stableGuid(`gpdep-study-${studyId}`, kind, id);
  const study = await db
    .selectFrom('qual_studies')
    .select(['id', 'title', 'created_by', 'created_at'])
    .where('id', '=', studyId)
    .executeTakeFirst();
  if (!study) throw new Error(`No qualitative study with id ${studyId} in this database`);
  const members = await db
    .selectFrom('qual_study_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name'])
    .where('m.study_id', '=', studyId)
    .orderBy('u.id')
    .execute();
  const events = await db
    .selectFrom('qual_events')
    .select(['id', 'kind', 'number'])
    .where('study_id', '=', studyId)
    .orderBy('kind')
    .orderBy('number')
    .execute();
  const rows = await db
    .selectFrom('qual_sources')
    .select(['id', 'title', 'language', 'event_id', 'text', 'imported_at'])
    .where('study_id', '=', studyId)
    .where('status', '=', 'open_for_coding')
    .orderBy('imported_at')
    .orderBy('id')
    .execute();
  const analyses = await db
    .selectFrom('qual_stc_analyses')
    .select(['id', 'title', 'document', 'created_by', 'created_at'])
    .where('study_id', '=', studyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

  // Siblings in Norwegian collation (as the codebook lists them), whatever the database's collation.
  const collator = new Intl.Collator('nb');
  const codebook = (
    await db
      .selectFrom('qual_codes')
      .select(['id', 'parent_id', 'name', 'colour', 'definition', 'created_by'])
      .where('study_id', '=', studyId)
      .execute()
  ).sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
  const codingRows = await db
    .selectFrom('qual_codings')
    .select(['id', 'source_id', 'code_id', 'coder_id', 'start_offset', 'end_offset', 'created_at'])
    .where('study_id', '=', studyId)
    .orderBy('source_id')
    .orderBy('start_offset')
    .orderBy('id')
    .execute();
  const memos = await db
    .selectFrom('qual_memos')
    .select([
      'id',
      'target',
      'source_id',
      'code_id',
      'start_offset',
      'end_offset',
      'text',
      'author_id',
      'created_at',
    ])
    .where('study_id', '=', studyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

  const userGuid = (id: string) => guid('user', id);
  const eventVariable: RefiVariable = { guid: guid('variable', 'event'), name: 'event', type: 'Text' };
  const languageVariable: RefiVariable = {
    guid: guid('variable', 'language'),
    name: 'language',
    type: 'Text',
  };
  const eventName = (e: { kind: string; number: number }) =>
    `${EVENT_NAMES[language][e.kind as keyof (typeof EVENT_NAMES)['nb']] ?? e.kind} ${e.number}`;
  const eventById = new Map(events.map((e) => [e.id, e]));

  const notes: RefiNote[] = [];
  const selectionsBySource = new Map<string, RefiSelection[]>();
  const sourceNotes = new Map<string, string[]>();
  const codes: RefiCode[] = [];
  let codings = 0;
  const openSources = new Set(rows.map((r) => r.id));
  const addSelection = (sourceId: string, selection: RefiSelection) =>
    selectionsBySource.set(sourceId, [...(selectionsBySource.get(sourceId) ?? []), selection]);

  // The codebook, its codings and memos.
  const memoNotes = new Map<string, string[]>();
  for (const m of memos) {
    const note: RefiNote = {
      guid: guid('memo', m.id),
      name: 'Memo',
      text: m.text,
      creatingUser: userGuid(m.author_id),
      creationDateTime: new Date(m.created_at).toISOString(),
    };
    if (m.target === 'code' && m.code_id) {
      notes.push(note);
      memoNotes.set(m.code_id, [...(memoNotes.get(m.code_id) ?? []), note.guid]);
    } else if (m.target === 'source' && m.source_id && openSources.has(m.source_id)) {
      notes.push(note);
      sourceNotes.set(m.source_id, [...(sourceNotes.get(m.source_id) ?? []), note.guid]);
    } else if (m.target === 'segment' && m.source_id && openSources.has(m.source_id)) {
      notes.push(note);
      addSelection(m.source_id, {
        guid: guid('memo-selection', m.id),
        start: m.start_offset!,
        end: m.end_offset!,
        creatingUser: userGuid(m.author_id),
        codings: [],
        noteRefs: [note.guid],
      });
    }
  }
  const bookCode = (c: (typeof codebook)[number]): RefiCode => ({
    guid: guid('code', c.id),
    name: c.name,
    isCodable: true,
    color: c.colour,
    ...(c.definition ? { description: c.definition } : {}),
    noteRefs: memoNotes.get(c.id) ?? [],
    children: codebook.filter((child) => child.parent_id === c.id).map(bookCode),
  });
  codes.push(...codebook.filter((c) => c.parent_id === null).map(bookCode));
  for (const k of codingRows) {
    if (!openSources.has(k.source_id)) continue;
    addSelection(k.source_id, {
      guid: guid('coding-selection', k.id),
      start: k.start_offset,
      end: k.end_offset,
      creatingUser: userGuid(k.coder_id),
      creationDateTime: new Date(k.created_at).toISOString(),
      codings: [
        {
          guid: guid('coding', k.id),
          codeGuid: guid('code', k.code_id),
          creatingUser: userGuid(k.coder_id),
          noteRefs: [],
        },
      ],
      noteRefs: [],
    });
    codings += 1;
  }

  for (const row of analyses) {
    const analysis = json<StcAnalysis>(row.document);
    const codeGuid = (groupId: string) => guid(`stc-group-${row.id}`, groupId);
    const codeNotes = new Map<string, string[]>();
    for (const c of analysis.condensates) {
      const note: RefiNote = {
        guid: guid(`stc-condensate-${row.id}`, c.id),
        name: `Kondensat ${c.id}`,
        text: [c.text, ...(c.goldenQuoteId ? [`Gullsitat: meningsenhet ${c.goldenQuoteId}`] : [])].join('\n'),
        creatingUser: userGuid(row.created_by),
      };
      notes.push(note);
      codeNotes.set(c.groupId, [...(codeNotes.get(c.groupId) ?? []), note.guid]);
    }
    const codeOf = (g: StcAnalysis['groups'][number]): RefiCode => ({
      guid: codeGuid(g.id),
      name: g.name,
      isCodable: true,
      description: `${row.title} (STC)`,
      noteRefs: codeNotes.get(g.id) ?? [],
      children: analysis.groups.filter((c) => c.parentId === g.id).map(codeOf),
    });
    codes.push(...analysis.groups.filter((g) => g.parentId === null).map(codeOf));
    for (const u of analysis.meaningUnits) {
      if (u.groupId === null || !openSources.has(u.sourceId)) continue;
      const selection: RefiSelection = {
        guid: guid(`stc-unit-${row.id}`, u.id),
        name: u.id,
        start: u.start,
        end: u.end,
        creatingUser: userGuid(row.created_by),
        codings: [{ guid: guid(`stc-coding-${row.id}`, u.id), codeGuid: codeGuid(u.groupId), noteRefs: [] }],
        noteRefs: [],
      };
      codings += 1;
      addSelection(u.sourceId, selection);
    }
    for (const impression of analysis.impressions) {
      if (!openSources.has(impression.sourceId) || !impression.themes.length) continue;
      const note: RefiNote = {
        guid: guid(`stc-impression-${row.id}`, impression.sourceId),
        name: `Helhetsinntrykk (${row.title})`,
        text: impression.themes.map((t) => `- ${t}`).join('\n'),
        creatingUser: userGuid(row.created_by),
      };
      notes.push(note);
      sourceNotes.set(impression.sourceId, [...(sourceNotes.get(impression.sourceId) ?? []), note.guid]);
    }
  }

  const sources: RefiTextSource[] = rows.map((r) => {
    const event = r.event_id ? eventById.get(r.event_id) : undefined;
    return {
      guid: guid('source', r.id),
      name: r.title,
      text: r.text ?? '',
      creationDateTime: new Date(r.imported_at).toISOString(),
      selections: (selectionsBySource.get(r.id) ?? []).sort((a, b) => a.start - b.start || a.end - b.end),
      noteRefs: sourceNotes.get(r.id) ?? [],
      variableValues: [
        ...(event
          ? [{ variableGuid: eventVariable.guid, type: 'Text' as const, value: eventName(event) }]
          : []),
        { variableGuid: languageVariable.guid, type: 'Text' as const, value: r.language },
      ],
    };
  });
  const cases: RefiCase[] = events
    .map((e) => ({
      guid: guid('case', e.id),
      name: eventName(e),
      codeRefs: [],
      variableValues: [],
      sourceRefs: rows.filter((r) => r.event_id === e.id).map((r) => guid('source', r.id)),
      selectionRefs: [],
    }))
    .filter((c) => c.sourceRefs.length > 0);

  const project: RefiProject = {
    name: study.title,
    origin: 'GP-DEP qualitative workspace',
    creatingUserGuid: userGuid(study.created_by),
    creationDateTime: new Date(study.created_at).toISOString(),
    modifiedDateTime: options.now.toISOString(),
    users: members.map((m) => ({ guid: userGuid(m.id), name: m.display_name })),
    codes,
    variables: [eventVariable, languageVariable],
    cases,
    sources,
    notes,
    noteRefs: [],
  };
  const countCodes = (list: readonly RefiCode[]): number =>
    list.reduce((n, c) => n + 1 + countCodes(c.children), 0);
  return {
    project,
    counts: {
      sources: sources.length,
      codes: countCodes(codes),
      codings,
      notes: notes.length,
      cases: cases.length,
    },
  };
}
