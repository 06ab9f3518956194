/**
 * "My results" (issue 17): one screen for a busy GP. The funnel from recommendation to finished
 * programme and the outcome rates for their own patients, beside the platform's; funnel plots with
 * every other GP an anonymous point; equity of uptake folded away below. And the practice's
 * aggregate, shown on the practice page. Aggregates only; small figures hidden (docs/outcomes.md).
 */
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
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
import { gpApi } from './gp-api.js';
import { GpBreadcrumbs, GpSection } from './parts.js';
import './OutcomesPage.css';

export function OutcomesPage() {
  const { t } = useTranslation();
  usePageTitle(t('gp.results.title'));
  const data = useApiData((signal) => gpApi.outcomes(signal), []);
  return (
    <div className="page gp-page stack-lg" data-testid="gp-results">
      <div className="stack-sm">
        <GpBreadcrumbs crumbs={[{ label: t('gp.nav.results') }]} />
        <PageHeading>{t('gp.results.title')}</PageHeading>
        <Paragraph className="page-subtitle">{t('gp.results.intro')}</Paragraph>
      </div>
      {data.status === 'error' && <LoadError error={data.error} onRetry={data.reload} />}
      {!data.data && data.status === 'loading' && <Loading />}
      {data.data && (
        <>
          <GpSection id="own" title={t('gp.results.own')} testId="results-own">
            <FunnelAndRates data={data.data.own} idPrefix="own" />
          </GpSection>
          <GpSection id="comparison" title={t('gp.results.platform')} testId="results-platform">
            <div className="stack-lg">
              <FunnelAndRates data={data.data.platform} idPrefix="platform" />
              <ComparisonPlots comparison={data.data.comparison} idPrefix="platform" />
            </div>
          </GpSection>
          <GpSection id="equity" title={t('gp.results.equityHeading')} testId="results-equity">
            <EquityTables data={data.data.own} idPrefix="own" />
          </GpSection>
          <SuppressionNote threshold={data.data.own.suppressionThreshold} />
        </>
      )}
    </div>
  );
}

/** The practice's aggregate on the practice page: funnel and outcome rates, no GP named. */
export function PracticeOutcomesSection() {
  const { t } = useTranslation();
  const data = useApiData((signal) => gpApi.practiceOutcomes(signal), []);
  return (
    <GpSection id="practice-results" title={t('gp.practiceResults.heading')} testId="practice-results">
      <div className="stack-sm">
        <Paragraph data-size="sm">{t('gp.practiceResults.intro')}</Paragraph>
        {data.status === 'error' && <LoadError error={data.error} onRetry={data.reload} />}
        {!data.data && data.status === 'loading' && <Loading />}
        {data.data && (
          <>
            <FunnelAndRates data={data.data.practice} idPrefix="practice" />
            <EquityTables data={data.data.practice} idPrefix="practice" />
            <SuppressionNote threshold={data.data.practice.suppressionThreshold} />
          </>
        )}
      </div>
    </GpSection>
  );
}
