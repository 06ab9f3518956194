/**
 * The report in more than one language (issue 13, item 10): the analysis builds its published
 * tables once, in English (the CSV files and results.json keep English keys and words), and the
 * HTML report is rendered from them in English (report.html) and Norwegian bokmål (rapport.html).
 * Translation happens here, at render time, from a catalogue (nb.ts):
 *
 * - keyed entries: a table's title and caption by table id, a column's label by column key, a
 *   section heading by section id. Each entry holds the English it translates (a template, see
 *   below) beside the Norwegian, so an English text changed by someone else is not silently
 *   rendered with a stale Norwegian one: it no longer matches, falls through, and the test of the
 *   Norwegian report (rapport.test.ts) lists it;
 * - `words`: exact phrases (category labels, indicator labels, short texts);
 * - `messages`: sentences with variable parts, as templates.
 *
 * A template is the English text with placeholders, `{name}` or `{name:type}`:
 *   {x}       any text, copied as it is
 *   {x:n}     a number, written the Norwegian way (decimal comma, space between thousands)
 *   {x:t}     a text that must itself translate (else the template does not match)
 *   {x:list}  "a; b; c", each item translated
 *   {x:clist} "a, b, c", each item translated
 * and the Norwegian side either a template with the same names or a function of the values (and
 * of the translator, for parts it takes apart itself) that may decline with null.
 *
 * Strings without a lower-case letter (numbers, codes such as "S > T", "ICC", "18-29") are not
 * translated, only their decimals localised. Steps joined with "; ", " → " or " + " (the cohort
 * flow, the pathways) are translated part by part. What does not translate is kept in English and
 * recorded in `missing`.
 */
import type { Column, PublishedTable } from '../../analyze/model.js';
import type { UiStrings } from './ui.js';

export type Lang = 'en' | 'nb';

export type MessageValues = Readonly<Record<string, string>>;

/** An English template and its translation (a template with the same placeholders, or a function). */
export type Message = readonly [
  en: string,
  nb: string | ((v: MessageValues, tryText: (en: string) => string | null) => string | null),
];

/** One message, or variants of it (a caption that depends on the parameters). */
export type Keyed = Message | readonly Message[];

export interface TableText {
  title?: Keyed;
  caption?: Keyed;
  /** By column key; columns not here use the catalogue's shared `columns`. */
  columns?: Readonly<Record<string, Keyed>>;
}

export interface Catalogue {
  ui: UiStrings;
  words: Readonly<Record<string, string>>;
  messages: readonly Message[];
  /** By section id; a key ending in "*" matches ids starting with the rest. */
  sections: Readonly<Record<string, Keyed>>;
  /** By table id; a key ending in "*" matches ids starting with the rest. */
  tables: Readonly<Record<string, TableText>>;
  /** Labels of columns shared by many tables, by column key. */
  columns: Readonly<Record<string, Keyed>>;
}

