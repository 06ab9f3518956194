/**
 * Finds English left in a Norwegian report (rapport.test.ts; also usable on any rapport.html): a
 * text node is English when the English report has the same node and it holds a word, or when it
 * holds a word that only English uses. Names, codes and numbers are not words for this purpose.
 */
import { NB_CATALOGUE } from './nb.js';
import type { Keyed, Message } from './translator.js';

/** The text nodes of an HTML document (outside <style>), entities decoded, trimmed, non-empty. */
export function textNodes(html: string): string[] {
  const body = html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<!--[\s\S]*?-->/g, '');
  const out: string[] = [];
  for (const m of body.matchAll(/>([^<]+)</g)) {
    const text = decode(m[1]!).trim();
    if (text) out.push(text);
  }
  return out;
}

function decode(s: string): string {
  return s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

/** Words only English uses, as the report would write them ("for", "at", "to" are Norwegian too). */
const ENGLISH_ONLY =
  /\b(the|and|of|with|which|within|without|between|from|episodes|share|care|patients?|not|are|is|this|these|each|where|when|by|table|figure|none|GPs?(?!-))\b/i;

const isMessage = (k: Keyed): k is Message => typeof k[0] === 'string';
const messagesOf = (k: Keyed | undefined): readonly Message[] =>
  k === undefined ? [] : isMessage(k) ? [k] : k;

/** Texts the catalogue deliberately keeps as in English (names, abbreviations, "Data"). */
export function sameInBothLanguages(): Set<string> {
  const same = new Set<string>(['Data']);
  for (const [en, nb] of Object.entries(NB_CATALOGUE.words)) if (en === nb) same.add(en);
  const keyed = [
    ...Object.values(NB_CATALOGUE.columns),
    ...Object.values(NB_CATALOGUE.sections),
    ...Object.values(NB_CATALOGUE.tables).flatMap((t) => [
      t.title,
      t.caption,
      ...Object.values(t.columns ?? {}),
    ]),
  ].flatMap(messagesOf);
  for (const [en, nb] of [...keyed, ...NB_CATALOGUE.messages]) if (en === nb) same.add(en);
  return same;
}

/** Whether a text has a word to translate: two lower-case letters in a row, "(ref.)" aside. */
const hasWord = (s: string) => /\p{Ll}{2}/u.test(s.replaceAll('(ref.)', ''));

/** The text nodes of the Norwegian report that are English, each once, in document order. */
export function englishLeftIn(nbHtml: string, enHtml: string): string[] {
  const english = new Set(textNodes(enHtml));
  const same = sameInBothLanguages();
  const out = new Set<string>();
  for (const node of textNodes(nbHtml)) {
    if (same.has(node) || !hasWord(node)) continue;
    if (english.has(node) || ENGLISH_ONLY.test(node)) out.add(node);
  }
  return [...out];
}
