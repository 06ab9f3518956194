/**
 * Attributions shown with each instrument, as their owners ask. PHQ-9 and GAD-7: developed by
 * Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant
 * from Pfizer Inc.; no permission is required to reproduce, translate, display or distribute them
 * (phqscreeners.com). WSAS: Mundt, Marks, Shear and Greist, Br J Psychiatry 2002;180:461-464
 * (Marks and colleagues' scale, free for clinical use).
 */
import type { Locale } from './phq9.js';

export type AttributedInstrument = 'phq9' | 'gad7' | 'wsas';

export const INSTRUMENT_ATTRIBUTIONS: Readonly<Record<AttributedInstrument, Record<Locale, string>>> = {
  phq9: {
    nb: 'PHQ-9 © Pfizer Inc. Utviklet av Spitzer, Williams, Kroenke og kolleger. Fritt å bruke.',
    en: 'PHQ-9 © Pfizer Inc. Developed by Spitzer, Williams, Kroenke and colleagues. Free to use.',
  },
  gad7: {
    nb: 'GAD-7 © Pfizer Inc. Utviklet av Spitzer, Williams, Kroenke og kolleger. Fritt å bruke.',
    en: 'GAD-7 © Pfizer Inc. Developed by Spitzer, Williams, Kroenke and colleagues. Free to use.',
  },
  wsas: {
    nb: 'WSAS (Work and Social Adjustment Scale) © Marks og kolleger (Mundt mfl. 2002).',
    en: 'WSAS (Work and Social Adjustment Scale) © Marks and colleagues (Mundt et al. 2002).',
  },
};
