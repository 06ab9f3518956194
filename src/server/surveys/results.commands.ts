/**
 * The researcher's survey results, report and export (issue 14, "Results", "Export"). The
 * statistics are the survey layer's (src/surveys: raking, shares with linearised CIs, disclosure
 * control in cross-tables); this module loads the dataset (dataset.queries.ts), calls it, shapes the
 * answer and audits each use:
 * - results and report: an audited read of aggregates;
 * - export: the researcher enters their password again (reauthenticate); a wrong password is
 *   audited as denied and answers 403 naming the field, and nothing is built; a right one builds
 *   the bundle (data.csv, codebooks, DDI XML, load.R/.do/.sps, README) as one zip, audited as an
 *   export with the version, language and form.
 *
 * The web server runs no registry linkage here (DuckDB over an extract belongs in the CLI,
 * `npm run survey:analyze -- --registry DIR`): the report served is the survey's own.
 */
import { strToU8, zipSync } from 'fflate';
import type {
  SurveyExportBody,
  SurveyResultsQuery,
  SurveyResultsResponse,
} from '../../contract/survey-results.js';
import { SMALL_CELL_THRESHOLD } from '../../registry/stats/suppress.js';
import { analyzeSurvey, type SurveyResults } from '../../surveys/analyze/analyze.js';
import type { SurveyDataset } from '../../surveys/dataset.js';
import { buildSurveyExport } from '../../surveys/export/bundle.js';
import { renderSurveyReport } from '../../surveys/report/html.js';
import { publishResults } from '../../surveys/report/results-json.js';
import type { DataContext } from '../access/data-context.js';
import { verifyPassword } from '../auth/passwords.js';
import { HttpProblem, notFound } from '../problem.js';
import { loadSurveyDataset, loadSurveyFacts, type SurveyFacts } from './dataset.queries.js';

/**
 * The analysis options of the researcher page: the default margins and trimming, and an empty
 * weighting cell merged into its neighbour (and reported) rather than no results at all.
 */
const PAGE_ANALYSIS = { collapse: true } as const;

const finite = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

async function load(
  ctx: DataContext,
  surveyId: string,
  version: string | undefined
): Promise<{ facts: SurveyFacts; dataset: SurveyDataset }> {
  const facts = await loadSurveyFacts(ctx.db, surveyId);
  if (!facts) throw notFound();
  if (version !== undefined && !facts.versions.includes(version))
    throw new HttpProblem(404, 'Not Found', `The survey has no questionnaire version ${version}.`);
  const dataset = await loadSurveyDataset(ctx.db, surveyId, version === undefined ? {} : { version });
  if (!dataset) throw new HttpProblem(404, 'Not Found', 'The survey has no questionnaire yet.');
  return { facts, dataset };
}

function analyse(dataset: SurveyDataset, wave?: string): SurveyResults {
  try {
    return analyzeSurvey(dataset, { ...PAGE_ANALYSIS, ...(wave === undefined ? {} : { wave }) });
  } catch (error) {
    // A frame the weights cannot meet (no respondent at all, say): a conflict the page can show.
    throw new HttpProblem(409, 'Conflict', `The survey cannot be analysed yet: ${(error as Error).message}`);
  }
}

type Share = SurveyResults['items'][number]['shares'][number];

function share(s: Share | { code: string; n: null; unweighted: unknown; weighted: unknown }) {
  const u = s.unweighted as Partial<Share['unweighted']> | null;
  const w = s.weighted as Partial<Share['weighted']> | null;
  return {
    code: s.code,
    n: s.n === null ? null : s.n,
    unweighted: { estimate: finite(u?.estimate), lower: finite(u?.lower), upper: finite(u?.upper) },
    weighted: {
      estimate: finite(w?.estimate),
      lower: finite(w?.lower),
      upper: finite(w?.upper),
      se: finite(w?.se),
    },
  };
}

