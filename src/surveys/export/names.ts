/**
 * Variable names that R, Stata and SPSS all accept, made from the CSV column names (item linkIds).
 *
 * One name per column, used alike in load.R, load.do and load.sps, so an analysis written for one
 * program reads the same names in the others. The rules are the strictest of the three:
 * - at most 32 characters (Stata's limit; SPSS allows 64, R any);
 * - lower case a-z, digits and underscore, starting with a letter (SPSS compares names without
 *   case, Stata with case: lower case makes "unique" mean the same in both);
 * - Norwegian letters spelt out (æ → ae, ø → oe, å → aa), other accents dropped, every other
 *   character (the hyphen of `own-talk-therapy`) an underscore, runs of three or more underscores
 *   cut to two (two mark the `linkId__code` separator), none at either end;
 * - a name that does not start with a letter gets a leading `q` (`1a` → `q1a`);
 * - a reserved word of any of the three gets a trailing underscore (`if` → `if_`, `with` → `with_`);
 * - a wave suffix (`_baseline`, `_6m`) is kept whole: the base is shortened to make room for it;
 * - a name already taken gets `_2`, `_3`, … before the wave suffix.
 * The codebook lists every column with its name.
 *
 * Pure module: no I/O.
 */

export const MAX_NAME_LENGTH = 32;

/** Reserved in Stata (incl. `str1`…`str2045`, `strL`), SPSS or R, in lower case. */
const RESERVED = new Set([
  // Stata
  '_all',
  '_b',
  'byte',
  '_coef',
  '_cons',
  'double',
  'float',
  'if',
  'in',
  'int',
  'long',
  '_n',
  '_pi',
  '_pred',
  '_rc',
  '_skip',
  'strl',
  'using',
  'with',
  // SPSS
  'all',
  'and',
  'by',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
  'not',
  'or',
  'to',
  // R
  'else',
  'repeat',
  'while',
  'function',
  'for',
  'next',
  'break',
  'true',
  'false',
  'null',
  'inf',
  'nan',
  'na',
]);

export function isReservedName(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || /^str\d+$/.test(lower);
}

/** A name R, Stata and SPSS all accept (see the module comment). */
export function isValidName(name: string): boolean {
  return /^[a-z][a-z0-9_]*$/.test(name) && name.length <= MAX_NAME_LENGTH && !isReservedName(name);
}

const SPELT_OUT: Record<string, string> = {
  æ: 'ae',
  Æ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  å: 'aa',
  Å: 'AA',
  ß: 'ss',
};

/** The characters of a name, lower case, [a-z0-9_] only, without leading or trailing underscores. */
export function sanitizeNamePart(text: string): string {
  return text
    .replace(/[æÆøØåÅß]/g, (c) => SPELT_OUT[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/_{3,}/g, '__')
    .replace(/^_+|_+$/g, '');
}

function baseName(column: string): string {
  let name = sanitizeNamePart(column);
  if (!/^[a-z]/.test(name)) name = `q${name}`;
  return name;
}

function cut(base: string, room: number): string {
  const cutBase = base.slice(0, Math.max(1, room)).replace(/_+$/, '');
  return cutBase === '' ? 'q' : cutBase;
}

/**
 * Gives each column a unique valid name, in order (earlier columns keep the plain name). A column
 * is its base text (the linkId-derived column without the wave) and an optional wave.
 */
export class NameRegistry {
  private readonly taken = new Set<string>();

  /** Marks a name as used without registering a column (the meta variables, fixed by the export). */
  reserve(name: string): void {
    this.taken.add(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.taken.has(name.toLowerCase());
  }

  name(base: string, wave?: string): string {
    const suffix = wave === undefined ? '' : `_${cut(sanitizeNamePart(wave) || 'w', 12)}`;
    let stem = baseName(base);
    if (isReservedName(stem) && suffix === '') stem = `${stem}_`;
    const room = MAX_NAME_LENGTH - suffix.length;
    let candidate = `${cut(stem, room)}${suffix}`;
    if (isReservedName(candidate)) candidate = `${candidate}_`;
    for (let k = 2; this.has(candidate) || !isValidName(candidate); k++) {
      const tag = `_${k}`;
      candidate = `${cut(stem, room - tag.length)}${tag}${suffix}`;
    }
    this.taken.add(candidate);
    return candidate;
  }
}

/** A prefix no name in `names` starts with, for the scripts' temporary variables. */
export function freePrefix(names: readonly string[], wanted = 'raw_'): string {
  let prefix = wanted;
  while (names.some((n) => n.startsWith(prefix))) prefix = `${prefix.slice(0, -1)}0_`;
  return prefix;
}
