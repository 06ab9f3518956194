/**
 * The fixed words of the report's frame and figures (html.ts, svg.ts, funnel-svg.ts), one object
 * per language: en.ts and nb.ts. Numbers reach these already formatted for the language.
 */
import type { FunnelLabels } from '../funnel-geometry.js';
import type { FunnelPlotData } from '../../stats/funnel.js';

export interface UiStrings {
  /** The document's lang attribute. */
  htmlLang: string;
  generated(at: string, data: string, from: string, to: string): string;
  /** The sentence under the title explaining the suppressed-cell mark. */
  suppressed(largestHidden: number, mark: string): string;
  contents: string;
  methods: string;
  /** Appended to a relative-risk column shown as "RR (lo-hi)". */
  ci95: string;
  /** Between the lower and upper limit of an interval printed as "lo-hi". */
  rangeSeparator: string;
  /** The summary of a collapsed appendix table. */
  collapsed(rows: number): string;
  /** A point of a line chart: "Talking therapy, 2010: 43.5 %". */
  pointTitle(series: string, x: string, percent: string): string;
  forestAxis: string;
  reference: string;
  sameDay: string;
  otherPooled: string;
  noneOfFour: string;
  otherSequences: string;
  /** Segment labels inside the sunburst (short). */
  otherShort: string;
  noneShort: string;
  noData: string;
  segmentTitle(path: string, count: string, percent: string): string;
  funnelLabels: FunnelLabels;
  /** The funnel plot's text alternative (funnel-geometry.ts funnelSummary in English). */
  funnelSummary(data: FunnelPlotData): string[];
}
