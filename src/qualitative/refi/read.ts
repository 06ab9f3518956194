/**
 * Reads a REFI-QDA project (`.qdpx` archive or a lone `project.qde`) and a codebook (`.qdc`) into
 * the model, and lists every element, attribute and archive file it did not map as an unknown
 * part, so an import can say what it left behind (graphs, sets, links, PDF and media sources, rich
 * text, other tools' extensions) instead of dropping it silently.
 *
 * Errors are RefiError with a sentence a researcher can act on: not a zip, no project.qde, not XML,
 * not a REFI-QDA project, a position outside its text, a reference to a missing code.
 */

import { unzipSync } from 'fflate';
import {
  CODEBOOK_NS,
  PROJECT_NS,
  RefiError,
  type RefiCase,
  type RefiCode,
  type RefiCoding,
  type RefiNote,
  type RefiProject,
  type RefiSelection,
  type RefiTextSource,
  type RefiUser,
  type RefiVariable,
  type RefiVariableType,
  type RefiVariableValue,
  type UnknownPart,
} from './model.js';
import { offsetMapper } from './positions.js';
import { parseXml, XmlError, type XmlElement } from './xml.js';

export interface ReadResult {
  project: RefiProject;
  unknownParts: UnknownPart[];
}

class Collector {
  private readonly parts = new Map<string, UnknownPart>();
  add(kind: UnknownPart['kind'], path: string, name: string, note?: string): void {
    const key = `${kind}\u0000${path}\u0000${name}`;
    const existing = this.parts.get(key);
    if (existing) existing.count++;
    else this.parts.set(key, { kind, path, name, count: 1, ...(note ? { note } : {}) });
  }
  list(): UnknownPart[] {
    return [...this.parts.values()];
  }
}

const IGNORED_ATTRIBUTE = /^(xmlns(:.*)?|xsi:.*)$/;
const STAMP = ['creatingUser', 'creationDateTime', 'modifyingUser', 'modifiedDateTime'];
const VARIABLE_TYPES: readonly RefiVariableType[] = [
  'Text',
  'Boolean',
  'Integer',
  'Float',
  'Date',
  'DateTime',
];

/** Walks one element: hands known children to handlers, reports the rest and unmapped attributes. */
class Reader {
  constructor(
    readonly unknown: Collector,
    private readonly ns: string
  ) {}

  attrs(el: XmlElement, path: string, known: readonly string[]): Map<string, string> {
    for (const name of el.attributes.keys()) {
      if (!known.includes(name) && !IGNORED_ATTRIBUTE.test(name)) this.unknown.add('attribute', path, name);
    }
    return el.attributes;
  }

  children(
    el: XmlElement,
    path: string,
    handlers: Record<string, (child: XmlElement, childPath: string) => void>
  ): void {
    for (const child of el.children) {
      const childPath = `${path}/${child.name}`;
      const handler = child.ns === this.ns || child.ns === '' ? handlers[child.name] : undefined;
      if (handler) handler(child, childPath);
      else
        this.unknown.add(
          'element',
          path,
          child.ns && child.ns !== this.ns ? `{${child.ns}}${child.name}` : child.name
        );
    }
  }

