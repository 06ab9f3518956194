/**
 * De-identification of transcripts before anyone codes them (docs/qualitative.md,
 * "De-identification").
 *
 * 1. `proposeReplacements` finds what could identify someone and proposes a replacement for each:
 *    participants' names (→ their pseudonym), other people's names (the study's extra names and a
 *    bundled list of common Norwegian names), places (bundled municipalities and towns, a
 *    capitalised word before "kommune" or after "i"/"på"/"fra"), workplaces (`… legekontor`,
 *    `… sykehus`, `DPS …`, `NAV …`), ages, dates, long numbers, and — with low confidence — any
 *    other capitalised word that does not start a sentence.
 * 2. Replacements are consistent across the study: the replacement table (input and output) maps
 *    each original (lower-cased, genitive removed) to its label, so "Kari" is `[Person A]` in every
 *    transcript. New labels continue the table's series (`[Person B]`, `[Kommune 2]`).
 * 3. The researcher decides each proposal (accept, edit, reject); `isFullyReviewed` is the gate
 *    before coding; `tableAfterReview` is the table to store.
 * 4. `applyReplacements` writes the accepted replacements and returns an offset map, so coded
 *    ranges and turn offsets of the original can be translated to the de-identified text.
 *
 * Patterns miss things (a nickname, a rare surname at the start of a sentence, "the GP in the
 * small town by the fjord"); the researcher always reads the whole transcript. Pure module.
 */
import { FIRST_NAMES, MUNICIPALITIES, OTHER_PLACES, SURNAMES } from './deidentify-names.js';
import type { Transcript, TranscriptTurn } from './transcript.js';

export const PROPOSAL_KINDS = [
  'participant',
  'person',
  'place',
  'workplace',
  'age',
  'date',
  'number',
  'capitalised',
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export interface Participant {
  /** The study pseudonym (`GP-03`, `Lege A`); their names are replaced by `[GP-03]`. */
  pseudonym: string;
  /** Name parts as the identity key holds them: `['Kari', 'Nordmann']`. */
  names: string[];
}

export interface ReplacementEntry {
  /** Lower-cased, NFC, whitespace collapsed, genitive removed: how originals are compared. */
  key: string;
  /** The original as first seen (for the researcher's overview). */
  original: string;
  kind: ProposalKind;
  /** The label without any genitive: `[Person A]`. */
  replacement: string;
}

export type ReplacementTable = readonly ReplacementEntry[];

export interface Proposal {
  /** `start-end`: stable for a given text, so decisions can be stored against it. */
  id: string;
  start: number;
  end: number;
  original: string;
  kind: ProposalKind;
  /** The label, with `s` appended for a genitive (`[Person A]s`). */
  replacement: string;
  reason: string;
  confidence: 'high' | 'low';
}

export type Decision = { action: 'accept' } | { action: 'edit'; replacement: string } | { action: 'reject' };

export interface ProposeInput {
  text: string;
  participants: readonly Participant[];
  /** Further names the study knows of (people participants mention): each is one person. */
  extraNames?: readonly string[];
  table?: ReplacementTable;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const LETTER = '\\p{L}\\p{M}';
const NOT_WORD_BEFORE = `(?<![${LETTER}\\p{N}])`;
const NOT_WORD_AFTER = `(?![${LETTER}\\p{N}])`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How originals are compared: NFC, lower case, single spaces. */
export function replacementKey(original: string): string {
  return original.normalize('NFC').toLocaleLowerCase('nb').replace(/\s+/g, ' ').trim();
}

/** 1 → A, 26 → Z, 27 → AA (bijective base 26). */
function letters(n: number): string {
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function lettersValue(s: string): number {
  let n = 0;
  for (const c of s) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

/** Label series: people get letters, places and workplaces numbers; the rest one fixed label. */
type Family = 'Person' | 'Kommune' | 'Sted' | 'Arbeidssted' | 'Navn';
const FIXED: Partial<Record<ProposalKind, string>> = { age: '[Alder]', date: '[Dato]', number: '[Nummer]' };
const LABEL_SHAPE = /^\[(Person|Kommune|Sted|Arbeidssted|Navn) ([A-Z]+|\d+)\]$/;

interface Candidate {
  start: number;
  end: number;
  kind: ProposalKind;
  /** The part that is the name (without genitive); its key finds the label. */
  base: string;
  genitive: boolean;
  reason: string;
  confidence: 'high' | 'low';
  /** A fixed label (participant pseudonym); otherwise from the table or the family's series. */
  label?: string;
  family?: Family;
  /** Several spellings of one person share a key (an extra name's parts, a participant's parts). */
  key?: string;
}

const PRIORITY: Record<ProposalKind, number> = {
  participant: 0,
  workplace: 1,
  person: 2,
  place: 3,
  date: 4,
  age: 5,
  number: 6,
  capitalised: 7,
};

/**
 * Resolves overlapping spans deterministically: longest first, then by kind (participant,
 * workplace, person, place, date, age, number, capitalised), high confidence before low, then the
 * earlier start; a span that
 * overlaps one already kept is dropped. The result is sorted by start and does not depend on the
 * order of the input.
 */
export function resolveOverlaps<
  T extends {
    start: number;
    end: number;
    kind?: ProposalKind;
    confidence?: 'high' | 'low';
    replacement?: string;
  },
>(spans: readonly T[]): T[] {
  const order = [...spans].sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) ||
      PRIORITY[a.kind ?? 'capitalised'] - PRIORITY[b.kind ?? 'capitalised'] ||
      (a.confidence === 'low' ? 1 : 0) - (b.confidence === 'low' ? 1 : 0) ||
      a.start - b.start ||
      (a.replacement ?? '').localeCompare(b.replacement ?? '')
  );
  const kept: T[] = [];
  // one flag per character taken: linear in the spans' total length, not quadratic in their number
  const taken = new Uint8Array(spans.reduce((max, s) => Math.max(max, s.end), 0));
  for (const s of order) {
    if (s.end <= s.start || s.start < 0) continue;
    let free = true;
    for (let i = s.start; i < s.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, s.start, s.end);
    kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// Detectors

/** Matches any of `phrases` as whole words, with an optional genitive (`s`, `'`, `'s`). */
function phraseRegExp(phrases: readonly string[], caseInsensitive: boolean): RegExp | null {
  const alts = [...new Set(phrases.map((p) => p.normalize('NFC').trim()).filter((p) => p.length >= 2))]
    .sort((a, b) => b.length - a.length)
    .map((p) => escapeRegExp(p).replace(/ /g, '[ \\t]+'));
  if (alts.length === 0) return null;
  return new RegExp(
    `${NOT_WORD_BEFORE}(${alts.join('|')})(s|['’]s?)?${NOT_WORD_AFTER}`,
    caseInsensitive ? 'giu' : 'gu'
  );
}

function* matches(re: RegExp | null, text: string): Generator<RegExpExecArray> {
  if (!re) return;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[0].length === 0) re.lastIndex++;
    else yield m;
  }
}

const FIRST_SET = new Set(FIRST_NAMES);
const SURNAME_SET = new Set(SURNAMES);
const MUNICIPALITY_RE = phraseRegExp(MUNICIPALITIES, false);
const OTHER_PLACE_RE = phraseRegExp(OTHER_PLACES, false);

/** Words often capitalised mid-sentence that identify no one (countries, services, apps, months). */
const NOT_IDENTIFYING = new Set([
  'Norge', 'Norden', 'Sverige', 'Danmark', 'Europa', 'Gud', 'Jesus', 'Facebook', 'Instagram',
  'Snapchat', 'TikTok', 'Google', 'YouTube', 'Messenger', 'Teams', 'Zoom', 'Helsenorge',
  'Helsedirektoratet', 'Folkehelseinstituttet', 'Legeforeningen', 'Stortinget', 'Regjeringen',
  'Korona', 'Covid', 'Ok', 'Okei', 'English', 'Norwegian', 'God', 'Mr', 'Mrs', 'Ms', 'Dr',
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday',
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December', 'Nav', 'Mental', 'Helse', 'Person', 'Sted', 'Kommune',
  'Arbeidssted', 'Alder', 'Dato', 'Nummer', 'Navn',
]); // prettier-ignore

const WORD = /\p{L}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)*/gu;

interface Token {
  start: number;
  end: number;
  word: string;
}

function tokens(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, word: m[0] }));
}

