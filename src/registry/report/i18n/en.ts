/** The English report's fixed words: what html.ts and svg.ts always printed. */
import { DEFAULT_FUNNEL_LABELS, funnelSummary } from '../funnel-geometry.js';
import { englishTranslator, type Translator } from './translator.js';
import type { UiStrings } from './ui.js';

export const UI_EN: UiStrings = {
  htmlLang: 'en',
  generated: (at, data, from, to) => `Generated ${at} from ${data}. Index period ${from} to ${to}.`,
  suppressed: (largest, mark) =>
    `Counts from 1 to ${largest}, and the cells that would reveal them, are shown as “${mark}”.`,
  contents: 'Contents',
  methods: 'Methods and definitions',
  ci95: ' (95% CI)',
  rangeSeparator: '-',
  collapsed: (n) => `(${n} row${n === 1 ? '' : 's'}; open to show)`,
  pointTitle: (series, x, percent) => `${series}, ${x}: ${percent} %`,
  forestAxis: 'Adjusted relative risk (log scale)',
  reference: 'reference',
  sameDay: 'Same day (combination)',
  otherPooled: 'Other (pooled small)',
  noneOfFour: 'None of the four',
  otherSequences: 'Other sequences',
  otherShort: 'Other',
  noneShort: 'None',
  noData: 'No data to show',
  segmentTitle: (path, count, percent) => `${path}: ${count} episodes (${percent} %)`,
  funnelLabels: DEFAULT_FUNNEL_LABELS,
  funnelSummary,
};

/** English: the texts as the analysis wrote them. */
export const EN: Translator = englishTranslator(UI_EN);