/** The analysis as the page reads it: hidden cross-table cells null (as results.json has them). */
export function toResultsResponse(facts: SurveyFacts, results: SurveyResults): SurveyResultsResponse {
  const published = publishResults(results, null, '').results;
  const w = results.weighting;
  return {
    surveyId: facts.id,
    kind: facts.kind,
    title: results.title,
    questionnaireVersion: results.questionnaireVersion,
    versions: facts.versions,
    wave: results.wave,
    response: { ...results.response, responseRate: finite(results.response.responseRate) },
    frameComparison: results.frameComparison.map((c) => ({
      attribute: c.attribute,
      rows: c.rows.map((r) => ({
        category: r.category,
        frame: r.frame,
        framePercent: finite(r.framePercent),
        respondents: r.respondents,
        respondentPercent: finite(r.respondentPercent),
        differencePp: finite(r.differencePp),
        weightedPercent: finite(r.weightedPercent),
      })),
    })),
    weighting: w
      ? {
          margins: w.margins,
          converged: w.converged,
          iterations: w.iterations,
          maxRelativeDeviation: w.maxRelativeDeviation,
          collapses: w.collapses,
          trim: w.trim
            ? {
                lower: w.trim.lower,
                upper: w.trim.upper,
                rounds: w.trim.rounds,
                outside: w.trim.outside,
                minRatio: w.trim.minRatio,
                maxRatio: w.trim.maxRatio,
              }
            : null,
          n: w.summary.n,
          minWeight: w.summary.min,
          maxWeight: w.summary.max,
          designEffect: w.summary.designEffect,
          effectiveN: w.summary.effectiveN,
        }
      : null,
    items: results.items.map((item) => ({
      linkId: item.linkId,
      text: item.text,
      type: item.type,
      repeats: item.repeats,
      likert: item.likert,
      options: item.options,
      eligible: item.eligible,
      answered: item.answered,
      missing: item.missing,
      weightedAnswered: finite(item.weightedAnswered),
      shares: item.shares.map(share),
    })),
    crossTables: published.crossTables.map((t) => ({
      item: t.item,
      by: t.by,
      levels: t.levels,
      codes: t.codes,
      cells: t.cells.map((cell, i) => ({
        level: t.levels[i]!,
        answered: (cell.answered as number | null) ?? null,
        shares: cell.shares.map(share),
      })),
    })),
    warnings: results.warnings.map((x) => ({ kind: x.kind, message: x.message })),
    suppressionThreshold: SMALL_CELL_THRESHOLD,
  };
}

/** Weighted and unweighted shares, the frame comparison and the weighting; an audited read. */
export async function surveyResults(
  ctx: DataContext,
  surveyId: string,
  query: SurveyResultsQuery
): Promise<SurveyResultsResponse> {
  const { facts, dataset } = await load(ctx, surveyId, query.version);
  const results = analyse(dataset, query.wave);
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'survey results (aggregates, small cells suppressed)',
    patientIds: [null],
  });
  return toResultsResponse(facts, results);
}

/** The survey's HTML report (nb or en); an audited read. */
export async function surveyReportHtml(
  ctx: DataContext,
  surveyId: string,
  lang: 'nb' | 'en',
  version?: string
): Promise<string> {
  const { facts, dataset } = await load(ctx, surveyId, version);
  const results = analyse(dataset);
  await ctx.recordRead({ action: 'read', dataCategory: 'survey report (aggregates)', patientIds: [null] });
  return renderSurveyReport(
    { results, linked: null, generatedAt: ctx.now.toISOString().slice(0, 10), dataLabel: facts.title },
    lang
  );
}

/**
 * The actor's password, checked again before something sensitive (an export). A wrong password is
 * audited as denied in its own transaction (so it stays logged) and answers 403 naming the field.
 */
export async function reauthenticate(ctx: DataContext, password: string, purpose: string): Promise<void> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['password_hash', 'disabled_at'])
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirst();
  const ok = Boolean(
    user?.password_hash && !user.disabled_at && (await verifyPassword(user.password_hash, password))
  );
  if (ok) return;
  await ctx.recordRead({
    action: 'export',
    dataCategory: `${purpose}: password check failed`,
    patientIds: [null],
    outcome: 'denied',
  });
  throw new HttpProblem(
    403,
    'Forbidden',
    'The password is not right, so nothing was exported. Enter your own password again.',
    [{ field: 'password', reason: 'is not your password' }]
  );
}

export interface SurveyExportZip {
  fileName: string;
  zip: Uint8Array;
  files: string[];
}

/** The export bundle as one zip, after the password check; audited as an export. */
export async function exportSurvey(
  ctx: DataContext,
  surveyId: string,
  body: SurveyExportBody
): Promise<SurveyExportZip> {
  await reauthenticate(ctx, body.password, 'survey export');
  const { dataset } = await load(ctx, surveyId, body.version);
  const files = buildSurveyExport(dataset, { language: body.language, form: body.form });
  const version = dataset.questionnaire.version ?? 'latest';
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) {
    if (content !== undefined) entries[name] = strToU8(content);
  }
  const zip = zipSync(entries, { level: 6, mtime: ctx.now });
  await ctx.recordRead({
    action: 'export',
    dataCategory: `survey export: version ${version}, ${body.form} form, ${body.language}, ${dataset.responses.length} responses`,
    patientIds: [null],
  });
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');
  return {
    fileName: `survey-${surveyId.slice(0, 8)}-v${safe(version)}-${body.form}-${body.language}.zip`,
    zip,
    files: Object.keys(entries),
  };
}
