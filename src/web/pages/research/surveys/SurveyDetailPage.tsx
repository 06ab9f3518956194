/**
 * One survey, while it runs (/research/surveys/:surveyId): open or close it, import the sampling
 * frame (checked first, rejects listed by line), send the invitations to a wave, make the
 * waiting-room links (each with its poster), save a new questionnaire version, and watch the response:
 * the funnel (invited → opened → partial → complete, opted out, bounced), responses by day, and
 * respondents against the frame for each frame characteristic, with the difference in percentage
 * points — so non-response bias is seen while the survey is still open.
 */
import { Alert, Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { TableScroll } from '../../../components/TableScroll.js';
import { formatNumber } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { ResponsesByDayChart } from './ResponsesByDayChart.js';
import { InvitationsSection, NewVersionSection, PracticeLinksSection } from './SurveyAdminSections.js';
import { surveysApi, type FrameImportReport, type SurveyMonitoring } from './surveys-api.js';
import './surveys.css';

type FunnelKey = keyof SurveyMonitoring['totals'];
const ATTRIBUTE_KEY_LIST = ['sex', 'age_group', 'region', 'rural', 'specialist', 'list_size_group'] as const;
type AttributeKey = (typeof ATTRIBUTE_KEY_LIST)[number];
const ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(ATTRIBUTE_KEY_LIST);

export function SurveyDetailPage() {
  const { t } = useTranslation();
  const { surveyId = '' } = useParams();
  const detail = useApiData((signal) => surveysApi.detail(surveyId, signal), [surveyId]);
  const monitoring = useApiData((signal) => surveysApi.monitoring(surveyId, signal), [surveyId]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(detail.data?.survey.title ?? t('researchSurveys.heading'));

  const refresh = () => {
    detail.reload();
    monitoring.reload();
  };
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await action();
      refresh();
    } catch (error) {
      setActionError(describeError(t, error));
    } finally {
      setBusy(false);
    }
  };

  if (detail.status === 'error' && !detail.data)
    return <LoadError error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading />;
  const { survey, frameSize, practiceLinks } = detail.data;

  return (
    <div className="page stack-lg">
      <AppLink to="/research">{t('researchSurveys.back')}</AppLink>
      <PageHeading>{survey.title}</PageHeading>
      <Paragraph data-testid="survey-status">
        {t(`researchSurveys.kinds.${survey.kind}`)} · {t(`researchSurveys.statuses.${survey.status}`)} ·{' '}
        {t('researchSurveys.versionN', { version: survey.latestVersion })}
      </Paragraph>
      {actionError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{actionError}</Paragraph>
        </Alert>
      )}
      <div className="survey-actions">
        {survey.status === 'draft' && (
          <Button type="button" disabled={busy} onClick={() => void act(() => surveysApi.open(survey.id))}>
            {t('researchSurveys.open')}
          </Button>
        )}
        {survey.status === 'open' && (
          <Button
            type="button"
            variant="secondary"
            disabled={busy}
            onClick={() => void act(() => surveysApi.close(survey.id))}
          >
            {t('researchSurveys.close')}
          </Button>
        )}
      </div>
      {survey.kind === 'identified' && survey.status !== 'closed' && (
        <FrameImport surveyId={survey.id} frameSize={frameSize} onImported={detail.reload} />
      )}
      {survey.kind === 'identified' && survey.status === 'open' && (
        <InvitationsSection surveyId={survey.id} frameSize={frameSize} onSent={refresh} />
      )}
      {survey.kind === 'anonymous' && (
        <PracticeLinksSection surveyId={survey.id} links={practiceLinks} onCreated={detail.reload} />
      )}
      {survey.status !== 'closed' && <NewVersionSection surveyId={survey.id} onSaved={detail.reload} />}
      {monitoring.status === 'error' && <LoadError error={monitoring.error} onRetry={monitoring.reload} />}
      {monitoring.data && <Monitoring monitoring={monitoring.data} onRefresh={monitoring.reload} />}
    </div>
  );
}

