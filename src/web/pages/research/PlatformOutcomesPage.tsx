/**
 * "Platform results" for researchers (issue 17): the implementation funnel, outcome rates, funnel
 * plots with every GP an anonymous point, and equity of uptake for the whole platform. Aggregates
 * only; small figures hidden; no GP is named (docs/outcomes.md).
 */
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { AppLink } from '../../components/AppLink.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import {
  ComparisonPlots,
  EquityTables,
  FunnelAndRates,
  SuppressionNote,
} from '../outcomes/OutcomeDashboardView.js';
import './PlatformOutcomesPage.css';

export function PlatformOutcomesPage() {
  const { t } = useTranslation();
  usePageTitle(t('research.outcomesTitle'));
  const data = useApiData((signal) => api.getPlatformOutcomes(signal), []);
  return (
    <div className="page stack-lg platform-outcomes" data-testid="platform-results">
      <div className="stack-sm">
        <AppLink to="/research">{t('research.title')}</AppLink>
        <PageHeading>{t('research.outcomesTitle')}</PageHeading>
        <Paragraph className="page-subtitle">{t('research.outcomesIntro')}</Paragraph>
      </div>
      {data.status === 'error' && <LoadError error={data.error} onRetry={data.reload} />}
      {!data.data && data.status === 'loading' && <Loading />}
      {data.data && (
        <>
          <FunnelAndRates data={data.data.platform} idPrefix="platform" />
          <ComparisonPlots comparison={data.data.comparison} idPrefix="platform" />
          <EquityTables data={data.data.platform} idPrefix="platform" />
          <SuppressionNote threshold={data.data.platform.suppressionThreshold} />
        </>
      )}
    </div>
  );
}
