/** Words for the program's codes: module states, instruments, measurement bands and reasons. */
import type { TFunction } from 'i18next';
import type { Instrument, MeasureDue, ModuleState } from '../../api/client.js';
import { severityLabel } from '../../i18n/labels.js';

export function instrumentName(t: TFunction, instrument: Instrument): string {
  return t(`instruments.${instrument}.name`);
}

export function instrumentAbout(t: TFunction, instrument: Instrument): string {
  return t(`instruments.${instrument}.about`);
}

export function moduleStateLabel(t: TFunction, state: ModuleState): string {
  return t(`moduleState.${state}`);
}

const SEVERITIES = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;
const WSAS_BANDS = ['subclinical', 'significant', 'severe'] as const;

/** A score band in words: PHQ-9 and GAD-7 severity, or the WSAS band. Unknown codes pass through. */
export function measurementBandLabel(t: TFunction, instrument: Instrument, band: string): string {
  if (instrument === 'wsas') {
    const known = WSAS_BANDS.find((b) => b === band);
    return known ? t(`wsasBand.${known}`) : band;
  }
  const known = SEVERITIES.find((s) => s === band);
  return known ? severityLabel(t, known) : band;
}

/** "Answer the PHQ-9 before module 2" and the like. */
export function measureTitle(t: TFunction, due: MeasureDue, moduleNumber: number | null): string {
  const name = instrumentName(t, due.instrument);
  switch (due.reason) {
    case 'before_module':
      return moduleNumber
        ? t('measureDue.beforeModule', { name, number: moduleNumber })
        : t('measureDue.generic', { name });
    case 'baseline':
      return t('measureDue.baseline', { name });
    case 'end':
      return t('measureDue.end', { name });
    case 'four_weekly':
      return t('measureDue.fourWeekly', { name });
    default:
      return t('measureDue.generic', { name });
  }
}

export function moduleNumberOf(moduleId: string): number {
  return Number(moduleId.replace(/^m/, '')) || 0;
}
