/**
 * The user group's words, loaded with its chunk (no other face downloads them); typed in
 * src/web/i18n/i18next.d.ts like the GP and survey catalogs.
 */
import i18next from 'i18next';
import en from './locales/en.json';
import nb from './locales/nb.json';

i18next.addResourceBundle('nb', 'translation', nb, true, false);
i18next.addResourceBundle('en', 'translation', en, true, false);
