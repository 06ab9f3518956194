/**
 * runAnalysis: the whole GP-DEP analysis, cohort to report, for one data folder.
 * DuckDB runs in a worker process (engine/worker.ts); the statistics and the report run here.
 * Writes to outDir: report.html (self-contained) and the same report in Norwegian bokmål,
 * rapport.html (report/i18n/), one CSV per table, results.json (the same published tables, for
 * the researcher page). Nothing written has a count from 1 to 4.
 *
 * Over 400 lines because it is the analysis in order, cohort to files, as a reader checks it;
 * progress, methods text and key figures are in files beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DuckDbWorkerEngine, type EngineOptions } from '../engine/engine.js';
import { columnsToRows } from '../engine/wire.js';
import { ANALYSES, GP_CHARACTERISTICS } from '../engine/analyses.js';
import { makeParams, resolveParams, type AnalysisParams, type ResolvedParams } from '../engine/params.js';
import { isSmall } from '../stats/suppress.js';
import { toCsv } from '../report/csv.js';
import { renderReport, type ReportInput, type ReportSection } from '../report/html.js';
import { PALETTE, forestPlot, lineChart, localised, sunburst } from '../report/svg.js';
import { gpVariationTable } from './gp-variation.js';
import { equityTable } from './equity-table.js';
import { type GpModelRequest, type GpModelResult } from '../engine/gp-model-types.js';
import { gpCharacteristicsTable, gpModelsTable, threeLevelTable } from './gp-models-table.js';
import {
  analyseFunnel,
  prepareFunnelPlot,
  type FunnelAnalysis,
  type FunnelPlotData,
  type FunnelUnit,
} from '../stats/funnel.js';
import { funnelPlotSvg } from '../report/funnel-svg.js';
import { assertNoSmallCells, roundAsPrinted, roundedForPublication, type PublishedTable } from './model.js';
import {
  EVENTS,
  describeSequence,
  pathwayTable,
  publishPathways,
  sequenceCounts,
  OTHER,
  NONE,
} from './pathways.js';
import { buildTables, indicatorDefs } from './tables.js';
import { competingEventsTable } from './competing-events.js';
import { methodsHtml } from './methods-text.js';
import { progressTracker, stepLabel, type AnalysisProgress } from './progress.js';
import { flowTable, keyFigures, smallHidden } from './key-figures.js';

export type { AnalysisProgress } from './progress.js';

/**
 * Why Table 7c has three-level models (GPs in municipalities) for talking therapy and referral only:
 * these are the indicators where the municipality's own services plausibly shape what the GP does
 * (municipal low-threshold mental health teams and psychologists as an alternative to the GP's
 * talking therapy; the specialist services and waiting lists a GP refers to), so part of what looks
 * like variation between GPs may be variation between places. Antidepressants and sick leave are
 * the GP's own prescription and certification.
 */
const THREE_LEVEL_WHY =
  "Fitted for talking therapy and referral to specialist mental health care, where the municipality's own services (low-threshold mental health teams and psychologists; the specialist services a GP refers to) may shape what GPs do, so part of the variation between GPs may lie between places.";

/** The mixed models of variation between GPs: one per indicator, case-mix and GP-level covariates. */
const GP_MODEL_REQUESTS: GpModelRequest[] = [
  { key: 'tt', events: 'tt_events', trials: 'n', upperGroup: 'gp_municipality' },
  { key: 'ad', events: 'ad_events', trials: 'ad_denom' },
  { key: 'sl', events: 'sl_events', trials: 'sl_denom' },
  { key: 'ref', events: 'ref_events', trials: 'n', upperGroup: 'gp_municipality' },
  // Long consultation has no mixed model, but Table 6 and a funnel plot need its expected counts.
  { key: 'long', events: 'long_events', trials: 'n', funnelOnly: true },
].map((r) => ({
  ...r,
  patientCovariates: ['sex', 'age_group', 'edu_group'],
  gpCovariates: GP_CHARACTERISTICS.map((k) => k.column),
  group: 'gp',
}));