  required(el: XmlElement, path: string, name: string): string {
    const value = el.attributes.get(name);
    if (value === undefined) throw new RefiError(`${path} has no ${name} attribute`);
    return value;
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function stampOf(a: Map<string, string>) {
  return {
    ...optional('creatingUser', a.get('creatingUser')),
    ...optional('creationDateTime', a.get('creationDateTime')),
    ...optional('modifyingUser', a.get('modifyingUser')),
    ...optional('modifiedDateTime', a.get('modifiedDateTime')),
  };
}

/** Deeper code hierarchies than this are refused (no codebook needs them; recursion stays bounded). */
const MAX_CODE_DEPTH = 64;

function readCode(r: Reader, el: XmlElement, path: string, withNotes: boolean, depth = 1): RefiCode {
  if (depth > MAX_CODE_DEPTH)
    throw new RefiError(`the codebook nests codes more than ${String(MAX_CODE_DEPTH)} levels deep`);
  const a = r.attrs(el, path, ['guid', 'name', 'isCodable', 'color']);
  const code: RefiCode = {
    guid: r.required(el, path, 'guid'),
    name: r.required(el, path, 'name'),
    isCodable: (a.get('isCodable') ?? 'true').trim() !== 'false' && a.get('isCodable')?.trim() !== '0',
    ...optional('color', a.get('color')),
    noteRefs: [],
    children: [],
  };
  r.children(el, path, {
    Description: (d) => (code.description = d.text),
    ...(withNotes
      ? { NoteRef: (n: XmlElement, p: string) => code.noteRefs.push(r.required(n, p, 'targetGUID')) }
      : {}),
    Code: (c, p) => code.children.push(readCode(r, c, p, withNotes, depth + 1)),
  });
  return code;
}

function readVariableValue(r: Reader, el: XmlElement, path: string): RefiVariableValue | null {
  let variableGuid: string | undefined;
  let value: { type: RefiVariableType; value: string } | undefined;
  const handlers: Record<string, (c: XmlElement, p: string) => void> = {
    VariableRef: (c, p) => (variableGuid = r.required(c, p, 'targetGUID')),
  };
  for (const type of VARIABLE_TYPES) handlers[`${type}Value`] = (c) => (value = { type, value: c.text });
  r.children(el, path, handlers);
  if (!variableGuid) throw new RefiError(`${path} has no VariableRef`);
  // An empty value (the schema allows the choice to be absent) maps to nothing and is reported.
  if (!value) {
    r.unknown.add('element', path, 'VariableValue', 'no value given');
    return null;
  }
  return { variableGuid, ...value };
}

function readTextSource(
  r: Reader,
  el: XmlElement,
  path: string,
  resolveText: (plainTextPath: string, p: string) => string | null
): RefiTextSource {
  // richTextPath is known but not mapped: reported below with a note saying why.
  const a = r.attrs(el, path, ['guid', 'name', 'plainTextPath', 'richTextPath', ...STAMP]);
  const guid = r.required(el, path, 'guid');
  let content: string | undefined;
  const rawSelections: { el: XmlElement; path: string }[] = [];
  const source: RefiTextSource = {
    guid,
    name: a.get('name') ?? guid,
    text: null,
    selections: [],
    noteRefs: [],
    variableValues: [],
    ...stampOf(a),
  };
  r.children(el, path, {
    Description: (d) => (source.description = d.text),
    PlainTextContent: (c) => (content = c.text),
    PlainTextSelection: (s, p) => rawSelections.push({ el: s, path: p }),
    NoteRef: (n, p) => source.noteRefs.push(r.required(n, p, 'targetGUID')),
    VariableValue: (v, p) => {
      const value = readVariableValue(r, v, p);
      if (value) source.variableValues.push(value);
    },
    // Codings of the whole source (not of a selection) have no place in the model.
  });
  if (a.has('richTextPath'))
    r.unknown.add('attribute', path, 'richTextPath', 'rich text is not imported; the plain text is');
  const plainTextPath = a.get('plainTextPath');
  if (content !== undefined) source.text = content;
  else if (plainTextPath !== undefined) source.text = resolveText(plainTextPath, path);
  const mapper = source.text === null ? null : offsetMapper(source.text);
  for (const { el: s, path: p } of rawSelections) {
    const sa = r.attrs(s, p, ['guid', 'name', 'startPosition', 'endPosition', ...STAMP]);
    const start = Number(r.required(s, p, 'startPosition'));
    const end = Number(r.required(s, p, 'endPosition'));
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
      throw new RefiError(
        `${p} ${r.required(s, p, 'guid')}: positions ${String(start)}–${String(end)} are not a range`
      );
    }
    const selection: RefiSelection = {
      guid: r.required(s, p, 'guid'),
      ...optional('name', sa.get('name')),
      start: mapper ? mapper.toUtf16(start) : start,
      end: mapper ? mapper.toUtf16(end) : end,
      codings: [],
      noteRefs: [],
      ...stampOf(sa),
    };
    r.children(s, p, {
      Description: (d) => (selection.description = d.text),
      Coding: (c, cp) => {
        const ca = r.attrs(c, cp, ['guid', 'creatingUser', 'creationDateTime']);
        const coding: RefiCoding = {
          guid: r.required(c, cp, 'guid'),
          codeGuid: '',
          ...optional('creatingUser', ca.get('creatingUser')),
          ...optional('creationDateTime', ca.get('creationDateTime')),
          noteRefs: [],
        };
        r.children(c, cp, {
          CodeRef: (ref, rp) => (coding.codeGuid = r.required(ref, rp, 'targetGUID')),
          NoteRef: (n, np) => coding.noteRefs.push(r.required(n, np, 'targetGUID')),
        });
        if (!coding.codeGuid) throw new RefiError(`${cp} ${coding.guid} has no CodeRef`);
        selection.codings.push(coding);
      },
      NoteRef: (n, np) => selection.noteRefs.push(r.required(n, np, 'targetGUID')),
    });
    source.selections.push(selection);
  }
  if (source.text === null && source.selections.length > 0) {
    r.unknown.add(
      'reference',
      path,
      plainTextPath ?? '(no text)',
      'the source text is not in the file; positions are left as the file gives them (code points)'
    );
  }
  return source;
}

function readProjectElement(
  root: XmlElement,
  resolveText: (plainTextPath: string, path: string) => string | null,
  unknown: Collector
): RefiProject {
  if (root.name !== 'Project' || (root.ns !== PROJECT_NS && root.ns !== '')) {
    throw new RefiError(
      `not a REFI-QDA project: the root element is <${root.name}>${root.ns ? ` in namespace ${root.ns}` : ''}, expected <Project> in ${PROJECT_NS}`
    );
  }
  if (root.ns === '')
    unknown.add('attribute', 'Project', 'xmlns', `no namespace: expected ${PROJECT_NS}; read anyway`);
  const r = new Reader(unknown, root.ns);
  const path = 'Project';
  const a = r.attrs(root, path, [
    'name',
    'origin',
    'creatingUserGUID',
    'creationDateTime',
    'modifyingUserGUID',
    'modifiedDateTime',
  ]);
  const project: RefiProject = {
    name: a.get('name') ?? '',
    ...optional('origin', a.get('origin')),
    ...optional('creatingUserGuid', a.get('creatingUserGUID')),
    ...optional('creationDateTime', a.get('creationDateTime')),
    ...optional('modifyingUserGuid', a.get('modifyingUserGUID')),
    ...optional('modifiedDateTime', a.get('modifiedDateTime')),
    users: [],
    codes: [],
    variables: [],
    cases: [],
    sources: [],
    notes: [],
    noteRefs: [],
  };
  r.children(root, path, {
    Users: (el, p) =>
      r.children(el, p, {
        User: (u, up) => {
          const ua = r.attrs(u, up, ['guid', 'name', 'id']);
          const user: RefiUser = {
            guid: r.required(u, up, 'guid'),
            ...optional('name', ua.get('name')),
            ...optional('id', ua.get('id')),
          };
          project.users.push(user);
        },
      }),
    CodeBook: (el, p) =>
      r.children(el, p, {
        Codes: (codes, cp) =>
          r.children(codes, cp, { Code: (c, ccp) => project.codes.push(readCode(r, c, ccp, true)) }),
      }),
    Variables: (el, p) =>
      r.children(el, p, {
        Variable: (v, vp) => {
          const va = r.attrs(v, vp, ['guid', 'name', 'typeOfVariable']);
          const type = va.get('typeOfVariable') as RefiVariableType;
          if (!VARIABLE_TYPES.includes(type))
            throw new RefiError(`${vp}: unknown typeOfVariable ${String(type)}`);
          const variable: RefiVariable = {
            guid: r.required(v, vp, 'guid'),
            name: r.required(v, vp, 'name'),
            type,
          };
          r.children(v, vp, { Description: (d) => (variable.description = d.text) });
          project.variables.push(variable);
        },
      }),
    Cases: (el, p) =>
      r.children(el, p, {
        Case: (c, cp) => {
          const ca = r.attrs(c, cp, ['guid', 'name']);
          const item: RefiCase = {
            guid: r.required(c, cp, 'guid'),
            ...optional('name', ca.get('name')),
            codeRefs: [],
            variableValues: [],
            sourceRefs: [],
            selectionRefs: [],
          };
          r.children(c, cp, {
            Description: (d) => (item.description = d.text),
            CodeRef: (x, xp) => item.codeRefs.push(r.required(x, xp, 'targetGUID')),
            VariableValue: (x, xp) => {
              const value = readVariableValue(r, x, xp);
              if (value) item.variableValues.push(value);
            },
            SourceRef: (x, xp) => item.sourceRefs.push(r.required(x, xp, 'targetGUID')),
            SelectionRef: (x, xp) => item.selectionRefs.push(r.required(x, xp, 'targetGUID')),
          });
          project.cases.push(item);
        },
      }),
    Sources: (el, p) =>
      r.children(el, p, {
        TextSource: (s, sp) => project.sources.push(readTextSource(r, s, sp, resolveText)),
      }),
    Notes: (el, p) =>
      r.children(el, p, {
        Note: (n, np) => {
          const na = r.attrs(n, np, ['guid', 'name', 'plainTextPath', ...STAMP]);
          const note: RefiNote = {
            guid: r.required(n, np, 'guid'),
            ...optional('name', na.get('name')),
            text: '',
            ...stampOf(na),
          };
          let inline = false;
          r.children(n, np, {
            Description: (d) => (note.description = d.text),
            PlainTextContent: (c) => {
              note.text = c.text;
              inline = true;
            },
          });
          const plainTextPath = na.get('plainTextPath');
          if (!inline && plainTextPath !== undefined) note.text = resolveText(plainTextPath, np) ?? '';
          project.notes.push(note);
        },
      }),
    Description: (d) => (project.description = d.text),
    NoteRef: (n, np) => project.noteRefs.push(r.required(n, np, 'targetGUID')),
  });
  checkReferences(project);
  return project;
}

/** Every coding must point at a code of the codebook; a dangling reference is an error, not a guess. */
function checkReferences(project: RefiProject): void {
  const codes = new Set<string>();
  const walk = (list: readonly RefiCode[]): void => {
    for (const c of list) {
      codes.add(c.guid.toLowerCase());
      walk(c.children);
    }
  };
  walk(project.codes);
  for (const source of project.sources) {
    for (const selection of source.selections) {
      for (const coding of selection.codings) {
        if (!codes.has(coding.codeGuid.toLowerCase())) {
          throw new RefiError(
            `coding ${coding.guid} in source ${source.name} refers to code ${coding.codeGuid}, which is not in the codebook`
          );
        }
      }
    }
  }
}

function parse(xml: string, what: string): XmlElement {
  try {
    return parseXml(xml);
  } catch (error) {
    if (error instanceof XmlError) throw new RefiError(`${what} is not well-formed XML: ${error.message}`);
    throw error;
  }
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RefiError(`${what} is not UTF-8 text`);
  }
}

