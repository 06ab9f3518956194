/**
 * linkSurveyToRegistry: the GP survey linked to the same GPs' registry indicators.
 *
 * The survey dataset carries pseudonymous frame ids only. This step alone reads the linkage table
 * (frame id → registry GP id), puts each linked respondent's answer beside the registry GP id in a
 * temporary DuckDB table, and joins it to the registry analysis's own patient data: the cohort and
 * outcomes steps and the `gp_model_patterns` analysis of src/registry/engine/analyses.ts, run on
 * the extract unchanged (same parameters, same indicator definitions, same GP characteristics),
 * so nothing of the cohort is derived anew here. The rows (per GP number and patient pattern)
 * stay in this function; what it returns are summaries by answer group:
 *
 * - indicator rates by answer: GPs, patients, patients with the care, per cent; counts from 1 to 4
 *   hidden with the registry's disclosure control (stats/suppress.ts: primary and secondary
 *   suppression across the tables that share denominators);
 * - per indicator, the random-intercept logistic model of the patient-level indicator (the
 *   registry's GP models, engine/gp-models.ts and stats/glmm) with the survey answer as a
 *   GP-level covariate (the contrast answer against all others), adjusted for the patients' sex,
 *   age group and education and the GP characteristics of the registry report: the answer's
 *   log-odds coefficient with its 95 % Wald interval and odds ratio.
 *
 * DuckDB runs in this process (its own in-memory instance over the extract's Parquet files, the
 * tables mapped to views as the engine's worker maps them): the engine's worker has no analysis
 * that takes a GP-level table from outside, and the pattern rows must meet the answers somewhere.
 */
import { flattenItems } from '../../domain/surveys/items.js';
import { indicatorDefs } from '../../registry/analyze/tables.js';
import { ANALYSES, GP_CHARACTERISTICS, STEPS, stepsFor } from '../../registry/engine/analyses.js';
import { MIN_GPS, fitGpModels, type GpModelRequest } from '../../registry/engine/gp-models.js';
import { REQUIRED_TABLES, mapRegistryTables } from '../../registry/engine/views.js';
import {
  makeParams,
  resolveParams,
  type AnalysisParams,
  type ResolvedParams,
} from '../../registry/engine/params.js';
import type { Row } from '../../registry/engine/protocol.js';
import { lit, openDuck } from '../../registry/generate/db.js';
import { SMALL_CELL_THRESHOLD, isSmall, suppressMany, withMargins } from '../../registry/stats/suppress.js';
import type { SurveyDataset } from '../dataset.js';
import { answerCode } from './analyze.js';
import type { SurveyLinkage } from './linkage-table.js';

export interface LinkOptions {
  /** The registry extract (Parquet folders per table). */
  registryDir: string;
  /** The choice item whose answer is the GP-level covariate (default own-talk-therapy). */
  item?: string;
  /** The answer compared with all others in the model (default often). */
  contrast?: string;
  /** Registry analysis parameters (defaults as the registry report). */
  params?: Partial<AnalysisParams>;
  wave?: string;
  threads?: number;
  /** Indicators modelled (default tt, ad, sl, ref). */
  modelIndicators?: readonly string[];
}

export interface LinkedGroup {
  answer: string;
  /** null = hidden (1-4). */
  gps: number | null;
  patients: number | null;
  events: number | null;
  percent: number | null;
}

export interface LinkedRates {
  indicator: string;
  label: string;
  groups: LinkedGroup[];
}

export interface LinkedModel {
  indicator: string;
  label: string;
  term: string;
  /** null when too few GPs for a model (the count is not published). */
  gps: number | null;
  patients: number | null;
  estimate: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
  oddsRatio: number | null;
  oddsRatioLower: number | null;
  oddsRatioUpper: number | null;
  pValue: number | null;
  /** Between-GP variance left after the answer and the covariates. */
  gpVariance: number | null;
  covariates: string[];
  error: string | null;
}

export interface LinkedResults {
  format: 'gpdep-survey-linkage-results/1';
  item: string;
  contrast: string;
  answers: string[];
  /**
   * Complete responses with an answer to the item; of them linked to a registry GP; of them with
   * patients in the cohort (null = hidden, 1-4).
   */
  counts: { answered: number | null; linked: number | null; withPatients: number | null };
  params: { indexFrom: string; indexTo: string };
  rates: LinkedRates[];
  models: LinkedModel[];
  notes: string[];
}

