/**
 * The codebook: hierarchical codes with definition, inclusion and exclusion criteria and an example
 * quotation, and the three reorganisations a codebook goes through during analysis (move, merge,
 * split). The rule that matters: reorganising never loses a coded segment. Moving keeps every coding
 * where it is; merging relabels the merged code's codings and unites overlapping ones of the same
 * coder in the same source (so the characters each coder coded are exactly the union of both codes);
 * splitting moves the codings the researcher chose and leaves the rest.
 *
 * Codings are per coder: two coders' segments are never merged with each other (their agreement is
 * computed from them; agreement.ts).
 */

export interface Code {
  id: string;
  /** Null for a top-level code. */
  parentId: string | null;
  name: string;
  definition?: string;
  /** When to use the code. */
  inclusion?: string;
  /** When not to (and which code to use instead). */
  exclusion?: string;
  /** A short quotation that shows the code at work. */
  example?: string;
}

export interface Coding {
  id: string;
  codeId: string;
  sourceId: string;
  coderId: string;
  /** Half-open character offsets into the source's de-identified text. */
  start: number;
  end: number;
}

/** A problem with a codebook or a reorganisation, naming the code and the reason. */
export class CodebookError extends Error {
  constructor(
    readonly codeId: string,
    readonly reason:
      | 'unknown-code'
      | 'unknown-parent'
      | 'duplicate-id'
      | 'empty-name'
      | 'duplicate-sibling-name'
      | 'cycle'
      | 'same-code'
      | 'coding-of-another-code',
    message: string
  ) {
    super(message);
    this.name = 'CodebookError';
  }
}

const nameKey = (name: string) => name.trim().normalize('NFC').toLocaleLowerCase('nb');

function byId(codes: readonly Code[]): Map<string, Code> {
  return new Map(codes.map((c) => [c.id, c]));
}

/**
 * Every problem of a codebook, in code order: duplicate ids, empty names, a parent that does not
 * exist, a cycle of parents, two codes with the same name under one parent (case and Unicode
 * normalisation ignored: "Tid" and "tid" would be indistinguishable in a list).
 */
export function codebookProblems(codes: readonly Code[]): CodebookError[] {
  const problems: CodebookError[] = [];
  const seen = new Set<string>();
  for (const c of codes) {
    if (seen.has(c.id))
      problems.push(new CodebookError(c.id, 'duplicate-id', `code ${c.id}: the id is used twice`));
    seen.add(c.id);
    if (!c.name.trim())
      problems.push(new CodebookError(c.id, 'empty-name', `code ${c.id}: the name is empty`));
  }
  const map = byId(codes);
  for (const c of codes) {
    if (c.parentId !== null && !map.has(c.parentId)) {
      problems.push(
        new CodebookError(c.id, 'unknown-parent', `code ${c.id}: parent ${c.parentId} does not exist`)
      );
      continue;
    }
    // Walk up; a walk longer than the codebook has gone round a cycle.
    let cursor = c.parentId;
    for (let steps = 0; cursor !== null; steps++) {
      if (cursor === c.id || steps > codes.length) {
        problems.push(new CodebookError(c.id, 'cycle', `code ${c.id}: it is its own ancestor`));
        break;
      }
      cursor = map.get(cursor)?.parentId ?? null;
    }
  }
  const siblings = new Map<string, string>();
  for (const c of codes) {
    const key = `${c.parentId ?? ''}\u0000${nameKey(c.name)}`;
    const other = siblings.get(key);
    if (other !== undefined && c.name.trim())
      problems.push(
        new CodebookError(
          c.id,
          'duplicate-sibling-name',
          `code ${c.id}: "${c.name}" is also the name of ${other} under the same parent`
        )
      );
    else siblings.set(key, c.id);
  }
  return problems;
}

function assertValid(codes: readonly Code[]): void {
  const [first] = codebookProblems(codes);
  if (first) throw first;
}

/** The ids of a code's descendants (children, their children, …), not the code itself. */
export function descendantIds(codes: readonly Code[], id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const c of codes)
    if (c.parentId !== null) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c.id]);
  const out = new Set<string>();
  const stack = [...(children.get(id) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

export interface CodeNode extends Code {
  depth: number;
  children: CodeNode[];
}

/** The codebook as a tree, siblings in name order (Norwegian collation). */
export function codeTree(codes: readonly Code[]): CodeNode[] {
  assertValid(codes);
  const collator = new Intl.Collator('nb');
  const build = (parentId: string | null, depth: number): CodeNode[] =>
    codes
      .filter((c) => c.parentId === parentId)
      .sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1))
      .map((c) => ({ ...c, depth, children: build(c.id, depth + 1) }));
  return build(null, 0);
}

/**
 * Moves a code (with its subtree) under another parent, or to the top (null). Codings are not
 * touched: they belong to the code, wherever it sits. Refuses a move under the code itself or one
 * of its descendants (a cycle) and a move that gives two siblings one name.
 */