/** Reads a lone project.qde (XML text or bytes). Texts referred to by path are not available. */
export function readQde(input: string | Uint8Array): ReadResult {
  const xml = typeof input === 'string' ? input : decodeUtf8(input, 'project.qde');
  const unknown = new Collector();
  const project = readProjectElement(parse(xml, 'project.qde'), () => null, unknown);
  return { project, unknownParts: unknown.list() };
}

const ZIP_MAGIC = [0x50, 0x4b];

export interface QdpxLimits {
  /** Largest uncompressed size of the whole archive, in bytes (default 512 MiB). */
  maxTotalBytes?: number;
}

/** Reads a `.qdpx` archive: project.qde and the plain-text sources it refers to. */
export function readQdpx(bytes: Uint8Array, limits: QdpxLimits = {}): ReadResult {
  if (bytes.length < 4 || bytes[0] !== ZIP_MAGIC[0] || bytes[1] !== ZIP_MAGIC[1]) {
    throw new RefiError('not a .qdpx file: a .qdpx is a zip archive, and this file is not one');
  }
  const maxTotal = limits.maxTotalBytes ?? 512 * 1024 * 1024;
  let files: Record<string, Uint8Array>;
  let total = 0;
  try {
    // The sizes are checked from the archive's directory before anything is inflated, so a zip
    // bomb is refused without being unpacked.
    files = unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (total > maxTotal) {
          throw new RefiError(`the archive unpacks to more than ${String(maxTotal)} bytes; it is refused`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof RefiError) throw error;
    throw new RefiError(
      `not a .qdpx file: the zip archive cannot be read (${error instanceof Error ? error.message : String(error)})`
    );
  }
  const names = Object.keys(files).filter((n) => !n.endsWith('/'));
  const qdeName =
    names.find((n) => n.toLowerCase() === 'project.qde') ??
    names.find((n) => /(^|\/)project\.qde$/i.test(n)) ??
    names.find((n) => n.toLowerCase().endsWith('.qde'));
  if (!qdeName) throw new RefiError('not a .qdpx file: the zip archive has no project.qde');
  const used = new Set<string>([qdeName]);
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const unknown = new Collector();
  const resolveText = (plainTextPath: string, path: string): string | null => {
    const internal = /^internal:\/\/(.+)$/i.exec(plainTextPath);
    if (!internal) {
      unknown.add('reference', path, plainTextPath, 'refers to a file outside the archive');
      return null;
    }
    const entry = byLower.get(`sources/${internal[1]!.toLowerCase()}`);
    if (!entry)
      throw new RefiError(`${path} refers to ${plainTextPath}, which is not in the archive's sources folder`);
    used.add(entry);
    return decodeUtf8(files[entry]!, entry).replace(/^\uFEFF/, '');
  };
  const qde = decodeUtf8(files[qdeName]!, qdeName);
  const project = readProjectElement(parse(qde, qdeName), resolveText, unknown);
  for (const name of names) if (!used.has(name)) unknown.add('file', 'archive', name, 'not imported');
  return { project, unknownParts: unknown.list() };
}

/** Reads a REFI-QDA codebook (`.qdc`). */
export function readQdc(input: string | Uint8Array): {
  codes: RefiCode[];
  origin?: string;
  unknownParts: UnknownPart[];
} {
  const xml = typeof input === 'string' ? input : decodeUtf8(input, 'the codebook');
  const root = parse(xml, 'the codebook');
  if (root.name !== 'CodeBook' || (root.ns !== CODEBOOK_NS && root.ns !== '')) {
    throw new RefiError(
      `not a REFI-QDA codebook: the root element is <${root.name}>, expected <CodeBook> in ${CODEBOOK_NS}`
    );
  }
  const unknown = new Collector();
  const r = new Reader(unknown, root.ns);
  const a = r.attrs(root, 'CodeBook', ['origin']);
  const codes: RefiCode[] = [];
  r.children(root, 'CodeBook', {
    Codes: (el, p) => r.children(el, p, { Code: (c, cp) => codes.push(readCode(r, c, cp, false)) }),
  });
  return { codes, ...optional('origin', a.get('origin')), unknownParts: unknown.list() };
}

/** Reads either kind of project file by looking at its first bytes. */
export function readProjectFile(bytes: Uint8Array, limits: QdpxLimits = {}): ReadResult {
  if (bytes[0] === ZIP_MAGIC[0] && bytes[1] === ZIP_MAGIC[1]) return readQdpx(bytes, limits);
  return readQde(bytes);
}
