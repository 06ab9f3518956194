/**
 * The GP face's words, loaded with the GP chunk: a patient's browser never downloads them, and
 * the patient pages stay small. They are merged into the default namespace, so GP code uses the
 * same `t('gp.…')` keys as everywhere (typed in src/web/i18n/i18next.d.ts). The few GP words the
 * header needs before this chunk arrives (gp.nav.*) live in the main catalogs.
 */
import i18next from 'i18next';
import en from './locales/en.json';
import nb from './locales/nb.json';

i18next.addResourceBundle('nb', 'translation', nb, true, false);
i18next.addResourceBundle('en', 'translation', en, true, false);
