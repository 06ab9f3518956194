/**
 * The GP's own figures (answers "the recommendation was never recorded"): patients by program
 * status, recommendations made, follow-ups given against those due, the share finishing and the
 * mean PHQ-9 change; and the patients behind them.
 */
import { Card, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../components/AppLink.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatNumber } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { Caseload } from '../../../contract/gp.js';
import { gpApi } from './gp-api.js';
import { GpBreadcrumbs, GpSection } from './parts.js';
import { patientPagePath } from './paths.js';
import './CaseloadPage.css';

/** The statuses this page has words for, in its order (the contract sends any string). */
const STATUSES = ['invited', 'active', 'finished', 'stopped'] as const;
type CaseloadStatus = (typeof STATUSES)[number];
const statusRank = (status: string) => (STATUSES as readonly string[]).indexOf(status);
const isCaseloadStatus = (status: string): status is CaseloadStatus => statusRank(status) >= 0;

export function CaseloadPage() {
  const { t } = useTranslation();
  usePageTitle(t('gp.caseload.title'));
  const caseload = useApiData((signal) => gpApi.caseload(signal), []);
  return (
    <div className="page gp-page stack-lg">
      <div className="stack-sm">
        <GpBreadcrumbs crumbs={[{ label: t('gp.nav.caseload') }]} />
        <PageHeading>{t('gp.caseload.heading')}</PageHeading>
        <Paragraph className="page-subtitle">{t('gp.caseload.intro')}</Paragraph>
      </div>
      {caseload.status === 'error' && <LoadError error={caseload.error} onRetry={caseload.reload} />}
      {!caseload.data && caseload.status === 'loading' && <Loading />}
      {caseload.data && <CaseloadView data={caseload.data} />}
    </div>
  );
}

function CaseloadView({ data }: { data: Caseload }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const percent = (share: number) => `${formatNumber(Math.round(share * 100), language)} %`;
  const given = data.followUpsDue > 0 ? data.followUpsHeld / data.followUpsDue : null;
  const figures = [
    {
      id: 'recommendations',
      label: t('gp.caseload.recommendations'),
      value: formatNumber(data.recommendations, language),
      help: t('gp.caseload.recommendationsHelp'),
    },
    {
      id: 'follow-ups',
      label: t('gp.caseload.followUps'),
      value: t('gp.caseload.followUpsValue', { held: data.followUpsHeld, due: data.followUpsDue }),
      help:
        given === null
          ? t('gp.caseload.followUpsHelpNone', { planned: data.followUpsPlanned })
          : t('gp.caseload.followUpsHelp', { percent: percent(given), planned: data.followUpsPlanned }),
    },
    {
      id: 'finishing',
      label: t('gp.caseload.finishing'),
      value: data.shareFinishing === null ? '–' : percent(data.shareFinishing),
      help: t('gp.caseload.finishingHelp'),
    },
    {
      id: 'phq9',
      label: t('gp.caseload.phq9Change'),
      value:
        data.meanPhq9Change === null
          ? '–'
          : `${data.meanPhq9Change > 0 ? '+' : data.meanPhq9Change < 0 ? '−' : ''}${formatNumber(Math.abs(data.meanPhq9Change), language)}`,
      help: t('gp.caseload.phq9ChangeHelp'),
    },
  ];
  return (
    <>
      <GpSection id="figures" title={t('gp.caseload.figuresHeading')}>
        <ul className="figure-grid" data-testid="caseload-figures">
          {figures.map((figure) => (
            <li key={figure.id}>
              <Card data-color="neutral" className="figure">
                <span className="figure__label">{figure.label}</span>
                <span className="figure__value" data-testid={`figure-${figure.id}`}>
                  {figure.value}
                </span>
                <span className="figure__help">{figure.help}</span>
              </Card>
            </li>
          ))}
        </ul>
      </GpSection>
      <GpSection id="by-status" title={t('gp.caseload.byStatusHeading')}>
        <ul className="status-counts">
          {STATUSES.map((status) => (
            <li key={status}>
              <span className="status-counts__value">{data.byStatus[status] ?? 0}</span>
              <span className="status-counts__label">{t(`gp.caseload.status.${status}`)}</span>
            </li>
          ))}
        </ul>
      </GpSection>
      <GpSection id="patients" title={t('gp.caseload.patientsHeading')}>
        {data.patients.length === 0 ? (
          <Paragraph className="muted">{t('gp.caseload.noPatients')}</Paragraph>
        ) : (
          <TableScroll label={t('gp.caseload.patientsCaption')}>
            <Table data-color="neutral" className="data-table" data-testid="caseload-patients">
              <caption>{t('gp.caseload.patientsCaption')}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell scope="col">{t('gp.name')}</Table.HeaderCell>
                  <Table.HeaderCell scope="col">{t('gp.caseload.statusColumn')}</Table.HeaderCell>
                  <Table.HeaderCell scope="col" className="numeric">
                    {t('gp.caseload.modulesColumn')}
                  </Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {[...data.patients]
                  .sort(
                    (a, b) =>
                      statusRank(a.status) - statusRank(b.status) ||
                      a.displayName.localeCompare(b.displayName, language)
                  )
                  .map((patient) => (
                    <Table.Row key={patient.id}>
                      <Table.HeaderCell scope="row">
                        <AppLink to={patientPagePath(patient.id)}>{patient.displayName}</AppLink>
                      </Table.HeaderCell>
                      <Table.Cell>
                        {isCaseloadStatus(patient.status)
                          ? t(`gp.caseload.status.${patient.status}`)
                          : patient.status}
                      </Table.Cell>
                      <Table.Cell className="numeric">
                        {t('gp.caseload.modulesValue', { count: patient.modulesCompleted })}
                      </Table.Cell>
                    </Table.Row>
                  ))}
              </Table.Body>
            </Table>
          </TableScroll>
        )}
      </GpSection>
    </>
  );
}
