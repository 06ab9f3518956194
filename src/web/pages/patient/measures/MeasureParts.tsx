/**
 * Shared parts of the GAD-7 and WSAS pages: the page frame, the "not answered yet" summary with
 * links to each missing question, the network/server error boxes (answers are kept; a retry
 * reuses the idempotency key so nothing is stored twice) and the result in words.
 */
import { INSTRUMENT_ATTRIBUTIONS } from '../../../../domain/instruments/attributions.js';
import { Alert, Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiError,
  NetworkError,
  newIdempotencyKey,
  type Instrument,
  type Measurement,
} from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { formatDateTime } from '../../../format.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { instrumentName, measurementBandLabel } from '../program-labels.js';

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

export type SubmitState =
  | { kind: 'idle' }
  | { kind: 'submitting' }
  | { kind: 'network-error' }
  | { kind: 'server-error'; message: string }
  | { kind: 'done'; result: Measurement };

/**
 * Submission with an idempotency key that lives as long as the answers are unchanged: a retry
 * after a lost connection cannot store the same answers twice.
 */
export function useMeasureSubmit(send: (key: string) => Promise<Measurement>) {
  const { t } = useTranslation();
  const [state, setState] = useState<SubmitState>({ kind: 'idle' });
  const key = useRef<string | null>(null);
  const [serverFields, setServerFields] = useState<string[]>([]);

  async function submit() {
    key.current ??= newIdempotencyKey();
    setState({ kind: 'submitting' });
    setServerFields([]);
    try {
      const result = await send(key.current);
      key.current = null;
      setState({ kind: 'done', result });
    } catch (error) {
      if (error instanceof NetworkError) {
        setState({ kind: 'network-error' });
        return;
      }
      if (error instanceof ApiError) setServerFields(error.fieldErrors.map((f) => f.field));
      setState({ kind: 'server-error', message: describeError(t, error) });
    }
  }

  return {
    state,
    serverFields,
    submit,
    /** The answers changed: a later submission is a different one. */
    changed: () => {
      key.current = null;
    },
  };
}

export function MissingSummary({
  items,
  focusSignal,
}: {
  items: { id: string; text: string }[];
  focusSignal: number;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusSignal > 0) ref.current?.focus();
  }, [focusSignal]);
  if (items.length === 0) return null;
  return (
    <div ref={ref} tabIndex={-1} className="phq9-summary" data-testid="measure-missing">
      <Alert data-color="danger">
        <Heading level={2} data-size="2xs">
          {t('phq9.missingHeading')}
        </Heading>
        <ul className="phq9-summary__list">
          {items.map((item) => (
            <li key={item.id}>
              <a href={`#${item.id}`} className="ds-link" onClick={(event) => focusGroup(event, item.id)}>
                {item.text}
              </a>
            </li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}

function focusGroup(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const group = document.getElementById(id);
  const input = group?.querySelector<HTMLInputElement>('input:checked, input');
  if (!group || !input) return;
  event.preventDefault();
  group.scrollIntoView({ block: 'start' });
  input.focus({ preventScroll: true });
}

function SubmitErrors({ state, onRetry }: { state: SubmitState; onRetry: () => void }) {
  const { t } = useTranslation();
  if (state.kind === 'network-error')
    return (
      <Alert data-color="danger" role="alert" className="stack-sm" data-testid="measure-network-error">
        <Heading level={2} data-size="2xs">
          {t('phq9.networkErrorHeading')}
        </Heading>
        <Paragraph>{t('phq9.networkError')}</Paragraph>
        <Button type="button" variant="secondary" onClick={onRetry}>
          {t('phq9.retry')}
        </Button>
      </Alert>
    );
  if (state.kind === 'server-error')
    return (
      <Alert data-color="danger" role="alert">
        <Heading level={2} data-size="2xs">
          {t('phq9.serverErrorHeading')}
        </Heading>
        <Paragraph>{state.message}</Paragraph>
      </Alert>
    );
  return null;
}

/** Errors from the last attempt (if any) and the submit button, at the foot of a measure form. */
export function SubmitFooter({ state, onRetry }: { state: SubmitState; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <SubmitErrors state={state} onRetry={onRetry} />
      <div className="phq9-form__actions">
        <Button type="submit" data-color="accent" loading={state.kind === 'submitting'}>
          {state.kind === 'submitting' ? t('phq9.submitting') : t('phq9.submit')}
        </Button>
      </div>
    </>
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
