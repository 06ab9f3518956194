/**
 * The words of the researcher's survey administration and of the waiting-room poster, loaded with
 * the research chunk: a patient's browser never downloads them (the patient pages stay under their
 * size budget, scripts/build-size.mjs). Merged into the default namespace as the GP face's words
 * are (pages/gp/i18n.ts), typed in src/web/i18n/i18next.d.ts. The poster is printed in nb or en
 * whatever the screen's language, so both are added.
 */
import i18next from 'i18next';
import en from './locales/en.json';
import nb from './locales/nb.json';

i18next.addResourceBundle('nb', 'translation', nb, true, false);
i18next.addResourceBundle('en', 'translation', en, true, false);