export interface Translator {
  readonly lang: Lang;
  readonly ui: UiStrings;
  /** The text in this language (English and recorded in `missing` when there is no translation). */
  text(en: string): string;
  /** The translation, or null when there is none (nothing recorded). */
  tryText(en: string): string | null;
  /** A number with fixed decimals, as this language writes it. */
  fixed(value: number, digits: number): string;
  /** A whole number with thousands separators. */
  count(value: number): string;
  tableTitle(table: PublishedTable): string;
  tableCaption(table: PublishedTable): string;
  column(table: PublishedTable, column: Column): string;
  section(id: string, heading: string): string;
  /** English texts that had no translation, in the order met. */
  readonly missing: ReadonlySet<string>;
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** A number as written in English text: "43.5", "−0.038", "2,261" ("1e-5" is not one). */
const NUMBER_SOURCE = '[−-]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?';
const EN_NUMBER = new RegExp(`^${NUMBER_SOURCE}$`);

/**
 * Norwegian fixed-point, as toLocaleString('nb-NO') writes it (decimal comma, a no-break space
 * between thousands, a true minus) but rounded as toFixed rounds, so every digit is the English
 * report's and the files' (Intl rounds 1.005 up, toFixed down); no −0.
 */
export function nbFixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  const negative = text.startsWith('-') && Number(text) !== 0;
  const [int = '', decimals] = text.replace('-', '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${negative ? '\u2212' : ''}${grouped}${decimals === undefined ? '' : `,${decimals}`}`;
}

/** One English number token in Norwegian, keeping its decimals; plain integers (years) unchanged. */
export function nbNumber(token: string): string {
  if (!EN_NUMBER.test(token)) return token;
  const negative = /^[−-]/.test(token);
  const body = token.replace(/^[−-]/, '');
  const [int = '', decimals] = body.split('.');
  if (decimals === undefined && !int.includes(',')) return token;
  const value = Number(int.replaceAll(',', '') + (decimals ? `.${decimals}` : ''));
  const text = nbFixed(value, decimals?.length ?? 0);
  return negative && value !== 0 ? `\u2212${text}` : text;
}

/** Every decimal or thousands-grouped number inside a text, in Norwegian. */
export function nbNumbersIn(text: string): string {
  return text.replace(/[−-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|[−-]?\d+\.\d+/g, (m, offset: number) => {
    // A hyphen after a letter or digit is a range or a code ("ICD-10", "0.93-1.09"), not a minus.
    const before = text[offset - 1] ?? '';
    if (m.startsWith('-') && /[\p{L}\d]/u.test(before)) return `-${nbNumber(m.slice(1))}`;
    return nbNumber(m);
  });
}

// ---------------------------------------------------------------------------------------------
// Templates

interface Compiled {
  re: RegExp;
  slots: { name: string; type: string }[];
  nb: Message[1];
}

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

function compile(message: Message): Compiled {
  const slots: Compiled['slots'] = [];
  let source = '';
  let last = 0;
  for (const m of message[0].matchAll(PLACEHOLDER)) {
    source += escapeRe(message[0].slice(last, m.index));
    // A number placeholder matches only a number, so the text around it can take what is left.
    source += m[2] === 'n' ? `(${NUMBER_SOURCE})` : '(.+?)';
    slots.push({ name: m[1]!, type: m[2] ?? '' });
    last = m.index + m[0].length;
  }
  source += escapeRe(message[0].slice(last));
  return { re: new RegExp(`^${source}$`, 's'), slots, nb: message[1] };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function fill(
  template: Message[1],
  values: MessageValues,
  tryText: (en: string) => string | null
): string | null {
  if (typeof template === 'function') return template(values, tryText);
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? `{${name}}`);
}

const isMessage = (k: Keyed): k is Message => typeof k[0] === 'string';

/** Whether a text has nothing to translate: no lower-case letter (numbers, codes, "ICC", "S > T"). */
export const isCodeOrNumber = (s: string): boolean => !/\p{Ll}/u.test(s);

/** The identity translator's number formats: the English report as it always was. */
const EN_FORMAT = {
  fixed: (value: number, digits: number) => value.toFixed(digits),
  count: (value: number) => value.toLocaleString('en-GB'),
};

export function englishTranslator(ui: UiStrings): Translator {
  return {
    lang: 'en',
    ui,
    text: (s) => s,
    tryText: (s) => s,
    ...EN_FORMAT,
    tableTitle: (t) => t.title,
    tableCaption: (t) => t.caption,
    column: (_, c) => c.label,
    section: (_, heading) => heading,
    missing: new Set(),
  };
}

const byId = <T>(entries: Readonly<Record<string, T>>, id: string): T | undefined =>
  entries[id] ?? Object.entries(entries).find(([k]) => k.endsWith('*') && id.startsWith(k.slice(0, -1)))?.[1];

export function catalogueTranslator(lang: Lang, catalogue: Catalogue): Translator {
  const messages = catalogue.messages.map(compile);
  const compiled = new Map<Message, Compiled>();
  const compiledOf = (m: Message) => {
    let c = compiled.get(m);
    if (!c) compiled.set(m, (c = compile(m)));
    return c;
  };
  const missing = new Set<string>();

  const split = (value: string, separator: string): string | null => {
    const parts = value.split(separator).map((part) => tryText(part));
    return parts.every((p) => p !== null) ? parts.join(separator) : null;
  };

  /** A placeholder's value in the target language, or null when it cannot be given. */
  const slot = (value: string, type: string): string | null => {
    switch (type) {
      case 'n':
        return EN_NUMBER.test(value) ? nbNumber(value) : null;
      case 't':
        return tryText(value);
      case 'list':
        return split(value, '; ');
      case 'clist':
        return split(value, ', ');
      default:
        return value;
    }
  };

  const apply = (c: Compiled, en: string): string | null => {
    const m = c.re.exec(en);
    if (!m) return null;
    const values: Record<string, string> = {};
    for (let k = 0; k < c.slots.length; k++) {
      const v = slot(m[k + 1]!, c.slots[k]!.type);
      if (v === null) return null;
      values[c.slots[k]!.name] = v;
    }
    return fill(c.nb, values, tryText);
  };

  function tryText(en: string): string | null {
    if (en.trim() === '') return en;
    const word = catalogue.words[en];
    if (word !== undefined) return word;
    if (isCodeOrNumber(en)) return nbNumbersIn(en);
    for (const c of messages) {
      const out = apply(c, en);
      if (out !== null) return out;
    }
    // Restrictions pooled with "; " (the cohort flow), pathway steps with " → " and " + ".
    for (const separator of ['; ', ' → ', ' + ']) if (en.includes(separator)) return split(en, separator);
    return null;
  }

  const text = (en: string): string => {
    const out = tryText(en);
    if (out !== null) return out;
    missing.add(en);
    return en;
  };

  /** A keyed entry's translation when its English still matches, else the general one. */
  const keyed = (entry: Keyed | undefined, en: string): string => {
    for (const m of entry === undefined ? [] : isMessage(entry) ? [entry] : entry) {
      const out = apply(compiledOf(m), en);
      if (out !== null) return out;
    }
    return text(en);
  };

  return {
    lang,
    ui: catalogue.ui,
    text,
    tryText,
    fixed: nbFixed,
    count: (value) => (Number.isInteger(value) ? nbFixed(value, 0) : value.toLocaleString('nb-NO')),
    tableTitle: (t) => keyed(byId(catalogue.tables, t.id)?.title, t.title),
    tableCaption: (t) => keyed(byId(catalogue.tables, t.id)?.caption, t.caption),
    column: (t, c) =>
      keyed(byId(catalogue.tables, t.id)?.columns?.[c.key] ?? catalogue.columns[c.key], c.label),
    section: (id, heading) => keyed(byId(catalogue.sections, id), heading),
    missing,
  };
}