const isCapitalised = (w: string): boolean => /^\p{Lu}\p{Ll}/u.test(w);

/** True when the word at `start` begins a sentence (text start, new line, or after . ! ? : …). */
function atSentenceStart(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && /[ \t"'«»“”‘’([–—-]/.test(text[i]!)) i--;
  return i < 0 || /[\n.!?:…]/.test(text[i]!);
}

/** Genitive after a token: `s` glued on (checked by the caller) or an apostrophe form. */
function apostropheGenitive(text: string, end: number): number {
  const m = /^['’]s?(?![\p{L}\p{N}])/u.exec(text.slice(end, end + 3));
  return m ? m[0].length : 0;
}

function nameCandidates(text: string, toks: readonly Token[]): Candidate[] {
  const out: Candidate[] = [];
  const known = (w: string): { base: string; gen: boolean } | null => {
    if (FIRST_SET.has(w) || SURNAME_SET.has(w)) return { base: w, gen: false };
    if (w.endsWith('s') && (FIRST_SET.has(w.slice(0, -1)) || SURNAME_SET.has(w.slice(0, -1)))) {
      return { base: w.slice(0, -1), gen: true };
    }
    return null;
  };
  let i = 0;
  while (i < toks.length) {
    const k = known(toks[i]!.word);
    if (!k) {
      i++;
      continue;
    }
    let first = i;
    // a capitalised unknown word right before a listed surname is taken as a first name
    const prev = toks[i - 1];
    if (
      prev &&
      !k.gen &&
      SURNAME_SET.has(k.base) &&
      isCapitalised(prev.word) &&
      /^[ \t]+$/.test(text.slice(prev.end, toks[i]!.start)) &&
      !known(prev.word) &&
      !NOT_IDENTIFYING.has(prev.word)
    ) {
      first = i - 1;
    }
    let last = i;
    let gen = k.gen;
    let base = text.slice(toks[first]!.start, toks[i]!.start) + k.base;
    // following listed names, or a capitalised word after a first name, belong to the same person
    while (
      !gen &&
      last + 1 < toks.length &&
      /^[ \t]+$/.test(text.slice(toks[last]!.end, toks[last + 1]!.start))
    ) {
      const next = toks[last + 1]!;
      const nk = known(next.word);
      const afterFirst =
        FIRST_SET.has(toks[last]!.word) && isCapitalised(next.word) && !NOT_IDENTIFYING.has(next.word);
      if (!nk && !afterFirst) break;
      last++;
      const nb = nk ? nk.base : next.word;
      base = text.slice(toks[first]!.start, next.start) + nb;
      gen = nk?.gen ?? false;
    }
    let end = toks[last]!.end;
    const apos = gen ? 0 : apostropheGenitive(text, end);
    if (apos) gen = true;
    end += apos;
    const single = first === last;
    out.push({
      start: toks[first]!.start,
      end,
      kind: 'person',
      base,
      genitive: gen,
      reason: single ? 'a common Norwegian name' : 'a name (common Norwegian first name or surname)',
      // "Per dag …", "Liv og røre …": one listed name starting a sentence may be an ordinary word
      confidence: single && atSentenceStart(text, toks[first]!.start) ? 'low' : 'high',
      family: 'Person',
    });
    // each listed name of a longer span also stands alone, in case the span loses to an overlap
    for (let j = first; j <= last && first !== last; j++) {
      const kj = known(toks[j]!.word);
      if (!kj) continue;
      const apos = j === last && !kj.gen ? apostropheGenitive(text, toks[j]!.end) : 0;
      out.push({
        start: toks[j]!.start,
        end: toks[j]!.end + apos,
        kind: 'person',
        base: kj.base,
        genitive: kj.gen || apos > 0,
        reason: 'a common Norwegian name',
        confidence: atSentenceStart(text, toks[j]!.start) ? 'low' : 'high',
        family: 'Person',
      });
    }
    i = last + 1;
  }
  return out;
}

function listCandidates(
  text: string,
  re: RegExp | null,
  make: (m: RegExpExecArray) => Omit<Candidate, 'start' | 'end' | 'base' | 'genitive'>
): Candidate[] {
  return [...matches(re, text)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    base: m[1]!,
    genitive: m[2] !== undefined,
    ...make(m),
  }));
}

