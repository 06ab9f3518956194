/** The report's languages: English as the analysis writes it, Norwegian bokmål from nb.ts. */
import { EN } from './en.js';
import { NB_CATALOGUE } from './nb.js';
import { catalogueTranslator, type Lang, type Translator } from './translator.js';

export type { Lang, Translator } from './translator.js';

export const LANGS: readonly Lang[] = ['en', 'nb'];

/**
 * A translator for one rendering. The Norwegian one is new each time, so its `missing` lists what
 * that rendering could not translate.
 */
export function translator(lang: Lang): Translator {
  return lang === 'nb' ? catalogueTranslator('nb', NB_CATALOGUE) : EN;
}
