/**
 * `npm run bench:survey` — the survey figures of issue 14, printed (never asserted):
 *   1. the respondent API's server time on the embedded database (open, save, submit), p50/p95
 *      over N invited GPs (goal: p95 under 50 ms);
 *   2. invitations queued, and sent per second through a real local SMTP server (smtp-server);
 *   3. export and analysis time for 5,000 invited GPs and 2,000 responses (goal under 5 s each),
 *      by running bench/survey-export.ts and bench/survey-analysis.ts.
 *
 *   npm run bench:survey [-- --respondents 300 --mails 1000]
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SmtpEmailChannel } from '../src/server/notify/channels.js';
import { createSurvey, fieldedSurvey, frameCsv, GP_ANSWERS } from '../src/server/surveys/testing.js';
import { startMailSink } from '../test/support/mail-sink.js';
import { createTestApp } from '../test/support/test-app.js';

const { values } = parseArgs({
  options: { respondents: { type: 'string', default: '300' }, mails: { type: 'string', default: '1000' } },
});
const respondents = Number(values.respondents);
const mails = Number(values.mails);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

// --- 1. respondent API -----------------------------------------------------------------------------
{
  const t = await createTestApp();
  const researcher = await t.login('researcher');
  const { tokens } = await fieldedSurvey(t, researcher, respondents);
  const times: Record<'open' | 'save' | 'submit', number[]> = { open: [], save: [], submit: [] };
  const time = async (
    kind: keyof typeof times,
    call: () => Promise<{ statusCode: number; body: string }>
  ) => {
    const start = performance.now();
    const res = await call();
    times[kind].push(performance.now() - start);
    if (res.statusCode >= 300) throw new Error(`${kind}: ${res.statusCode} ${res.body}`);
  };
  for (const token of tokens) {
    await time('open', () => t.call(null, 'POST', '/api/survey-invitations/open', { body: { token } }));
    await time('save', () =>
      t.call(null, 'PUT', '/api/survey-invitations/answers', {
        body: { token, answers: { 'years-as-gp': [{ valueInteger: 3 }] } },
      })
    );
    await time('submit', () =>
      t.call(null, 'POST', '/api/survey-invitations/submit', { body: { token, answers: GP_ANSWERS } })
    );
  }
  console.log(`respondent API, embedded database, ${tokens.length} invited GPs (goal: p95 < 50 ms)`);
  for (const [kind, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    console.log(
      `  ${kind.padEnd(7)} p50 ${quantile(list, 0.5).toFixed(1)} ms  p95 ${quantile(list, 0.95).toFixed(1)} ms`
    );
  }
  await t.close();
}

// --- 2. invitations through SMTP --------------------------------------------------------------------
{
  const smtp = await startMailSink();
  const t = await createTestApp({
    notificationChannels: [
      new SmtpEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'GP-DEP <survey@gp-dep.test>'),
    ],
  });
  const researcher = await t.login('researcher');
  const surveyId = await createSurvey(t, researcher, { sendRatePerMinute: 10_000 });
  await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/frame`, {
    body: { csv: frameCsv(mails) },
  });
  let start = performance.now();
  await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
  const created = await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/invitations`, {
    body: {},
  });
  const queuedMs = performance.now() - start;
  start = performance.now();
  await t.app.surveyMailer.drain();
  await t.app.surveyMailer.tick();
  const sentMs = performance.now() - start;
  console.log(`invitations (${mails} frame members, rate cap 10,000 a minute)`);
  console.log(
    `  queued ${created.json<{ created: number }>().created} in ${queuedMs.toFixed(0)} ms (${((mails / queuedMs) * 1000).toFixed(0)} per second)`
  );
  console.log(
    `  sent   ${smtp.mails.length} in ${sentMs.toFixed(0)} ms (${((smtp.mails.length / sentMs) * 1000).toFixed(0)} per second over a pooled SMTP connection)`
  );
  await t.close();
  await smtp.close();
}

// --- 3. export and analysis -------------------------------------------------------------------------
for (const script of ['survey-export.ts', 'survey-analysis.ts']) {
  const run = spawnSync('npx', ['tsx', fileURLToPath(new URL(script, import.meta.url))], {
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exitCode = 1;
}