/** A capitalised word; `St.` is the one abbreviation taken (St. Olavs hospital). */
const CAP_WORD = `(?:St\\.|\\p{Lu}[${LETTER}'’-]*)`;
/** A name-like word: capital then lower case (not an acronym such as DPS), hyphenated parts allowed. */
const NAME_WORD = `\\p{Lu}\\p{Ll}[${LETTER}]*(?:-\\p{L}[${LETTER}]*)*`;
const CAP_WORDS = `${CAP_WORD}(?:[ \\t]+${CAP_WORD}){0,2}`;
const WORKPLACE_SUFFIX =
  'legekontor|legekontoret|legesenter|legesenteret|legevakt|legevakta|legevakten|sykehus|sykehuset|sjukehus|sjukehuset|universitetssykehus|universitetssjukehus|hospital|helsesenter|helsesenteret|helsestasjon|helsestasjonen|sykehjem|sykehjemmet|DPS|skole|skolen|barnehage|barnehagen|apotek|klinikk|klinikken' +
  // Compounds on the same heads (ungdomsskole, helsehus, bydelsklinikk, kultursenter) and the
  // upper secondary school, which is named by its place alone (Sjøvik videregående).
  '|\\p{Ll}{3,}(?:skole|skolen|skule|skulen|hus|huset|senter|senteret|klinikk|klinikken)|videregående(?:[ \\t]+skole)?|vgs';
const WORKPLACE_RES: Array<{ re: RegExp; reason: string }> = [
  {
    re: new RegExp(`${NOT_WORD_BEFORE}${CAP_WORDS}[ \\t]+(?:${WORKPLACE_SUFFIX})${NOT_WORD_AFTER}`, 'gu'),
    reason: 'a named workplace (name + legekontor, sykehus, DPS …)',
  },
  {
    re: new RegExp(
      `${NOT_WORD_BEFORE}(?:DPS|NAV|Nav|BUP|Bufetat|Legevakta|Legevakten)[ \\t]+${CAP_WORDS}${NOT_WORD_AFTER}`,
      'gu'
    ),
    reason: 'a named office (DPS, NAV, BUP … + name)',
  },
  {
    re: new RegExp(
      `${NOT_WORD_BEFORE}(?:legekontoret|legesenteret|legevakta|legevakten|helsestasjonen|sykehjemmet|sykehuset|DPS-et|NAV-kontoret|Nav-kontoret)[ \\t]+(?:på|i)[ \\t]+${CAP_WORDS}${NOT_WORD_AFTER}`,
      'gu'
    ),
    reason: 'a workplace named by its place (legekontoret på …)',
  },
];

