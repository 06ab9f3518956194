/**
 * The parts of a REFI-QDA project (QDA-XML project 1.0, "Project-mrt2019.xsd") that the platform
 * exchanges: users (coders), a hierarchical codebook, text sources with coded selections, notes
 * (memos), cases and variables. docs/qualitative/exchange.md maps each to the platform.
 *
 * Positions: `start`/`end` of a selection are the platform's offsets (JavaScript string indices,
 * UTF-16 code units, half-open) into the source's `text`. The file counts Unicode code points
 * instead; the writer and reader convert (positions.ts), so callers never see code points unless a
 * source's text is missing from an imported file (then `text` is null and the positions are the
 * file's, unconverted, and an unknown part says so).
 */

import { createHash } from 'node:crypto';

export const PROJECT_NS = 'urn:QDA-XML:project:1.0';
export const CODEBOOK_NS = 'urn:QDA-XML:codebook:1.0';

export interface RefiStamp {
  /** GUID of the user who created the item. */
  creatingUser?: string;
  /** ISO 8601 date-time. */
  creationDateTime?: string;
  modifyingUser?: string;
  modifiedDateTime?: string;
}

export interface RefiUser {
  guid: string;
  name?: string;
  id?: string;
}

export interface RefiCode {
  guid: string;
  name: string;
  isCodable: boolean;
  /** `#rrggbb`. */
  color?: string;
  description?: string;
  noteRefs: string[];
  children: RefiCode[];
}

export interface RefiCoding {
  guid: string;
  codeGuid: string;
  creatingUser?: string;
  creationDateTime?: string;
  noteRefs: string[];
}

export interface RefiSelection extends RefiStamp {
  guid: string;
  name?: string;
  description?: string;
  /** Half-open UTF-16 offsets into the source's text (code points if the text is null). */
  start: number;
  end: number;
  codings: RefiCoding[];
  noteRefs: string[];
}

export type RefiVariableType = 'Text' | 'Boolean' | 'Integer' | 'Float' | 'Date' | 'DateTime';

export interface RefiVariable {
  guid: string;
  name: string;
  type: RefiVariableType;
  description?: string;
}

export interface RefiVariableValue {
  variableGuid: string;
  type: RefiVariableType;
  /** The value as written in the file (`true`, `42`, `2026-03-01`). */
  value: string;
}

export interface RefiTextSource extends RefiStamp {
  guid: string;
  name: string;
  description?: string;
  /** The plain text; null when an imported file referred to a text it did not contain. */
  text: string | null;
  selections: RefiSelection[];
  noteRefs: string[];
  variableValues: RefiVariableValue[];
}

/** A note (memo): REFI-QDA stores it as a text source with its text inline. */
export interface RefiNote extends RefiStamp {
  guid: string;
  name?: string;
  description?: string;
  text: string;
}

export interface RefiCase {
  guid: string;
  name?: string;
  description?: string;
  codeRefs: string[];
  variableValues: RefiVariableValue[];
  sourceRefs: string[];
  selectionRefs: string[];
}

export interface RefiProject {
  name: string;
  origin?: string;
  creatingUserGuid?: string;
  creationDateTime?: string;
  modifyingUserGuid?: string;
  modifiedDateTime?: string;
  description?: string;
  users: RefiUser[];
  codes: RefiCode[];
  variables: RefiVariable[];
  cases: RefiCase[];
  sources: RefiTextSource[];
  notes: RefiNote[];
  /** Notes on the project as a whole. */
  noteRefs: string[];
}

/** What the reader found in a file and did not map into the model. Nothing is dropped silently. */
export interface UnknownPart {
  kind: 'element' | 'attribute' | 'file' | 'reference';
  /** Element path, e.g. `Project/Sources/PDFSource`, or the zip entry name for a file. */
  path: string;
  /** Element or attribute name, or file name. */
  name: string;
  /** How many times this (path, name) occurred. */
  count: number;
  /** Why it is reported, when more than "not mapped". */
  note?: string;
}

export class RefiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefiError';
  }
}

/**
 * A stable GUID: the same (namespace, kind, id) always gives the same UUID (version 5 layout, SHA-1
 * name-based, RFC 9562), so exporting a study twice gives the same GUIDs and a tool that imports
 * both can tell the same code or source.
 */
export function stableGuid(namespace: string, kind: string, id: string): string {
  const hash = createHash('sha1').update(`${namespace}\u0000${kind}\u0000${id}`, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const GUID_PATTERN =
  /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$/;
