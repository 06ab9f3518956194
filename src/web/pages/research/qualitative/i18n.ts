/**
 * The words of the researcher's qualitative pages, loaded with the research chunk; typed in
 * src/web/i18n/i18next.d.ts like the other chunk catalogs.
 */
import i18next from 'i18next';
import en from './locales/en.json';
import nb from './locales/nb.json';

i18next.addResourceBundle('nb', 'translation', nb, true, false);
i18next.addResourceBundle('en', 'translation', en, true, false);