export function moveCode(codes: readonly Code[], id: string, newParentId: string | null): Code[] {
  const map = byId(codes);
  if (!map.has(id)) throw new CodebookError(id, 'unknown-code', `code ${id} does not exist`);
  if (newParentId !== null) {
    if (!map.has(newParentId))
      throw new CodebookError(id, 'unknown-parent', `code ${newParentId} does not exist`);
    if (newParentId === id || descendantIds(codes, id).has(newParentId))
      throw new CodebookError(id, 'cycle', `code ${id} cannot move under itself or one of its own subcodes`);
  }
  const moved = codes.map((c) => (c.id === id ? { ...c, parentId: newParentId } : c));
  assertValid(moved);
  return moved;
}

export interface MergeResult {
  codes: Code[];
  codings: Coding[];
  /** Codings relabelled from the merged code. */
  relabelled: number;
  /** Codings that overlapped or touched another of the same coder, source and code, and were united with it. */
  united: number;
}

/**
 * Unites each coder's overlapping or touching segments of one code in one source into one coding
 * (the earliest coding's id survives). Characters covered are unchanged.
 */
export function uniteOverlaps(codings: readonly Coding[]): { codings: Coding[]; united: number } {
  const groups = new Map<string, Coding[]>();
  for (const c of codings) {
    const key = `${c.coderId}\u0000${c.sourceId}\u0000${c.codeId}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: Coding[] = [];
  let united = 0;
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
    const merged: Coding[] = [];
    for (const c of sorted) {
      const last = merged[merged.length - 1];
      if (last && c.start <= last.end) {
        last.end = Math.max(last.end, c.end);
        united++;
      } else merged.push({ ...c });
    }
    out.push(...merged);
  }
  return { codings: out, united };
}

/**
 * Merges code `fromId` into `intoId`: `from`'s codings become `into`'s (united with `into`'s own
 * where the same coder's segments overlap in a source), its subcodes move under `into`, and `from`
 * is removed. Other codes' codings are returned unchanged.
 */
export function mergeCodes(
  codes: readonly Code[],
  codings: readonly Coding[],
  fromId: string,
  intoId: string
): MergeResult {
  const map = byId(codes);
  if (!map.has(fromId)) throw new CodebookError(fromId, 'unknown-code', `code ${fromId} does not exist`);
  if (!map.has(intoId)) throw new CodebookError(intoId, 'unknown-code', `code ${intoId} does not exist`);
  if (fromId === intoId) throw new CodebookError(fromId, 'same-code', 'a code cannot be merged into itself');
  if (descendantIds(codes, fromId).has(intoId))
    // Merging a parent into its own child would leave the child its own ancestor.
    throw new CodebookError(
      fromId,
      'cycle',
      `code ${fromId} cannot be merged into its own subcode ${intoId}`
    );
  const newCodes = codes
    .filter((c) => c.id !== fromId)
    .map((c) => (c.parentId === fromId ? { ...c, parentId: intoId } : c));
  assertValid(newCodes);
  let relabelled = 0;
  const affected: Coding[] = [];
  const untouched: Coding[] = [];
  for (const c of codings) {
    if (c.codeId === fromId) {
      relabelled++;
      affected.push({ ...c, codeId: intoId });
    } else if (c.codeId === intoId) affected.push(c);
    else untouched.push(c);
  }
  const { codings: unitedCodings, united } = uniteOverlaps(affected);
  return { codes: newCodes, codings: [...untouched, ...unitedCodings], relabelled, united };
}

export interface SplitResult {
  codes: Code[];
  codings: Coding[];
  moved: number;
}

/**
 * Splits a code: a new sibling code is added (same parent), and the codings the researcher chose
 * move to it; the others stay. Every coding is kept, on one of the two codes.
 */
export function splitCode(
  codes: readonly Code[],
  codings: readonly Coding[],
  id: string,
  newCode: Omit<Code, 'parentId'>,
  codingIdsToMove: readonly string[]
): SplitResult {
  const original = byId(codes).get(id);
  if (!original) throw new CodebookError(id, 'unknown-code', `code ${id} does not exist`);
  const newCodes = [...codes, { ...newCode, parentId: original.parentId }];
  assertValid(newCodes);
  const toMove = new Set(codingIdsToMove);
  const byCodingId = new Map(codings.map((c) => [c.id, c]));
  for (const codingId of toMove) {
    const coding = byCodingId.get(codingId);
    if (!coding || coding.codeId !== id)
      throw new CodebookError(
        id,
        'coding-of-another-code',
        `coding ${codingId} is not a coding of code ${id}`
      );
  }
  return {
    codes: newCodes,
    codings: codings.map((c) => (toMove.has(c.id) ? { ...c, codeId: newCode.id } : c)),
    moved: toMove.size,
  };
}
