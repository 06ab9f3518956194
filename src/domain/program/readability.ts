/**
 * Plain-language measures for lesson texts: LIX for Norwegian (Björnsson 1968; under 40 is easy,
 * like children's and popular fiction) and Flesch reading ease for English (Flesch 1948; above 60
 * is plain English). Sentences end at . ! ? : and at the end of each separate text (a list item
 * or a paragraph), as LIX counts them.
 */

function sentencesOf(texts: readonly string[]): string[] {
  return texts.flatMap((text) =>
    text
      .split(/[.!?:]+(?=\s|$)/u)
      .map((s) => s.trim())
      .filter((s) => /\p{L}/u.test(s))
  );
}

function wordsOf(sentence: string): string[] {
  return sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

export interface TextStats {
  sentences: number;
  words: number;
}

/** LIX = words per sentence + percentage of words longer than six letters. */
export function lix(texts: readonly string[]): number {
  const sentences = sentencesOf(texts);
  const words = sentences.flatMap(wordsOf);
  if (words.length === 0) return 0;
  const long = words.filter((w) => w.replace(/[^\p{L}]/gu, '').length > 6).length;
  return words.length / sentences.length + (100 * long) / words.length;
}

/** A syllable estimate for English words: vowel groups, less a silent final e, at least one. */
export function englishSyllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = trimmed.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}

/** Flesch reading ease = 206.835 − 1.015 × words per sentence − 84.6 × syllables per word. */
export function fleschReadingEase(texts: readonly string[]): number {
  const sentences = sentencesOf(texts);
  const words = sentences.flatMap(wordsOf);
  if (words.length === 0) return 100;
  const syllables = words.reduce((sum, w) => sum + englishSyllables(w), 0);
  return 206.835 - 1.015 * (words.length / sentences.length) - 84.6 * (syllables / words.length);
}

export function textStats(texts: readonly string[]): TextStats {
  const sentences = sentencesOf(texts);
  return { sentences: sentences.length, words: sentences.flatMap(wordsOf).length };
}
