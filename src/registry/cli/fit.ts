/**
 * `npm run registry:fit -- --data FILE(.csv|.parquet) --outcome COL --fixed COL,COL --group COL
 *   [--nagq K] [--level 0.95] [--interval profile|wald] [--no-modes]`
 *
 * Fits the random-intercept logistic model (src/registry/stats/glmm) to any 0/1 outcome and prints
 * JSON: fixed effects (estimates, standard errors, odds ratios with intervals), the group variance
 * with its interval, ICC, median odds ratio, 80 % interval odds ratios for group-level covariates,
 * the proportional change in variance against the model without fixed effects, and each group's
 * conditional mode with its interval, in group-label order (shrunken effects, not a ranking).
 * Categorical columns become treatment-coded dummies, first level (sorted) as reference, named as
 * R names them (age_group30-49). Errors name the column and the reason, on stderr, exit code 1.
 */
import { parseArgs } from 'node:util';
import { readColumns } from '../import/read-table.js';
import { buildDesign } from '../stats/glmm/design.js';
import { fitGlmm, type GlmmFit } from '../stats/glmm/fit.js';
import { proportionalChangeInVariance } from '../stats/glmm/measures.js';

const USAGE =
  'Usage: registry:fit -- --data FILE(.csv|.parquet) --outcome COL --fixed COL,COL --group COL [--nagq K] [--level 0.95] [--interval profile|wald] [--no-modes]\n';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FitCommandResult {
  data: { file: string; persons: number; events: number; groups: number; pooledRows: number };
  model: { outcome: string; fixed: string[]; group: string; method: string; nAGQ: number; level: number };
  fit: Omit<GlmmFit, 'conditionalModes' | 'covariance'> & {
    conditionalModes?: GlmmFit['conditionalModes'];
  };
  /** The same model without fixed effects (intercept only), for the proportional change in variance. */
  nullModel: { gpVariance: number; logLik: number } | null;
  pcv: number | null;
  levels: Record<string, string[]>;
}

export async function runFitCommand(argv: string[]): Promise<FitCommandResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      outcome: { type: 'string' },
      fixed: { type: 'string', default: '' },
      group: { type: 'string' },
      nagq: { type: 'string', default: '1' },
      level: { type: 'string', default: '0.95' },
      interval: { type: 'string', default: 'profile' },
      'no-modes': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.data) throw new UsageError('--data is required (a .csv or .parquet file)');
  if (!values.outcome) throw new UsageError('--outcome is required (a 0/1 column)');
  if (!values.group) throw new UsageError('--group is required (the grouping column, e.g. the GP)');
  const nAGQ = Number(values.nagq);
  if (!Number.isInteger(nAGQ) || nAGQ < 1 || nAGQ > 100)
    throw new UsageError(`--nagq must be an integer from 1 (Laplace) to 100 (got "${values.nagq}")`);
  const level = Number(values.level);
  if (!(level > 0 && level < 1))
    throw new UsageError(`--level must lie between 0 and 1 (got "${values.level}")`);
  if (values.interval !== 'profile' && values.interval !== 'wald')
    throw new UsageError(`--interval must be "profile" or "wald" (got "${values.interval}")`);
  const fixed = values.fixed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const table = await readColumns(values.data, [values.outcome, values.group, ...fixed]);
  const spec = { outcome: values.outcome, group: values.group };
  const design = buildDesign(table, { ...spec, fixed });
  const fit = fitGlmm(design, { nAGQ, level, varianceInterval: values.interval });
  let nullModel: FitCommandResult['nullModel'] = null;
  let pcv: number | null = null;
  if (fixed.length) {
    const nullFit = fitGlmm(buildDesign(table, { ...spec, fixed: [] }), {
      nAGQ,
      level,
      varianceInterval: 'wald',
    });
    nullModel = { gpVariance: nullFit.gpVariance.estimate, logLik: nullFit.logLik };
    pcv =
      nullFit.gpVariance.estimate > 0
        ? proportionalChangeInVariance(nullFit.gpVariance.estimate, fit.gpVariance.estimate)
        : null;
  }
  const { conditionalModes, covariance: _covariance, ...rest } = fit;
  return {
    data: {
      file: values.data,
      persons: fit.persons,
      events: fit.events,
      groups: fit.groups,
      pooledRows: fit.pooledRows,
    },
    model: { outcome: values.outcome, fixed, group: values.group, method: fit.method, nAGQ, level },
    fit: values['no-modes'] ? rest : { ...rest, conditionalModes },
    nullModel,
    pcv,
    levels: design.levels,
  };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  runFitCommand(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`registry:fit: ${message}\n`);
      if (error instanceof UsageError || (error instanceof Error && error.name === 'TypeError'))
        process.stderr.write(USAGE);
      process.exit(1);
    }
  );
}