function FrameImport({
  surveyId,
  frameSize,
  onImported,
}: {
  surveyId: string;
  frameSize: number;
  onImported: () => void;
}) {
  const { t } = useTranslation();
  const [csv, setCsv] = useState<string | null>(null);
  const [report, setReport] = useState<FrameImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (text: string, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await surveysApi.importFrame(surveyId, text, dryRun);
      setReport(result);
      if (!dryRun) {
        setCsv(null);
        onImported();
      }
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    await run(text, true);
  };

  return (
    <section aria-labelledby="frame-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="frame-heading">
        {t('researchSurveys.frameHeading')}
      </Heading>
      <Paragraph>{t('researchSurveys.frameIntro', { count: frameSize })}</Paragraph>
      <label className="survey-file">
        <span>{t('researchSurveys.frameFile')}</span>
        <input type="file" accept=".csv,text/csv" onChange={(event) => void onFile(event)} />
      </label>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {report && (
        <div className="stack-sm" data-testid="frame-report" aria-live="polite">
          <Paragraph>
            {report.dryRun
              ? t('researchSurveys.frameChecked', { rows: report.rows, accepted: report.accepted })
              : t('researchSurveys.frameImported', { imported: report.imported })}
          </Paragraph>
          {report.rejected.length > 0 && (
            <TableScroll label={t('researchSurveys.rejectsCaption', { count: report.rejected.length })}>
              <Table>
                <caption>{t('researchSurveys.rejectsCaption', { count: report.rejected.length })}</caption>
                <Table.Head>
                  <Table.Row>
                    <Table.HeaderCell>{t('researchSurveys.line')}</Table.HeaderCell>
                    <Table.HeaderCell>{t('researchSurveys.field')}</Table.HeaderCell>
                    <Table.HeaderCell>{t('researchSurveys.reason')}</Table.HeaderCell>
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {report.rejected.slice(0, 200).map((reject) => (
                    <Table.Row key={`${reject.line}-${reject.field}`}>
                      <Table.Cell>{reject.line}</Table.Cell>
                      <Table.Cell>{reject.field}</Table.Cell>
                      <Table.Cell>{reject.reason}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </TableScroll>
          )}
          {report.dryRun && csv !== null && report.accepted > 0 && (
            <Button type="button" disabled={busy} onClick={() => void run(csv, false)}>
              {t('researchSurveys.frameImport', { count: report.accepted })}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function Monitoring({ monitoring, onRefresh }: { monitoring: SurveyMonitoring; onRefresh: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const n = (value: number) => formatNumber(value, language);
  const percent = (value: number | null) =>
    value === null
      ? '–'
      : `${value.toLocaleString(language === 'nb' ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 1 })} %`;
  const pp = (value: number | null) =>
    value === null
      ? '–'
      : `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toLocaleString(language === 'nb' ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 1 })}`;
  const comparisonCaption = (attribute: string) =>
    t('researchSurveys.comparisonCaption', {
      attribute: ATTRIBUTE_KEYS.has(attribute)
        ? t(`researchSurveys.attributes.${attribute as AttributeKey}`)
        : attribute,
    });
  const totals = monitoring.totals;
  const funnel: [FunnelKey, number][] = [
    ['invited', totals.invited],
    ['sent', totals.sent],
    ['opened', totals.opened],
    ['partial', totals.partial],
    ['complete', totals.complete],
    ['optedOut', totals.optedOut],
    ['bounced', totals.bounced],
  ];
  return (
    <section aria-labelledby="monitoring-heading" className="stack">
      <div className="survey-actions">
        <Heading level={2} data-size="xs" id="monitoring-heading">
          {t('researchSurveys.monitoringHeading')}
        </Heading>
        <Button type="button" variant="tertiary" onClick={onRefresh}>
          {t('researchSurveys.refresh')}
        </Button>
      </div>
      {monitoring.kind === 'identified' && (
        <dl className="survey-funnel" data-testid="survey-funnel">
          {funnel.map(([key, value]) => (
            <div key={key}>
              <dt>{t(`researchSurveys.funnel.${key}`)}</dt>
              <dd data-testid={`funnel-${key}`}>{n(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {monitoring.byPractice.length > 0 && (
        <TableScroll label={t('researchSurveys.byPracticeCaption')}>
          <Table>
            <caption>{t('researchSurveys.byPracticeCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('researchSurveys.practice')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.funnel.partial')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.funnel.complete')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {monitoring.byPractice.map((row) => (
                <Table.Row key={row.practiceName}>
                  <Table.Cell>{row.practiceName}</Table.Cell>
                  <Table.Cell>{n(row.partial)}</Table.Cell>
                  <Table.Cell>{n(row.complete)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </TableScroll>
      )}
      {monitoring.byDay.length > 0 && <ResponsesByDayChart days={monitoring.byDay} />}
      {monitoring.byAttribute.map((breakdown) => (
        <TableScroll key={breakdown.attribute} label={comparisonCaption(breakdown.attribute)}>
          <Table data-testid={`frame-comparison-${breakdown.attribute}`}>
            <caption>
              {t('researchSurveys.comparisonCaption', {
                attribute: t(`researchSurveys.attributes.${breakdown.attribute}`, {
                  defaultValue: breakdown.attribute,
                }),
              })}
            </caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('researchSurveys.level')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.frame')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.framePercent')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.respondentPercent')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.differencePp')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.responseRate')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {breakdown.levels.map((level) => (
                <Table.Row key={level.level}>
                  <Table.HeaderCell scope="row">{level.level}</Table.HeaderCell>
                  <Table.Cell>{n(level.frame)}</Table.Cell>
                  <Table.Cell>{percent(level.framePercent)}</Table.Cell>
                  <Table.Cell>{percent(level.respondentPercent)}</Table.Cell>
                  <Table.Cell>{pp(level.differencePp)}</Table.Cell>
                  <Table.Cell>{percent(level.responseRate)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </TableScroll>
      ))}
    </section>
  );
}