const AGE_RE = new RegExp(
  `${NOT_WORD_BEFORE}(\\d{1,3})(?:[ \\t]?år(?:[ \\t]+gam(?:mel|le))?|-?åring(?:en|er|ene)?|-årig|[ \\t]?years?[ \\t]+old|-years?-old)${NOT_WORD_AFTER}`,
  'gu'
);
// Ages in words: 13-99 before "år" (younger ages in words are mostly durations: "for to år
// siden"), any number word before "år gammel" or "-åring". Ages in English after "I'm", "aged" …,
// unless a unit follows ("I'm 5 minutes away").
const NUMBER_UNITS = 'en|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni';
const NUMBER_TEENS = 'tretten|fjorten|femten|seksten|sytten|søtten|atten|nitten';
const NUMBER_TENS = 'tjue|tyve|tretti|tredve|førti|femti|seksti|sytti|søtti|åtti|nitti';
const AGE_WORD_RES: RegExp[] = [
  new RegExp(
    `${NOT_WORD_BEFORE}(?:${NUMBER_TEENS}|(?:${NUMBER_TENS})(?:${NUMBER_UNITS})?)[ \\t]+år(?:[ \\t]+gam(?:mel|le))?${NOT_WORD_AFTER}`,
    'giu'
  ),
  new RegExp(
    `${NOT_WORD_BEFORE}(?:${NUMBER_UNITS}|ti|elleve|tolv)(?:[ \\t]+år[ \\t]+gam(?:mel|le)|-?åring(?:en|er|ene)?)${NOT_WORD_AFTER}`,
    'giu'
  ),
  new RegExp(
    `(?<=${NOT_WORD_BEFORE}(?:I'm|I’m|I am|I was|he's|he’s|she's|she’s|he is|she is|aged?)[ \\t]+)(\\d{1,3})(?![\\p{L}\\p{N}])(?![ \\t]+(?:minutes?|hours?|days?|weeks?|months?|years?|percent|per|kr|NOK|%))`,
    'giu'
  ),
];
const MONTHS =
  'januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|des|dec|january|february|march|may|june|july|october|december';
const DATE_RES: RegExp[] = [
  // 12. mars, 12. mars 2024, 12 March 2024
  new RegExp(
    `${NOT_WORD_BEFORE}\\d{1,2}\\.?[ \\t]*(?:${MONTHS})(?:\\.?[ \\t]+\\d{4})?${NOT_WORD_AFTER}`,
    'giu'
  ),
  // the 12th of May, 3rd of June 2021
  new RegExp(
    `${NOT_WORD_BEFORE}\\d{1,2}(?:st|nd|rd|th)[ \\t]+of[ \\t]+(?:${MONTHS})(?:,?[ \\t]+\\d{4})?${NOT_WORD_AFTER}`,
    'giu'
  ),
  // March 12, mars 2024
  new RegExp(
    `${NOT_WORD_BEFORE}(?:${MONTHS})[ \\t]+(?:\\d{1,2}(?:st|nd|rd|th)?(?:,?[ \\t]+\\d{4})?|\\d{4})${NOT_WORD_AFTER}`,
    'giu'
  ),
  // 12.03.2024, 12.03.24, 12.03. ; 12/3, 12/03/2024 ; 2024-03-12
  new RegExp(`${NOT_WORD_BEFORE}\\d{1,2}\\.\\d{1,2}\\.(?:\\d{4}|\\d{2})?(?![\\p{L}\\p{N}])`, 'gu'),
  new RegExp(`${NOT_WORD_BEFORE}\\d{1,2}/\\d{1,2}(?:/(?:\\d{4}|\\d{2}))?${NOT_WORD_AFTER}`, 'gu'),
  new RegExp(`${NOT_WORD_BEFORE}(?:19|20)\\d{2}-\\d{2}-\\d{2}${NOT_WORD_AFTER}`, 'gu'),
  // a year 1900–2099 after a word that makes it a time: i 2019, fra 1998, høsten 2021, born 1975
  new RegExp(
    `(?<=${NOT_WORD_BEFORE}(?:i|fra|til|siden|før|etter|år|året|høsten|våren|sommeren|vinteren|julen|påsken|født|in|since|from|until|born)[ \\t]+)(?:19|20)\\d{2}${NOT_WORD_AFTER}`,
    'giu'
  ),
];
const NUMBER_RE = /(?<![\p{L}\p{N}])\d(?:[ .-]?\d){4,}(?![\p{L}\p{N}])/gu;
const KOMMUNE_RE = new RegExp(
  `${NOT_WORD_BEFORE}(${NAME_WORD}(?:[ \\t]+${NAME_WORD})?)[ \\t]+kommune${NOT_WORD_AFTER}`,
  'gu'
);
const AFTER_PREPOSITION_RE = new RegExp(
  `(?<=${NOT_WORD_BEFORE}(?:i|på|fra)[ \\t]+)(${NAME_WORD})${NOT_WORD_AFTER}`,
  'gu'
);

function patternCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const { re, reason } of WORKPLACE_RES) {
    for (const m of matches(re, text)) {
      out.push({
        start: m.index,
        end: m.index + m[0].length,
        kind: 'workplace',
        base: m[0],
        genitive: false,
        reason,
        confidence: 'high',
        family: 'Arbeidssted',
      });
    }
  }
  for (const re of [AGE_RE, ...AGE_WORD_RES]) {
    for (const m of matches(re, text)) {
      // Digits are captured (group 1) and must be a possible age; number words always are.
      if (m[1] !== undefined && Number(m[1]) > 120) continue;
      out.push({
        start: m.index,
        end: m.index + m[0].length,
        kind: 'age',
        base: m[0],
        genitive: false,
        reason: 'an age',
        confidence: 'high',
      });
    }
  }
  for (const re of DATE_RES) {
    for (const m of matches(re, text)) {
      out.push({
        start: m.index,
        end: m.index + m[0].length,
        kind: 'date',
        base: m[0],
        genitive: false,
        reason: 'a date or year',
        confidence: 'high',
      });
    }
  }
  for (const m of matches(NUMBER_RE, text)) {
    const digits = m[0].replace(/\D/g, '').length;
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      kind: 'number',
      base: m[0],
      genitive: false,
      reason:
        digits >= 8 ? 'a long number (phone, national ID, record number)' : 'a number of five or more digits',
      confidence: digits >= 8 ? 'high' : 'low',
    });
  }
  for (const m of matches(KOMMUNE_RE, text)) {
    out.push({
      start: m.index,
      end: m.index + m[1]!.length,
      kind: 'place',
      base: m[1]!,
      genitive: false,
      reason: 'the name of a municipality (before "kommune")',
      confidence: 'high',
      family: 'Kommune',
    });
  }
  for (const m of matches(AFTER_PREPOSITION_RE, text)) {
    if (NOT_IDENTIFYING.has(m[1]!) || !isCapitalised(m[1]!)) continue;
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      kind: 'place',
      base: m[1]!,
      genitive: false,
      reason: 'a capitalised word after "i", "på" or "fra" (often a place)',
      confidence: 'low',
      family: 'Sted',
    });
  }
  out.push(
    ...listCandidates(text, MUNICIPALITY_RE, () => ({
      kind: 'place',
      reason: 'a Norwegian municipality',
      confidence: 'high',
      family: 'Kommune',
    })),
    ...listCandidates(text, OTHER_PLACE_RE, () => ({
      kind: 'place',
      reason: 'a Norwegian place',
      confidence: 'high',
      family: 'Sted',
    }))
  );
  return out;
}

/** Runs of capitalised words that do not start a sentence (and are not known harmless words). */
function capitalisedCandidates(text: string, toks: readonly Token[]): Candidate[] {
  const out: Candidate[] = [];
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    if (!isCapitalised(t.word) || NOT_IDENTIFYING.has(t.word) || atSentenceStart(text, t.start)) {
      i++;
      continue;
    }
    let last = i;
    while (
      last + 1 < toks.length &&
      isCapitalised(toks[last + 1]!.word) &&
      !NOT_IDENTIFYING.has(toks[last + 1]!.word) &&
      /^[ \t]+$/.test(text.slice(toks[last]!.end, toks[last + 1]!.start))
    ) {
      last++;
    }
    out.push({
      start: t.start,
      end: toks[last]!.end,
      kind: 'capitalised',
      base: text.slice(t.start, toks[last]!.end),
      genitive: false,
      reason: 'a capitalised word inside a sentence (perhaps a name)',
      confidence: 'low',
      family: 'Navn',
    });
    // and each word alone, in case the run loses to an overlapping span
    for (let j = i; j <= last && last !== i; j++) {
      out.push({
        start: toks[j]!.start,
        end: toks[j]!.end,
        kind: 'capitalised',
        base: toks[j]!.word,
        genitive: false,
        reason: 'a capitalised word inside a sentence (perhaps a name)',
        confidence: 'low',
        family: 'Navn',
      });
    }
    i = last + 1;
  }
  return out;
}

