import type gp from '../pages/gp/locales/nb.json';
import type researchSurveys from '../pages/research/surveys/locales/nb.json';
import type userGroup from '../pages/user-group/locales/nb.json';
import type qualitative from '../pages/research/qualitative/locales/nb.json';
import type nb from './locales/nb.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    /**
     * The main catalog, the GP face's words, which load with the GP chunk (pages/gp/i18n.ts), and
     * the survey administration's words, which load with the research chunk
     * (pages/research/surveys/i18n.ts), and the user group's (pages/user-group/i18n.ts).
     */
    resources: {
      translation: typeof nb & typeof gp & typeof researchSurveys & typeof qualitative & typeof userGroup;
    };
  }
}
