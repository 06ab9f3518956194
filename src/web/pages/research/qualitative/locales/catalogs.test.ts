import mainEn from '../../../../i18n/locales/en.json';
import mainNb from '../../../../i18n/locales/nb.json';
import { describeChunkCatalogs } from '../../../../i18n/testing.js';
import en from './en.json';
import nb from './nb.json';

describeChunkCatalogs(
  'Qualitative workspace catalogs (loaded with the research chunk)',
  { nb, en },
  { nb: mainNb, en: mainEn }
);
