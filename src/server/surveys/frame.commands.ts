/**
 * Imports a sampling frame into an identified survey (issue 14, "Sampling frame"): the CSV is read
 * with row-level rejects (frame-csv.ts); the accepted rows are stored in one transaction with the
 * audit line, so a fatal problem (the file as a whole, or anything failing on the way) stores
 * nothing at all. Registry keys go to the separate linkage table, never into the frame.
 * A dry run reports the same and stores nothing.
 */
import type { FrameImportBody, FrameImportReport } from '../../contract/surveys.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem } from '../problem.js';
import { parseFrameCsv } from './frame-csv.js';
import { lockSurvey } from './surveys.commands.js';

export async function importFrame(
  ctx: DataContext,
  surveyId: string,
  body: FrameImportBody
): Promise<FrameImportReport> {
  return ctx.withAudit(async (trx, audit) => {
    const survey = await lockSurvey(trx, surveyId);
    if (survey.kind !== 'identified') {
      throw new HttpProblem(
        409,
        'Conflict',
        'An anonymous survey has no sampling frame: respondents come through practice links.'
      );
    }
    const existing = await trx
      .selectFrom('survey_frame_members')
      .select(['frame_id', 'email'])
      .where('survey_id', '=', surveyId)
      .execute();
    const parsed = parseFrameCsv(body.csv, {
      importYear: ctx.now.getUTCFullYear(),
      existing: {
        frameIds: new Set(existing.map((e) => e.frame_id)),
        emails: new Set(existing.map((e) => e.email.toLowerCase())),
      },
    });
    if (!parsed.ok) {
      throw new HttpProblem(
        400,
        'Bad Request',
        `The frame file cannot be read (line ${parsed.line}): ${parsed.reason}. Nothing was imported.`,
        [{ field: `csv line ${parsed.line} ${parsed.field}`, reason: parsed.reason }]
      );
    }
    const dryRun = body.dryRun === true;
    const withKeys = parsed.members.filter((m) => m.registryKey !== null);
    if (!dryRun) {
      for (let i = 0; i < parsed.members.length; i += 500) {
        await trx
          .insertInto('survey_frame_members')
          .values(
            parsed.members.slice(i, i + 500).map((m) => ({
              survey_id: surveyId,
              frame_id: m.frameId,
              email: m.email,
              attributes: JSON.stringify(m.attributes),
              imported_at: ctx.now,
            }))
          )
          .execute();
      }
      for (let i = 0; i < withKeys.length; i += 1000) {
        await trx
          .insertInto('survey_linkage_keys')
          .values(
            withKeys
              .slice(i, i + 1000)
              .map((m) => ({ survey_id: surveyId, frame_id: m.frameId, registry_key: m.registryKey! }))
          )
          .execute();
      }
    }
    audit({
      action: dryRun ? 'read' : 'create',
      dataCategory: dryRun
        ? 'survey frame checked (dry run)'
        : `survey frame imported: ${parsed.members.length} rows, ${parsed.rejected.length} rejects`,
      patientIds: [null],
    });
    return {
      rows: parsed.rows,
      accepted: parsed.members.length,
      imported: dryRun ? 0 : parsed.members.length,
      rejected: parsed.rejected,
      linkageKeys: dryRun ? 0 : withKeys.length,
      ignoredColumns: parsed.ignoredColumns,
      dryRun,
    };
  });
}
