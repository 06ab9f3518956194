/**
 * Writes a RefiProject as `project.qde` (QDA-XML project 1.0), as a `.qdpx` archive (project.qde
 * plus `sources/<guid>.txt`), and its codebook alone as a `.qdc` (QDA-XML codebook 1.0).
 * Element order follows the schema's sequences (schema/Project-mrt2019.xsd); positions are
 * converted from UTF-16 offsets to code points (positions.ts).
 */

import { strToU8, zipSync } from 'fflate';
import {
  CODEBOOK_NS,
  PROJECT_NS,
  RefiError,
  type RefiCode,
  type RefiProject,
  type RefiStamp,
  type RefiTextSource,
  type RefiVariableValue,
} from './model.js';
import { offsetMapper } from './positions.js';
import { escapeAttribute, escapeText } from './xml.js';

type Attrs = Record<string, string | number | boolean | undefined>;

function open(name: string, attrs: Attrs, selfClose = false): string {
  const parts = Object.entries(attrs)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join('');
  return `<${name}${parts}${selfClose ? '/>' : '>'}`;
}

function textElement(name: string, text: string | undefined): string {
  return text === undefined ? '' : `<${name}>${escapeText(text)}</${name}>`;
}

function refs(name: string, guids: readonly string[]): string {
  return guids.map((g) => open(name, { targetGUID: g }, true)).join('');
}

function stamp(s: RefiStamp): Attrs {
  return {
    creatingUser: s.creatingUser,
    creationDateTime: s.creationDateTime,
    modifyingUser: s.modifyingUser,
    modifiedDateTime: s.modifiedDateTime,
  };
}

const VALUE_ELEMENT = {
  Text: 'TextValue',
  Boolean: 'BooleanValue',
  Integer: 'IntegerValue',
  Float: 'FloatValue',
  Date: 'DateValue',
  DateTime: 'DateTimeValue',
} as const;

function variableValues(values: readonly RefiVariableValue[]): string {
  return values
    .map(
      (v) =>
        `<VariableValue>${open('VariableRef', { targetGUID: v.variableGuid }, true)}${textElement(VALUE_ELEMENT[v.type], v.value)}</VariableValue>`
    )
    .join('');
}

function code(c: RefiCode, withNotes: boolean): string {
  const inner =
    textElement('Description', c.description) +
    (withNotes ? refs('NoteRef', c.noteRefs) : '') +
    c.children.map((child) => code(child, withNotes)).join('');
  const attrs = { guid: c.guid, name: c.name, isCodable: c.isCodable, color: c.color };
  return inner === '' ? open('Code', attrs, true) : `${open('Code', attrs)}${inner}</Code>`;
}

function textSource(source: RefiTextSource, embed: boolean): string {
  if (source.text === null) throw new RefiError(`source ${source.name} has no text to write`);
  const mapper = offsetMapper(source.text);
  const selections = source.selections
    .map((sel) => {
      if (sel.end < sel.start) throw new RefiError(`selection ${sel.guid} ends before it starts`);
      const codings = sel.codings
        .map(
          (c) =>
            `${open('Coding', { guid: c.guid, creatingUser: c.creatingUser, creationDateTime: c.creationDateTime })}${open('CodeRef', { targetGUID: c.codeGuid }, true)}${refs('NoteRef', c.noteRefs)}</Coding>`
        )
        .join('');
      const attrs = {
        guid: sel.guid,
        name: sel.name,
        startPosition: mapper.toCodePoint(sel.start),
        endPosition: mapper.toCodePoint(sel.end),
        ...stamp(sel),
      };
      return `${open('PlainTextSelection', attrs)}${textElement('Description', sel.description)}${codings}${refs('NoteRef', sel.noteRefs)}</PlainTextSelection>`;
    })
    .join('');
  const attrs = {
    guid: source.guid,
    name: source.name,
    plainTextPath: embed ? undefined : `internal://${source.guid}.txt`,
    ...stamp(source),
  };
  return `${open('TextSource', attrs)}${textElement('Description', source.description)}${embed ? textElement('PlainTextContent', source.text) : ''}${selections}${refs('NoteRef', source.noteRefs)}${variableValues(source.variableValues)}</TextSource>`;
}

