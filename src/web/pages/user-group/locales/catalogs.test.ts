import mainEn from '../../../i18n/locales/en.json';
import mainNb from '../../../i18n/locales/nb.json';
import { describeChunkCatalogs } from '../../../i18n/testing.js';
import en from './en.json';
import nb from './nb.json';

describeChunkCatalogs(
  'User-group catalogs (loaded with the user-group chunk)',
  { nb, en },
  { nb: mainNb, en: mainEn }
);
