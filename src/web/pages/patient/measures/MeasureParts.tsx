/**
 * Shared parts of the GAD-7 and WSAS pages around the form (InstrumentForm.tsx): the page frame,
 * the instrument's attribution and the result in words.
 */
import { INSTRUMENT_ATTRIBUTIONS } from '../../../../domain/instruments/attributions.js';
import { Alert, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument, Measurement } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { formatDateTime } from '../../../format.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { instrumentName, measurementBandLabel } from '../program-labels.js';
import './MeasureParts.css';

export function MeasurePageFrame({
  instrument,
  title,
  children,
}: {
  instrument: Instrument;
  title: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  usePageTitle(instrumentName(t, instrument));
  return (
    <div className="page stack-md measure-page">
      <nav aria-label={t('module.breadcrumbsLabel')} className="breadcrumbs">
        <ol>
          <li>
            <AppLink to="/patient">{t('header.home')}</AppLink>
          </li>
          <li aria-current="page">{instrumentName(t, instrument)}</li>
        </ol>
      </nav>
      <PageHeading>{title}</PageHeading>
      {children}
      <InstrumentAttribution instrument={instrument} />
    </div>
  );
}

/** The instrument's owner and terms, as they ask to be shown (domain/instruments/attributions.ts). */
export function InstrumentAttribution({ instrument }: { instrument: Instrument }) {
  const language = useLanguage();
  return (
    <Paragraph data-size="xs" className="muted instrument-attribution" data-testid="instrument-attribution">
      {INSTRUMENT_ATTRIBUTIONS[instrument][language]}
    </Paragraph>
  );
}

export function MeasureResult({
  result,
  max,
  explanation,
  extra,
}: {
  result: Measurement;
  max: number;
  explanation: string;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <div className="stack-md">
      <Alert data-color="success" className="phq9-result" data-testid="measure-result">
        <Heading level={2} data-size="xs" ref={headingRef} tabIndex={-1}>
          {t('measure.resultHeading')}
        </Heading>
        <dl className="phq9-result__facts">
          <div>
            <dt>{t('phq9.scoreLabel')}</dt>
            <dd data-testid="measure-result-score">
              {t('history.scoreOf', { score: result.totalScore, max })}
            </dd>
          </div>
          <div>
            <dt>{t('phq9.severityLabel')}</dt>
            <dd data-testid="measure-result-band">
              {measurementBandLabel(t, result.instrument, result.band)}
            </dd>
          </div>
          <div>
            <dt>{t('phq9.answeredAtLabel')}</dt>
            <dd>{formatDateTime(result.answeredAt, language)}</dd>
          </div>
        </dl>
        <Paragraph>{explanation}</Paragraph>
        {extra}
      </Alert>
      <Card data-color="neutral">
        <Paragraph>
          <AppLink to="/patient">{t('measure.backHome')}</AppLink>
        </Paragraph>
      </Card>
    </div>
  );
}