export interface RunAnalysisOptions {
  dataDir: string;
  outDir: string;
  params?: Partial<AnalysisParams>;
  onProgress?: (p: AnalysisProgress) => void;
  engine?: Omit<EngineOptions, 'dataDir'>;
  /** Whole-run timeout, ms (default 30 minutes). */
  timeoutMs?: number;
}

export interface RunAnalysisResult {
  reportPath: string;
  /** The same report in Norwegian bokmål (rapport.html). */
  reportNbPath: string;
  csvPaths: string[];
  resultsPath: string;
  params: ResolvedParams;
  summary: {
    episodes: number | null;
    patients: number | null;
    gps: number | null;
    indexFrom: string;
    indexTo: string;
  };
  timingsMs: Record<string, number>;
  workerMaxRssKb: number;
  /** The funnel plots' published data (coarsened points, limits, summaries), for the researcher page. */
  funnels: PublishedFunnel[];
}

export interface PublishedFunnel {
  key: string;
  label: string;
  data: FunnelPlotData;
}

/** One indicator's GPs analysed once, for both Table 6 and its funnel plot (issue 13, item 3). */
export interface IndicatorFunnel {
  key: string;
  label: string;
  units: FunnelUnit[];
  /** null when there are too few GPs, or the totals would publish a small count. */
  analysis: FunnelAnalysis | null;
}

/**
 * The funnel analysis of each indicator from the mixed-model run's per-GP counts and expected
 * counts (indirect standardisation). Left out (null) when fewer than 5 GPs, or when the totals
 * would publish a small count (fewer than 5 patients with or without the care).
 */
export function indicatorFunnels(
  results: readonly GpModelResult[],
  inds: readonly { key: string; label: string }[]
): IndicatorFunnel[] {
  return inds
    .filter((ind) => !ind.key.startsWith('none'))
    .map((ind) => {
      const units = results.find((r) => r.key === ind.key)?.funnelUnits.filter((u) => u.n > 0) ?? [];
      const events = units.reduce((s, u) => s + u.observed, 0);
      const patients = units.reduce((s, u) => s + u.n, 0);
      const ok = units.length >= 5 && !isSmall(events) && !isSmall(patients - events);
      return { key: ind.key, label: ind.label, units, analysis: ok ? analyseFunnel(units) : null };
    });
}

/** The funnel plots to publish: the same analyses as Table 6, drawn when at least 5 GPs are plotted. */
export function funnelPlots(funnels: readonly IndicatorFunnel[]): PublishedFunnel[] {
  const out: PublishedFunnel[] = [];
  for (const f of funnels) {
    if (!f.analysis) continue;
    const data = prepareFunnelPlot(f.units, { minPatients: 10, analysis: f.analysis });
    if (data.points.length < 5) continue;
    out.push({ key: f.key, label: f.label, data });
  }
  return out;
}

