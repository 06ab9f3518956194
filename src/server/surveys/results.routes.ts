/**
 * The researcher's survey results, report and export, HTTP only (results.commands.ts does the
 * work and the auditing). Registered by app.ts as a plugin of its own:
 *   GET  /api/research/surveys/:surveyId/results        weighted and unweighted shares, frame, deff
 *   GET  /api/research/surveys/:surveyId/report?lang=   the HTML report, sandboxed (no scripts)
 *   POST /api/research/surveys/:surveyId/export         one zip of the export; needs the password
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  SurveyExportBody,
  SurveyReportQuery,
  SurveyResultsParams,
  SurveyResultsQuery,
  SurveyResultsResponse,
} from '../../contract/survey-results.js';
import { commonErrors } from '../schemas.js';
import { exportSurvey, surveyReportHtml, surveyResults } from './results.commands.js';

/** The report is our own static HTML with inline CSS and SVG: no scripts may run in it at all. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

const RESEARCHER = { roles: ['researcher'] } as const;
const errors = { ...commonErrors, 409: commonErrors[400] };

export interface SurveyResultsOptions {
  /** Export attempts (password guesses) per client per minute; as at login. */
  exportRateLimit?: number;
}

const surveyResultsRoutes: FastifyPluginAsyncTypebox<SurveyResultsOptions> = async (app, options) => {
  app.get(
    '/api/research/surveys/:surveyId/results',
    {
      config: { access: RESEARCHER },
      schema: {
        params: SurveyResultsParams,
        querystring: SurveyResultsQuery,
        response: { 200: SurveyResultsResponse, ...errors },
      },
    },
    async (request) => surveyResults(request.data, request.params.surveyId, request.query)
  );

  app.get(
    '/api/research/surveys/:surveyId/report',
    {
      config: { access: RESEARCHER },
      schema: { params: SurveyResultsParams, querystring: SurveyReportQuery },
    },
    async (request, reply) => {
      const html = await surveyReportHtml(
        request.data,
        request.params.surveyId,
        request.query.lang ?? 'en',
        request.query.version
      );
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', REPORT_CSP)
        .header('cache-control', 'no-store')
        .send(html);
    }
  );

  app.post(
    '/api/research/surveys/:surveyId/export',
    {
      config: {
        // Data leaving the platform: a fresh re-authentication first (domain/access/step-up.ts).
        access: { ...RESEARCHER, stepUp: 'export' },
        // Password guesses are slowed here as at login.
        rateLimit: { max: options.exportRateLimit ?? 10, timeWindow: '1 minute' },
      },
      schema: { params: SurveyResultsParams, body: SurveyExportBody },
    },
    async (request, reply) => {
      const exported = await exportSurvey(request.data, request.params.surveyId, request.body);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${exported.fileName}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(exported.zip));
    }
  );
};

export default surveyResultsRoutes;