function section(name: string, items: string[]): string {
  return items.length === 0 ? '' : `<${name}>${items.join('')}</${name}>`;
}

export interface WriteOptions {
  /**
   * Put each source's text inside project.qde (PlainTextContent) instead of referring to
   * `internal://<guid>.txt`. Used for a lone .qde; a .qdpx refers to its files.
   */
  embedText?: boolean;
}

/** The project as `project.qde` XML. */
export function writeProjectQde(project: RefiProject, options: WriteOptions = {}): string {
  const embed = options.embedText ?? true;
  const body = [
    section(
      'Users',
      project.users.map((u) => open('User', { guid: u.guid, name: u.name, id: u.id }, true))
    ),
    project.codes.length > 0
      ? `<CodeBook>${section(
          'Codes',
          project.codes.map((c) => code(c, true))
        )}</CodeBook>`
      : '',
    section(
      'Variables',
      project.variables.map((v) => {
        const attrs = { guid: v.guid, name: v.name, typeOfVariable: v.type };
        return v.description === undefined
          ? open('Variable', attrs, true)
          : `${open('Variable', attrs)}${textElement('Description', v.description)}</Variable>`;
      })
    ),
    section(
      'Cases',
      project.cases.map(
        (c) =>
          `${open('Case', { guid: c.guid, name: c.name })}${textElement('Description', c.description)}${refs('CodeRef', c.codeRefs)}${variableValues(c.variableValues)}${refs('SourceRef', c.sourceRefs)}${refs('SelectionRef', c.selectionRefs)}</Case>`
      )
    ),
    section(
      'Sources',
      project.sources.map((s) => textSource(s, embed))
    ),
    section(
      'Notes',
      project.notes.map(
        (n) =>
          `${open('Note', { guid: n.guid, name: n.name, ...stamp(n) })}${textElement('Description', n.description)}${textElement('PlainTextContent', n.text)}</Note>`
      )
    ),
    textElement('Description', project.description),
    refs('NoteRef', project.noteRefs),
  ].join('\n');
  const root = open('Project', {
    xmlns: PROJECT_NS,
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': `${PROJECT_NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd`,
    name: project.name,
    origin: project.origin,
    creatingUserGUID: project.creatingUserGuid,
    creationDateTime: project.creationDateTime,
    modifyingUserGUID: project.modifyingUserGuid,
    modifiedDateTime: project.modifiedDateTime,
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n${root}\n${body}\n</Project>\n`;
}

/**
 * The project as a `.qdpx` archive: `project.qde` and each text source as `sources/<guid>.txt`
 * (UTF-8), referred to as `internal://<guid>.txt`.
 */
export function writeQdpx(project: RefiProject): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'project.qde': strToU8(writeProjectQde(project, { embedText: false })),
  };
  for (const source of project.sources) {
    if (source.text === null) throw new RefiError(`source ${source.name} has no text to write`);
    files[`sources/${source.guid}.txt`] = strToU8(source.text);
  }
  // A fixed time stamp, so the same project gives the same bytes.
  return zipSync(files, { mtime: new Date('2000-01-01T00:00:00Z') });
}

/** The codebook alone as a REFI-QDA codebook (`.qdc`, root `CodeBook` in the codebook namespace). */
export function writeCodebookQdc(codes: readonly RefiCode[], origin?: string): string {
  if (codes.length === 0) throw new RefiError('a codebook needs at least one code');
  const root = open('CodeBook', {
    xmlns: CODEBOOK_NS,
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': `${CODEBOOK_NS} http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd`,
    origin,
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n${root}\n<Codes>${codes.map((c) => code(c, false)).join('')}</Codes>\n</CodeBook>\n`;
}