export async function runAnalysis(options: RunAnalysisOptions): Promise<RunAnalysisResult> {
  const dataDir = resolve(options.dataDir);
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const base = makeParams(options.params ?? {});
  const engine = new DuckDbWorkerEngine({
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
    ...options.engine,
    dataDir,
  });
  const timings: Record<string, number> = {};
  const { report, onEngineProgress, finish } = progressTracker(options.onProgress, timings);
  /** Runs an analysis and books the time of each step it materialised; its rows as columns. */
  const runColumns = async (id: keyof typeof ANALYSES, p: ResolvedParams) => {
    let current = '';
    let t = performance.now();
    const rows = await engine.runColumns(id, p, {
      onProgress: (e) => {
        if (e.step !== current) {
          if (current && current !== id) finish(current, performance.now() - t);
          current = e.step;
          t = performance.now();
          report(e.step, 0, `${stepLabel(e.step)} started`);
        }
        onEngineProgress(e);
      },
    });
    finish(id, performance.now() - t);
    return rows;
  };
  const run = async (id: keyof typeof ANALYSES, p: ResolvedParams) => columnsToRows(await runColumns(id, p));

  try {
    report('data_extent', 0, `Opening ${dataDir}`);
    const extentRows = await run('data_extent', null as unknown as ResolvedParams);
    const extent = extentRows[0];
    if (!extent?.first_date || !extent.last_date)
      throw new Error('No GP bills in the data folder (kuhr_bills is empty)');
    const p = resolveParams(base, {
      firstDate: String(extent.first_date),
      lastDate: String(extent.last_date),
    });
    if (p.sickLeaveDenominator === 'employed' && Number(extent.employment_rows ?? 0) === 0)
      throw new Error(
        'The data folder has no employment table (NAV Aa-registeret), which the sick-leave denominator needs: deliver it, or set sickLeaveDenominator to "all"'
      );
    if (p.indexFrom > p.indexTo)
      throw new Error(
        `The data (${extent.first_date} to ${extent.last_date}) are too short for the washout and follow-up`
      );
    const flow = (await run('cohort_flow', p))[0]!;
    const summary = (await run('cohort_summary', p))[0]!;
    // Columns: nationally ~225,000 (GP, pattern) cells, too many to make into row objects.
    const patterns = await runColumns('indicator_patterns', p);
    const work = await run('work_patterns', p);
    const ranks = await run('pathway_ranks', p);
    const equityRows = await run('equity_cells', p);
    const asPublished = (await run('as_published', p))[0]!;
    const competing = await run('competing_events', p);
    const t0 = performance.now();
    report('gp_model_patterns', 0, stepLabel('gp_model_patterns'));
    const gpModels: GpModelResult[] = await engine.fitModels('gp_model_patterns', p, GP_MODEL_REQUESTS, {
      onProgress: (e) => onEngineProgress(e),
    });
    finish('gp_model_patterns', performance.now() - t0);
    const workerMaxRssKb = await engine.workerMaxRssKb();
    await engine.close();

    let t = performance.now();
    report('tables', 0, stepLabel('tables'));
    const built = buildTables(patterns, work, p);
    const pathways = publishPathways(sequenceCounts(ranks));
    const inds = indicatorDefs(p);
    const funnelAnalyses = indicatorFunnels(gpModels, inds);
    const gpTable = gpVariationTable(funnelAnalyses);
    const mixedModels = gpModels.filter((r) => !GP_MODEL_REQUESTS.find((q) => q.key === r.key)?.funnelOnly);
    const modelTable = gpModelsTable(mixedModels, Object.fromEntries(inds.map((i) => [i.key, i.label])), {
      term: 'gp_ruralyes',
      label: 'Rural GP',
    });
    const characteristicsTable = gpCharacteristicsTable(
      mixedModels,
      Object.fromEntries(inds.map((i) => [i.key, i.label])),
      GP_CHARACTERISTICS.map((k) => ({
        term: k.term,
        label: k.label,
        ...('note' in k ? { note: k.note } : {}),
      }))
    );
    const threeLevelT = threeLevelTable(
      mixedModels,
      Object.fromEntries(inds.map((i) => [i.key, i.label])),
      THREE_LEVEL_WHY
    );
    const byId = new Map(built.tables.map((tb) => [tb.id, tb]));
    const equityT = equityTable(equityRows, {
      unknownHiddenInTable2: unknownHiddenIn(byId.get('table2_care_by_characteristics')!),
      incomeYear: p.incomeYear,
    });
    const funnels = funnelPlots(funnelAnalyses);
    const years = new Set(Array.from(patterns.columns.index_year ?? [])).size;
    const key = keyFigures(summary, byId.get('table2_care_by_characteristics')!, years, {
      sickLeaveDenominator: p.sickLeaveDenominator,
      adNewUser: p.adNewUser,
      counts: {
        episodes: Number(asPublished.n ?? 0),
        adAnyEvents: Number(asPublished.ad_any_events ?? 0),
        slAllDenom: Number(asPublished.sl_all_denom ?? 0),
        slAllEvents: Number(asPublished.sl_all_events ?? 0),
        employed: Number(asPublished.employed ?? 0),
      },
    });
    const flowT = flowTable(flow, p);
    const pathT = pathwayTable(pathways);
    const competingT = competingEventsTable(competing, inds);
    // Every file carries the figures as the report prints them (issue 13, item 1).
    const all = [
      key,
      flowT,
      ...built.tables,
      competingT,
      pathT,
      gpTable,
      modelTable,
      characteristicsTable,
      threeLevelT,
      equityT,
    ].map(roundedForPublication);
    const trend = built.trend.map((s) => ({
      ...s,
      points: s.points.map((q) => ({
        ...q,
        percent: q.percent === null ? null : roundAsPrinted(q.percent, 'percent'),
      })),
    }));
    all.forEach((tb) => assertNoSmallCells(tb));
    finish('tables', performance.now() - t);

    t = performance.now();
    report('report', 0, stepLabel('report'));
    const colours: Record<string, string> = {
      T: PALETTE[0]!,
      A: PALETTE[1]!,
      S: PALETTE[2]!,
      R: PALETTE[3]!,
    };
    const labels = Object.fromEntries(EVENTS.map((e) => [e.code, e.label]));
    const sections: ReportSection[] = [
      { id: 'key', heading: 'Key figures', tables: [key] },
      { id: 'cohort', heading: 'Cohort', tables: [flowT, byId.get('table1_cohort')!] },
      {
        id: 'care',
        heading: 'Care within 12 months',
        figures: [
          {
            svg: localised(lineChart, {
              title: 'Care within 12 months by year of index',
              desc: `Percent of episodes with each kind of care, by year of index: ${trend
                .map(
                  (s) =>
                    `${s.label}: ${s.points.map((q) => `${q.year} ${q.percent === null ? 'suppressed' : q.percent.toFixed(1)}`).join(', ')}`
                )
                .join('; ')}.`,
              series: trend.map((s) => ({
                label: s.label,
                points: s.points.map((q) => ({ x: q.year, y: q.percent })),
              })),
              yLabel: '% of episodes',
              yMax: 100,
            }),
            caption:
              'Figure 1. Share of episodes with each kind of care by year of index (numbers in Table 2, rows "Year of index").',
          },
        ],
        tables: [byId.get('table2_care_by_characteristics')!, competingT],
      },
      ...inds.map((ind, k) => {
        const forest = built.forest.find((f) => f.indicator === ind.key)!;
        const rows = forest.rows.filter((r) => {
          // Only levels whose RR is published in the table.
          const tb = byId.get(`table3_${ind.key}`)!;
          return (
            r.reference ||
            tb.rows.some((row) => `${String(row[0])}: ${String(row[1])}` === r.label && row[9] !== null)
          );
        });
        return {
          id: `rr-${ind.key}`,
          heading: `${ind.label}: relative risks`,
          figures: [
            {
              svg: localised(forestPlot, {
                title: `${ind.label}: adjusted relative risks`,
                desc: `Adjusted relative risks with 95 % confidence intervals by patient characteristic: ${rows
                  .map((r) =>
                    r.reference
                      ? `${r.label} reference`
                      : `${r.label} ${r.rr.toFixed(2)} (${r.lo.toFixed(2)}-${r.hi.toFixed(2)})`
                  )
                  .join('; ')}.`,
                rows,
              }),
              caption: `Figure 2.${k + 1}. ${ind.label}: adjusted relative risks (numbers in Table 3.${k + 1}).`,
            },
          ],
          tables: [byId.get(`table3_${ind.key}`)!],
        } satisfies ReportSection;
      }),
      {
        id: 'pathways',
        heading: 'Pathways',
        figures: [
          {
            svg: localised(sunburst, {
              title: 'Order of first treatments within 12 months',
              desc: `Sunburst: the inner ring is the first treatment step, the next rings the following steps. ${pathways.sequences
                .map((s) => `${describeSequence(s.sequence)}: ${s.count}`)
                .join('; ')}.`,
              sequences: pathways.sequences.map((s) => ({
                steps:
                  s.sequence === NONE || s.sequence === OTHER
                    ? []
                    : s.sequence.split(' > ').map((st) => st.split('+')),
                count: s.count,
                other: s.sequence === OTHER,
              })),
              colours,
              labels,
            }),
            caption:
              'Figure 3. Pathways of first treatments (numbers in Table 5). Inner ring: first step; outer rings: later steps.',
          },
        ],
        tables: [pathT],
      },
      { id: 'work', heading: 'Work participation', tables: [byId.get('table4_work_participation')!] },
      {
        id: 'gp',
        heading: 'Variation between GPs',
        figures: funnels.map((f, k) => ({
          svg: (t) => funnelPlotSvg(f.data, { title: `${f.label}: share by GP, adjusted for case-mix` }, t),
          caption: `Figure 4.${k + 1}. ${f.label}: funnel plot of GPs with at least ${f.data.minPatients} patients (${f.data.omitted} GPs with fewer left out). Share of patients indirectly standardised for sex, age group and education; positions rounded.`,
        })),
        tables: [gpTable, modelTable, characteristicsTable, threeLevelT],
      },
      { id: 'equity', heading: 'Equity by education and income', tables: [equityT] },
    ];
    const reportInput: ReportInput = {
      title: 'GP-DEP registry analysis: depression care in general practice',
      generatedAt: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      dataLabel: `data folder "${basename(dataDir)}"`,
      params: p,
      sections,
      methodsHtml: (lang) => methodsHtml(p, all, lang),
    };
    // One report per language from the same sections and tables (issue 13, item 10).
    const reportPath = join(outDir, 'report.html');
    writeFileSync(reportPath, renderReport(reportInput, 'en'));
    const reportNbPath = join(outDir, 'rapport.html');
    writeFileSync(reportNbPath, renderReport(reportInput, 'nb'));
    const csvPaths: string[] = [];
    for (const tb of all) {
      const path = join(outDir, `${tb.id}.csv`);
      writeFileSync(path, toCsv(tb));
      csvPaths.push(path);
    }
    const resultsPath = join(outDir, 'results.json');
    writeFileSync(
      resultsPath,
      JSON.stringify(
        {
          generatedAt: new Date().toISOString(),
          params: p,
          tables: all,
          trend,
          pathways: pathways.sequences,
          funnels,
        },
        null,
        1
      )
    );
    finish('report', performance.now() - t);
    const gps = Number(summary.listed_gps);
    return {
      reportPath,
      reportNbPath,
      csvPaths,
      resultsPath,
      params: p,
      summary: {
        episodes: smallHidden(Number(summary.episodes)),
        patients: smallHidden(Number(summary.patients)),
        gps,
        indexFrom: p.indexFrom,
        indexTo: p.indexTo,
      },
      timingsMs: timings,
      workerMaxRssKb,
      funnels,
    };
  } finally {
    await engine.close();
  }
}

/**
 * Whether Table 2 hides the events or non-events of the episodes with education unknown (its
 * "Missing" row) for an outcome: then Table 8 must not let them be worked out either. Income is
 * not in Table 2, so nothing about it is hidden there.
 */
function unknownHiddenIn(table2: PublishedTable): (positionKey: string, outcomeKey: string) => boolean {
  return (positionKey, outcomeKey) => {
    if (positionKey !== 'education') return false;
    const row = table2.rows.find((r) => r[0] === 'Education' && r[1] === 'Missing');
    if (!row) return false; // no episode with education unknown
    const events = table2.columns.findIndex((c) => c.key === `${outcomeKey}_n`);
    const share = table2.columns.findIndex((c) => c.key === `${outcomeKey}_pct`);
    return events < 0 || share < 0 || row[events] === null || row[share] === null;
  };
}