function plain(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

const ANSWER_COLUMN = 'survey_answer';

/** Why a model has no estimate, in words that publish no count below the threshold. */
function modelError(
  result: { gps: number; error: string | null } | undefined,
  estimated: boolean,
  term: string
): string | null {
  if (!result) return 'No linked GP has patients in the cohort';
  if (result.gps < MIN_GPS) return `Fewer than ${MIN_GPS} linked GPs with patients: no model`;
  if (result.error) return result.error;
  return estimated ? null : `${term} could not be estimated (the answer does not vary among linked GPs)`;
}

export async function linkSurveyToRegistry(
  dataset: SurveyDataset,
  linkage: SurveyLinkage,
  options: LinkOptions
): Promise<LinkedResults> {
  const item = options.item ?? 'own-talk-therapy';
  const contrast = options.contrast ?? 'often';
  if (linkage.surveyId !== dataset.surveyId)
    throw new Error(
      `The linkage table is for survey ${linkage.surveyId}, the dataset is ${dataset.surveyId}`
    );
  const wave =
    options.wave ??
    (dataset.responses.some((r) => r.wave === 'baseline') ? 'baseline' : dataset.responses[0]?.wave);
  const registryIdOf = new Map(linkage.entries.map((e) => [e.frameId, e.registryGpId]));
  const answered = dataset.responses
    .filter((r) => r.wave === wave && r.status === 'complete')
    .map((r) => ({ frameId: r.frameId, answer: answerCode(r.answers[item]?.[0]) }))
    .filter((r): r is { frameId: string; answer: string } => r.answer !== null && r.frameId !== undefined);
  const linked = answered.flatMap((r) => {
    const gpId = registryIdOf.get(r.frameId);
    return gpId === undefined ? [] : [{ gpId, answer: r.answer }];
  });
  const answers = [...new Set(answered.map((a) => a.answer))];
  const itemDef =
    flattenItems(dataset.questionnaire)
      .find((i) => i.linkId === item)
      ?.options.map((o) => o.code) ?? null;
  if (itemDef === null) throw new Error(`The questionnaire has no item ${item}`);
  const order = itemDef.length ? itemDef : answers.sort();
  const notes: string[] = [];

  const duck = await openDuck({ threads: options.threads ?? 2 });
  try {
    // The engine's mapping, with the GP register required too (the answers are linked to it).
    await mapRegistryTables(
      { run: (sql) => duck.run(sql), rows: (sql) => duck.all(sql) },
      options.registryDir,
      [...REQUIRED_TABLES, 'gps']
    );
    const extent = (await duck.all<Record<string, unknown>>(ANALYSES.data_extent.sql()))[0];
    if (!extent?.first_date || !extent.last_date) throw new Error('No GP bills in the registry folder');
    const p: ResolvedParams = resolveParams(makeParams(options.params ?? {}), {
      firstDate: String(extent.first_date),
      lastDate: String(extent.last_date),
    });
    for (const name of stepsFor(['cohort', 'outcomes']))
      await duck.run(`CREATE OR REPLACE TEMP TABLE ${name} AS ${STEPS[name].sql(p)}`);
    // The linkage: registry GP id and answer, only here.
    await duck.run(`CREATE OR REPLACE TEMP TABLE survey_answers (gp_id VARCHAR, answer VARCHAR)`);
    for (let k = 0; k < linked.length; k += 500) {
      const values = linked
        .slice(k, k + 500)
        .map((l) => `(${lit(l.gpId)}, ${lit(l.answer)})`)
        .join(', ');
      await duck.run(`INSERT INTO survey_answers VALUES ${values}`);
    }
    // gp_model_patterns numbers GPs by DENSE_RANK over the cohort's listed GP ids; the same rank
    // here gives each pattern row its registry GP, then its answer.
    await duck.run(`CREATE OR REPLACE TEMP TABLE survey_gp_rank AS
      SELECT listed_gp_id, DENSE_RANK() OVER (ORDER BY listed_gp_id) AS gp
      FROM (SELECT DISTINCT listed_gp_id FROM cohort WHERE listed_gp_id IS NOT NULL) d`);
    await duck.run(`CREATE OR REPLACE TEMP TABLE survey_patterns AS
      SELECT pat.*, r.listed_gp_id, s.answer AS ${ANSWER_COLUMN}
      FROM (${ANALYSES.gp_model_patterns.sql(p)}) pat
      JOIN survey_gp_rank r ON r.gp = pat.gp
      JOIN survey_answers s ON s.gp_id = r.listed_gp_id`);
    // The rank must be the analysis's: each GP's episodes in the patterns equal its cohort episodes.
    const mismatch = await duck.all<{ n: bigint }>(`
      SELECT COUNT(*) AS n FROM (SELECT listed_gp_id, SUM(n) AS n FROM survey_patterns GROUP BY listed_gp_id) a
      JOIN (SELECT c.listed_gp_id, COUNT(*) AS n FROM cohort c JOIN outcomes o ON o.episode_id = c.episode_id
            GROUP BY c.listed_gp_id) b ON a.listed_gp_id = b.listed_gp_id
      WHERE a.n <> b.n`);
    if (Number(mismatch[0]?.n ?? 0) !== 0)
      throw new Error(
        'The GP numbering of gp_model_patterns changed: the linkage no longer matches its rows'
      );
    const reader = await duck.conn.runAndReadAll(
      `SELECT * EXCLUDE (listed_gp_id) FROM survey_patterns ORDER BY gp`
    );
    const rows: Row[] = reader.getRowObjectsJS().map((r) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(r)) out[k] = plain(v);
      return out;
    });
    await duck.run('DROP TABLE survey_answers; DROP TABLE survey_patterns; DROP TABLE survey_gp_rank');

    const withPatients = new Set(rows.map((r) => r.gp)).size;
    const inds = indicatorDefs(p).filter((i) => ['tt', 'ad', 'sl', 'ref', 'long'].includes(i.key));

    // Rates by answer, with disclosure control across the tables that share denominators.
    const sums = inds.map((ind) =>
      order.map((answer) => {
        let events = 0;
        let patients = 0;
        const gps = new Set<unknown>();
        for (const r of rows) {
          if (r[ANSWER_COLUMN] !== answer) continue;
          const n = Number(r[ind.denom] ?? 0);
          patients += n;
          events += Number(r[ind.events] ?? 0);
          if (n > 0) gps.add(r.gp);
        }
        return { answer, events, patients, gps: gps.size };
      })
    );
    const suppressed = suppressMany(
      sums.map((groups, k) => ({
        values: withMargins(groups.map((g) => [g.events, g.patients - g.events])),
        keyOf: (i: number, j: number) => (j === 2 ? `${inds[k]!.denomKind}:${i}` : null),
        zeroGroupBelow: 10 * SMALL_CELL_THRESHOLD,
      }))
    );
    const rates: LinkedRates[] = inds.map((ind, k) => ({
      indicator: ind.key,
      label: ind.label,
      groups: sums[k]!.map((g, i) => {
        const hiddenEvents = suppressed[k]!.hidden[i]![0]! || suppressed[k]!.hidden[i]![1]!;
        const hiddenTotal = suppressed[k]!.hidden[i]![2]!;
        return {
          answer: g.answer,
          gps: isSmall(g.gps) ? null : g.gps,
          patients: hiddenTotal ? null : g.patients,
          events: hiddenEvents ? null : g.events,
          percent: hiddenEvents || hiddenTotal || g.patients === 0 ? null : (100 * g.events) / g.patients,
        };
      }),
    }));
    if (suppressed.some((s) => s.hidden.some((row) => row.some(Boolean))))
      notes.push(
        `Counts from 1 to ${SMALL_CELL_THRESHOLD - 1}, and counts that would reveal them, are hidden.`
      );

    // Mixed models: the answer (contrast vs the rest) as a GP-level covariate.
    const modelRows = rows.map((r) => ({
      ...r,
      [ANSWER_COLUMN]: r[ANSWER_COLUMN] === contrast ? 'yes' : 'no',
    }));
    const gpCovariates = [ANSWER_COLUMN, ...GP_CHARACTERISTICS.map((c) => c.column)];
    const wanted = options.modelIndicators ?? ['tt', 'ad', 'sl', 'ref'];
    const requests: GpModelRequest[] = inds
      .filter((i) => wanted.includes(i.key))
      .map((i) => ({
        key: i.key,
        events: i.events,
        trials: i.denom,
        patientCovariates: ['sex', 'age_group', 'edu_group'],
        gpCovariates,
        group: 'gp',
      }));
    const term = `${ANSWER_COLUMN}yes`;
    const fitted = modelRows.length ? fitGpModels(modelRows, requests) : [];
    const models: LinkedModel[] = requests.map((req) => {
      const result = fitted.find((f) => f.key === req.key);
      const label = inds.find((i) => i.key === req.key)!.label;
      const effect = result?.adjusted?.fixedEffects.find((f) => f.name === term);
      const z = 1.959963984540054;
      return {
        indicator: req.key,
        label,
        term: `${item} = ${contrast} (vs other answers)`,
        gps: result && result.gps >= MIN_GPS ? result.gps : null,
        patients: result && result.gps >= MIN_GPS ? result.patients : null,
        estimate: effect?.estimate ?? null,
        se: effect?.se ?? null,
        lower: effect ? effect.estimate - z * effect.se : null,
        upper: effect ? effect.estimate + z * effect.se : null,
        oddsRatio: effect?.oddsRatio ?? null,
        oddsRatioLower: effect?.oddsRatioLower ?? null,
        oddsRatioUpper: effect?.oddsRatioUpper ?? null,
        pValue: effect?.pValue ?? null,
        gpVariance: result?.adjusted?.variance.estimate ?? null,
        covariates: ['patient sex, age group, education', ...GP_CHARACTERISTICS.map((c) => c.label)],
        error: modelError(result, effect !== undefined, term),
      };
    });
    return {
      format: 'gpdep-survey-linkage-results/1',
      item,
      contrast,
      answers: order,
      counts: {
        answered: isSmall(answered.length) ? null : answered.length,
        linked: isSmall(linked.length) ? null : linked.length,
        withPatients: isSmall(withPatients) ? null : withPatients,
      },
      params: { indexFrom: p.indexFrom, indexTo: p.indexTo },
      rates,
      models,
      notes,
    };
  } finally {
    duck.close();
  }
}
