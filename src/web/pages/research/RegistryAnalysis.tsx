/**
 * The registry analysis on the researcher page: runs the GP-DEP analysis on the configured data
 * folder (the synthetic national twin, or a real extract inside a secure server), shows progress
 * while it runs, and opens the report (aggregates only, small cells suppressed).
 */
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistryFunnels, RegistryRunStarted, RegistryStatus } from '../../../contract/research.js';
import { apiRequest, ApiError } from '../../api/client.js';
import { FunnelPlot } from './FunnelPlot.js';

type PublishedFunnel = RegistryFunnels['funnels'][number];

const fetchStatus = (signal?: AbortSignal) =>
  apiRequest<RegistryStatus>('GET', '/api/research/registry', signal ? { signal } : {});

export function RegistryAnalysis() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<RegistryStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const next = await fetchStatus(signal);
        setStatus(next);
      } catch (error) {
        if (!signal?.aborted) {
          setProblem(
            error instanceof ApiError ? (error.problem.detail ?? error.message) : t('registry.loadFailed')
          );
        }
      }
    },
    [t]
  );

  useEffect(() => {
    const controller = new AbortController();
    const first = setTimeout(() => void refresh(controller.signal), 0);
    return () => {
      clearTimeout(first);
      controller.abort();
    };
  }, [refresh]);

  // Poll once a second while a run is going.
  const running = status?.run?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refresh(), 1000);
    return () => clearInterval(timer);
  }, [running, refresh]);

  const start = async () => {
    setProblem(null);
    try {
      await apiRequest<RegistryRunStarted>('POST', '/api/research/registry/runs', {});
      await refresh();
    } catch (error) {
      setProblem(
        error instanceof ApiError ? (error.problem.detail ?? error.message) : t('registry.startFailed')
      );
    }
  };

  const run = status?.run ?? null;
  const doneRunId = run?.status === 'done' ? run.id : null;
  const [funnels, setFunnels] = useState<{ runId: string; items: PublishedFunnel[] } | null>(null);
  useEffect(() => {
    if (!doneRunId) return;
    const controller = new AbortController();
    apiRequest<RegistryFunnels>('GET', '/api/research/registry/funnels', {
      signal: controller.signal,
    }).then(
      (body) => setFunnels({ runId: doneRunId, items: body.funnels }),
      () => undefined // the report link still works; the plots are a convenience here
    );
    return () => controller.abort();
  }, [doneRunId]);
  const funnelLabels = {
    xAxis: t('registry.funnels.xAxis'),
    yAxis: t('registry.funnels.yAxis'),
    yAxisAdjusted: t('registry.funnels.yAxisAdjusted'),
    points: t('registry.funnels.points'),
    target: t('registry.funnels.target'),
    exact95: t('registry.funnels.exact95'),
    exact998: t('registry.funnels.exact998'),
    multiplicative998: t('registry.funnels.multiplicative998'),
    additive998: t('registry.funnels.additive998'),
  };
  const funnelSummary = (f: PublishedFunnel): string[] => {
    const s = f.data.summary;
    const out = (k: keyof typeof s.outside) => s.outside[k].above + s.outside[k].below;
    return [
      t('registry.funnels.shown', {
        shown: f.data.points.length,
        min: f.data.minPatients,
        omitted: f.data.omitted,
      }),
      t('registry.funnels.targetShare', { percent: (100 * s.p0).toFixed(1) }),
      t('registry.funnels.overdispersion', { phi: s.phi.toFixed(2), tau2: s.tau2.toPrecision(2) }),
      t('registry.funnels.outside', {
        gps: s.gps,
        exact95: out('exact95'),
        exact998: out('exact998'),
        multiplicative998: out('multiplicative998'),
        additive998: out('additive998'),
      }),
    ];
  };
  const percent = run ? Math.round(run.progress.fraction * 100) : 0;
  return (
    <section aria-labelledby="registry-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="registry-heading">
        {t('registry.heading')}
      </Heading>
      <Paragraph>{t('registry.explanation')}</Paragraph>
      {status && !status.dataPresent && (
        <Alert data-color="warning">
          <Paragraph>{t('registry.noData')}</Paragraph>
        </Alert>
      )}
      {problem && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{problem}</Paragraph>
        </Alert>
      )}
      <div>
        <Button onClick={() => void start()} disabled={!status?.dataPresent || running}>
          {t('registry.run')}
        </Button>
      </div>
      {run && run.status === 'running' && (
        <div className="stack-sm">
          <label htmlFor="registry-progress">
            {t('registry.progress', { percent, step: run.progress.message })}
          </label>
          <progress id="registry-progress" max={100} value={percent}>
            {percent} %
          </progress>
        </div>
      )}
      <div aria-live="polite">
        {run?.status === 'done' && run.summary && (
          <div className="stack-sm">
            <Paragraph>
              {t('registry.done', {
                episodes: run.summary.episodes ?? t('research.suppressed', { threshold: 5 }),
                from: run.summary.indexFrom,
                to: run.summary.indexTo,
                seconds: run.summary.seconds,
              })}
            </Paragraph>
            <Paragraph>
              <a
                href={`/api/research/registry/report?lang=${i18n.language === 'nb' ? 'nb' : 'en'}`}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t('registry.openReport')}
              </a>
            </Paragraph>
          </div>
        )}
        {run?.status === 'done' && funnels?.runId === run.id && funnels.items.length > 0 && (
          <section aria-labelledby="funnels-heading" className="stack-sm">
            <Heading level={3} data-size="2xs" id="funnels-heading">
              {t('registry.funnels.heading')}
            </Heading>
            <Paragraph>{t('registry.funnels.intro')}</Paragraph>
            {funnels.items.map((f) => (
              <FunnelPlot
                key={f.key}
                data={f.data}
                title={t(`registry.funnels.title.${f.key}`, { defaultValue: f.label })}
                labels={funnelLabels}
                summary={funnelSummary(f)}
              />
            ))}
          </section>
        )}
        {run?.status === 'failed' && (
          <Alert data-color="danger">
            <Paragraph>{t('registry.failed', { error: run.error ?? '' })}</Paragraph>
          </Alert>
        )}
      </div>
    </section>
  );
}