function personListCandidates(
  text: string,
  people: ReadonlyArray<{ names: string[]; label?: string; key: string; kind: ProposalKind; who: string }>
): Candidate[] {
  const out: Candidate[] = [];
  for (const person of people) {
    const parts = person.names.map((n) => n.normalize('NFC').trim()).filter((n) => n.length >= 2);
    if (parts.length === 0) continue;
    const phrases = [...parts, parts.join(' ')];
    if (parts.length > 2) phrases.push(`${parts[0]} ${parts[parts.length - 1]}`);
    for (const m of matches(phraseRegExp(phrases, true), text)) {
      const matchedCase = parts.some((p) => m[1]!.includes(p)) || isCapitalised(m[1]!);
      const c: Candidate = {
        start: m.index,
        end: m.index + m[0].length,
        kind: person.kind,
        base: m[1]!,
        genitive: m[2] !== undefined,
        reason: person.who,
        // "per" as a preposition for a participant called Per: still proposed, but low
        confidence: matchedCase ? 'high' : 'low',
        key: person.key,
      };
      if (person.label) c.label = person.label;
      else c.family = 'Person';
      out.push(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Proposals

/** Spans of labels already in the text (a transcript de-identified before): never proposed again. */
function protectedRanges(text: string, labels: Iterable<string>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const m of text.matchAll(/\[[^[\]\n]{1,60}\]/g)) {
    if (LABEL_SHAPE.test(m[0]) || /^\[(Alder|Dato|Nummer)\]$/.test(m[0]))
      ranges.push([m.index, m.index + m[0].length]);
  }
  for (const label of labels) {
    if (!/^\[.+\]$/.test(label)) continue;
    let at = text.indexOf(label);
    while (at !== -1) {
      ranges.push([at, at + label.length]);
      at = text.indexOf(label, at + 1);
    }
  }
  return ranges;
}

function coverage(length: number, ranges: ReadonlyArray<[number, number]>): Uint8Array {
  const covered = new Uint8Array(length);
  for (const [s, e] of ranges) covered.fill(1, s, e);
  return covered;
}

function overlapsCoverage(covered: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (covered[i] === 1) return true;
  return false;
}

/**
 * Proposes replacements for `text`. Returns the proposals (sorted, non-overlapping) and the table
 * extended with labels for originals it did not hold yet (the tentative table; store
 * `tableAfterReview` once the researcher has decided).
 */
export function proposeReplacements(input: ProposeInput): {
  proposals: Proposal[];
  table: ReplacementEntry[];
} {
  const text = input.text;
  const table: ReplacementEntry[] = [...(input.table ?? [])];
  const byKey = new Map(table.map((e) => [e.key, e]));
  const participants = input.participants.map((p) => ({
    names: p.names,
    label: `[${p.pseudonym}]`,
    key: `participant:${p.pseudonym}`,
    kind: 'participant' as const,
    who: `name of participant ${p.pseudonym}`,
  }));
  const extras = (input.extraNames ?? []).map((n) => ({
    names: n.split(/\s+/).filter(Boolean).length > 1 ? n.split(/\s+/).filter(Boolean) : [n],
    key: replacementKey(n),
    kind: 'person' as const,
    who: 'a name on the study’s list of names',
  }));
  const labels = new Set<string>([...table.map((e) => e.replacement), ...participants.map((p) => p.label)]);
  const detect = (t: string): Candidate[] => {
    const toks = tokens(t);
    const candidates = [
      ...personListCandidates(t, participants),
      ...personListCandidates(t, extras),
      ...nameCandidates(t, toks),
      ...patternCandidates(t),
      ...capitalisedCandidates(t, toks),
    ];
    const blocked = coverage(t.length, protectedRanges(t, labels));
    const usable = candidates.filter((c) => !overlapsCoverage(blocked, c.start, c.end));
    return resolveOverlaps(usable.map((c) => ({ ...c, replacement: c.label ?? '' })));
  };
  // Greedy resolution can leave a name uncovered that was part of a losing span ("2019 45 922"
  // loses to "12. mars 2019", leaving "45 922"). So detection runs again on the text with the
  // proposals written in (as placeholder labels) until it finds nothing new: proposing again on
  // the de-identified text then finds nothing (a property test holds us to this).
  let resolved = detect(text);
  for (let round = 0; round < 4; round++) {
    const masked = applyReplacements(
      text,
      resolved.map((c) => ({
        start: c.start,
        end: c.end,
        replacement: c.genitive ? '[Navn 0]s' : '[Navn 0]',
      }))
    );
    const edits = masked.map.edits;
    const inverse = (offset: number): number => {
      // the last edit ending at or before the offset gives the shift (binary search)
      let lo = 0;
      let hi = edits.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (edits[mid]!.newEnd <= offset) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? offset : offset + edits[lo - 1]!.end - edits[lo - 1]!.newEnd;
    };
    const placeholders = coverage(
      masked.text.length,
      edits.map((e): [number, number] => [e.newStart, e.newEnd])
    );
    const more = detect(masked.text).filter((c) => !overlapsCoverage(placeholders, c.start, c.end));
    if (more.length === 0) break;
    const found = more.map((c) => ({ ...c, start: inverse(c.start), end: inverse(c.end) }));
    resolved = [...resolved, ...found].sort((x, y) => x.start - y.start);
  }

  const next = new Map<Family, number>();
  const used = (family: Family): number => {
    if (!next.has(family)) {
      let max = 0;
      for (const e of table) {
        const m = LABEL_SHAPE.exec(e.replacement);
        if (m && m[1] === family)
          max = Math.max(max, /^\d+$/.test(m[2]!) ? Number(m[2]) : lettersValue(m[2]!));
      }
      next.set(family, max);
    }
    return next.get(family)!;
  };

  const proposals = resolved.map((c): Proposal => {
    const key = c.key ?? replacementKey(c.base);
    let label = byKey.get(key)?.replacement;
    if (!label) {
      label = c.label ?? FIXED[c.kind];
      if (!label) {
        const family = c.family ?? 'Navn';
        const n = used(family) + 1;
        next.set(family, n);
        label = `[${family} ${family === 'Person' ? letters(n) : n}]`;
      }
      if (!FIXED[c.kind]) {
        const entry: ReplacementEntry = { key, original: c.base, kind: c.kind, replacement: label };
        table.push(entry);
        byKey.set(key, entry);
      }
    }
    return {
      id: `${c.start}-${c.end}`,
      start: c.start,
      end: c.end,
      original: text.slice(c.start, c.end),
      kind: c.kind,
      replacement: c.genitive ? `${label}s` : label,
      reason: c.reason,
      confidence: c.confidence,
    };
  });
  return { proposals, table };
}

// ---------------------------------------------------------------------------------------------
// Review

export type Decisions = Readonly<Record<string, Decision>>;

/** Why an edited replacement cannot be used, or null. */
export function editProblem(replacement: string): string | null {
  if (replacement.trim() === '') return 'is empty (write a replacement such as [Person A] or […])';
  // eslint-disable-next-line no-control-regex -- a replacement is one line of plain text
  if (/[\u0000-\u001F\u007F-\u009F]/.test(replacement)) return 'contains a line break or control character';
  if (replacement.length > 80) return 'is longer than 80 characters';
  return null;
}

export interface ReviewStatus {
  total: number;
  decided: number;
  /** Proposals without a (valid) decision, in text order. */
  pending: string[];
}

/** Works on text proposals and speaker-label proposals alike (pass both lists together). */
export function reviewStatus(proposals: ReadonlyArray<{ id: string }>, decisions: Decisions): ReviewStatus {
  const pending = proposals
    .filter((p) => {
      const d = decisions[p.id];
      if (!d) return true;
      return d.action === 'edit' && editProblem(d.replacement) !== null;
    })
    .map((p) => p.id);
  return { total: proposals.length, decided: proposals.length - pending.length, pending };
}

/** The gate before coding: every proposal accepted, edited (validly) or rejected. */
export function isFullyReviewed(proposals: ReadonlyArray<{ id: string }>, decisions: Decisions): boolean {
  return reviewStatus(proposals, decisions).pending.length === 0;
}

export interface Replacement {
  start: number;
  end: number;
  replacement: string;
  kind?: ProposalKind;
}

/** The replacements to write: accepted ones as proposed, edited ones as the researcher wrote them. */
export function acceptedReplacements(proposals: readonly Proposal[], decisions: Decisions): Replacement[] {
  const out: Replacement[] = [];
  for (const p of proposals) {
    const d = decisions[p.id];
    if (d?.action === 'accept')
      out.push({ start: p.start, end: p.end, replacement: p.replacement, kind: p.kind });
    else if (d?.action === 'edit' && editProblem(d.replacement) === null) {
      out.push({ start: p.start, end: p.end, replacement: d.replacement, kind: p.kind });
    }
  }
  return out;
}

/**
 * The table to store after review: the previous table, plus the labels of accepted proposals and
 * the researcher's edits (an edit of a genitive that ends in `s` is stored without it, so the next
 * plain mention gets the plain label). Labels of rejected proposals are not kept.
 */
export function tableAfterReview(
  previous: ReplacementTable,
  proposed: { proposals: readonly Proposal[]; table: ReplacementTable },
  decisions: Decisions
): ReplacementEntry[] {
  const out = new Map(previous.map((e) => [e.key, e]));
  const tentative = proposed.table.filter((e) => !out.has(e.key));
  for (const p of proposed.proposals) {
    const d = decisions[p.id];
    if (!d || d.action === 'reject') continue;
    const genitive = p.replacement.endsWith(']s');
    const label = genitive ? p.replacement.slice(0, -1) : p.replacement;
    const entry =
      tentative.find((e) => e.replacement === label) ??
      [...out.values()].find((e) => e.replacement === label);
    if (d.action === 'accept') {
      if (entry && !out.has(entry.key)) out.set(entry.key, entry);
    } else if (editProblem(d.replacement) === null) {
      const edited = genitive && d.replacement.endsWith('s') ? d.replacement.slice(0, -1) : d.replacement;
      const key = entry?.key ?? replacementKey(genitive ? p.original.replace(/(['’]s?|s)$/, '') : p.original);
      out.set(key, { key, original: entry?.original ?? p.original, kind: p.kind, replacement: edited });
    }
  }
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------
// Applying replacements and mapping offsets

export interface OffsetEdit {
  /** The replaced range in the original text… */
  start: number;
  end: number;
  /** …and where its replacement sits in the new text. */
  newStart: number;
  newEnd: number;
}

export interface OffsetMap {
  edits: OffsetEdit[];
  oldLength: number;
  newLength: number;
}

/**
 * Writes `replacements` into `text` (overlaps resolved as in `resolveOverlaps`: longest first) and
 * returns the new text with the map from old offsets to new. Throws a RangeError for a range
 * outside the text (a programming error, not the researcher's).
 */
export function applyReplacements(
  text: string,
  replacements: readonly Replacement[]
): { text: string; map: OffsetMap } {
  for (const r of replacements) {
    if (!(
      Number.isInteger(r.start) &&
      Number.isInteger(r.end) &&
      r.start >= 0 &&
      r.end <= text.length &&
      r.start < r.end
    )) {
      throw new RangeError(`replacement ${r.start}-${r.end} is outside the text (length ${text.length})`);
    }
  }
  const kept = resolveOverlaps(replacements);
  let out = '';
  let at = 0;
  const edits: OffsetEdit[] = [];
  for (const r of kept) {
    out += text.slice(at, r.start);
    const newStart = out.length;
    out += r.replacement;
    edits.push({ start: r.start, end: r.end, newStart, newEnd: out.length });
    at = r.end;
  }
  out += text.slice(at);
  return { text: out, map: { edits, oldLength: text.length, newLength: out.length } };
}

/**
 * Where an offset of the original text lands in the new text. Outside replaced ranges: the same
 * character, shifted. Inside one (or on its edge): `start` bias gives the replacement's start,
 * `end` bias its end, so a range that touches a replaced name covers the whole label.
 */
export function mapOffset(map: OffsetMap, offset: number, bias: 'start' | 'end'): number {
  // the last edit starting before the offset (binary search: edits are sorted and disjoint)
  const edits = map.edits;
  let lo = 0;
  let hi = edits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edits[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return offset;
  const e = edits[lo - 1]!;
  if (offset < e.end) return bias === 'start' ? e.newStart : e.newEnd;
  return offset + e.newEnd - e.end;
}

export function mapRange(
  map: OffsetMap,
  range: { start: number; end: number }
): { start: number; end: number } {
  const start = mapOffset(map, range.start, 'start');
  // an empty range stays empty; otherwise the end is mapped with end bias
  const end = range.end === range.start ? start : mapOffset(map, range.end, 'end');
  return { start, end: Math.max(start, end) };
}

/**
 * De-identifies a transcript: applies the replacements to its full text and maps every turn's and
 * cue's offsets. A replacement may not cross a turn boundary (proposals never do: they do not span
 * line breaks); one that does is a RangeError.
 */
export function deidentifyTranscript(
  transcript: Transcript,
  replacements: readonly Replacement[],
  /** New speaker labels by old label (`speakerReplacements`); labels not listed stay. */
  speakers: Readonly<Record<string, string>> = {}
): { transcript: Transcript; map: OffsetMap } {
  for (const r of resolveOverlaps(replacements)) {
    const inside = transcript.turns.some((t) => r.start >= t.start && r.end <= t.end);
    if (!inside) throw new RangeError(`replacement ${r.start}-${r.end} crosses a turn boundary`);
  }
  const { text, map } = applyReplacements(transcript.text, replacements);
  const turns = transcript.turns.map((t): TranscriptTurn => {
    const { start, end } = mapRange(map, t);
    const speaker =
      t.speaker !== null && Object.hasOwn(speakers, t.speaker) ? speakers[t.speaker]! : t.speaker;
    const turn: TranscriptTurn = { ...t, speaker, start, end, text: text.slice(start, end) };
    if (t.segments) turn.segments = t.segments.map((s) => ({ ...s, ...mapRange(map, s) }));
    return turn;
  });
  return { transcript: { ...transcript, text, turns }, map };
}

// ---------------------------------------------------------------------------------------------
// Speaker labels

export interface SpeakerProposal {
  /** `speaker:<label>`, so decisions on labels sit beside decisions on text proposals. */
  id: string;
  speaker: string;
  /** The proposed label; equal to `speaker` when nothing in it looks identifying. */
  replacement: string;
  reason: string;
}

/**
 * Speaker labels are metadata beside the text, but a label can be a real name (`Kari:`). For each
 * distinct label: a participant's pseudonym stays; a participant's name (or a part of it) becomes
 * the pseudonym; otherwise the label is run through `proposeReplacements` with the study's table
 * (so `Kari Hansen:` gets the same `[Person A]` as in the text, without brackets around a role
 * such as `Intervjuer`, which is kept). Every label is listed, so the review covers them all.
 */
export function proposeSpeakerLabels(
  transcript: Transcript,
  participants: readonly Participant[],
  table: ReplacementTable = []
): SpeakerProposal[] {
  const labels = [...new Set(transcript.turns.map((t) => t.speaker).filter((s): s is string => s !== null))];
  return labels.map((speaker) => {
    const id = `speaker:${speaker}`;
    const key = replacementKey(speaker);
    const own = participants.find((p) => replacementKey(p.pseudonym) === key);
    if (own) return { id, speaker, replacement: speaker, reason: `the pseudonym of ${own.pseudonym}` };
    const named = participants.find((p) => {
      const parts = p.names.map(replacementKey).filter(Boolean);
      return parts.includes(key) || parts.join(' ') === key;
    });
    if (named)
      return { id, speaker, replacement: named.pseudonym, reason: `name of participant ${named.pseudonym}` };
    const { proposals } = proposeReplacements({ text: speaker, participants, table });
    if (proposals.length === 0)
      return { id, speaker, replacement: speaker, reason: 'no name found in the label' };
    const { text } = applyReplacements(speaker, proposals);
    return { id, speaker, replacement: text, reason: proposals.map((p) => p.reason).join('; ') };
  });
}

/** The speaker labels to write: accepted as proposed, edited as written; rejected ones stay. */
export function speakerReplacements(
  proposals: readonly SpeakerProposal[],
  decisions: Decisions
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of proposals) {
    const d = decisions[p.id];
    if (d?.action === 'accept') out[p.speaker] = p.replacement;
    else if (d?.action === 'edit' && editProblem(d.replacement) === null) out[p.speaker] = d.replacement;
  }
  return out;
}
