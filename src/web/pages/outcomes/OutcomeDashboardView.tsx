/**
 * An outcome dashboard (issue 17), shared by the GP's "My results", the practice page and the
 * researcher's "Platform results": the implementation funnel, NHS Talking Therapies outcome rates,
 * funnel plots against all GPs (anonymous points) and equity of uptake. Every figure has one short
 * sentence saying what it means; a dash is a figure hidden because it is small (docs/outcomes.md).
 * Words are in the shared locales ("outcomes"), since two faces use them.
 */
import { Heading, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { DashboardComparison, OutcomeDashboard } from '../../../contract/outcomes.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatNumber } from '../../format.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { FunnelPlot } from '../research/FunnelPlot.js';
import './OutcomeDashboardView.css';

const DASH = '–';

type Flag = 'below' | 'inside' | 'above';

/** The outermost limit the GP's own point lies beyond. */
function flagKey(flag95: Flag, flag998: Flag | null): Flag | 'above998' | 'below998' {
  if (flag998 && flag998 !== 'inside') return flag998 === 'above' ? 'above998' : 'below998';
  return flag95;
}

function usePercent() {
  const language = useLanguage();
  return (share: number | null) =>
    share === null ? DASH : `${formatNumber(Math.round(share * 1000) / 10, language)} %`;
}

function useCount() {
  const language = useLanguage();
  return (count: number | null) => (count === null ? DASH : formatNumber(count, language));
}

/** The funnel and the outcome rates: the two things a GP looks at first. */
export function FunnelAndRates({ data, idPrefix }: { data: OutcomeDashboard; idPrefix: string }) {
  const { t } = useTranslation();
  const percent = usePercent();
  const count = useCount();
  return (
    <div className="outcome-grid">
      <section
        aria-labelledby={`${idPrefix}-funnel`}
        className="outcome-panel"
        data-testid={`${idPrefix}-funnel`}
      >
        <Heading level={3} data-size="2xs" id={`${idPrefix}-funnel`}>
          {t('outcomes.funnel.heading')}
        </Heading>
        <Paragraph data-size="sm">{t('outcomes.funnel.intro')}</Paragraph>
        <TableScroll label={t('outcomes.funnel.heading')}>
          <Table data-size="sm" className="outcome-table">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('outcomes.funnel.stage')}</Table.HeaderCell>
                <Table.HeaderCell>{t('outcomes.funnel.patients')}</Table.HeaderCell>
                <Table.HeaderCell>{t('outcomes.funnel.ofPrevious')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {data.funnel.map((f) => (
                <Table.Row key={f.stage} data-testid={`funnel-${f.stage}`}>
                  <Table.HeaderCell scope="row">{t(`outcomes.stage.${f.stage}`)}</Table.HeaderCell>
                  <Table.Cell>{count(f.count)}</Table.Cell>
                  <Table.Cell>{f.stage === 'recommended' ? '' : percent(f.shareOfPrevious)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </TableScroll>
      </section>
      <section
        aria-labelledby={`${idPrefix}-rates`}
        className="outcome-panel"
        data-testid={`${idPrefix}-rates`}
      >
        <Heading level={3} data-size="2xs" id={`${idPrefix}-rates`}>
          {t('outcomes.rates.heading')}
        </Heading>
        <Paragraph data-size="sm">
          {t('outcomes.rates.intro', {
            finished: count(data.outcomes.finished),
            paired: count(data.outcomes.withPairedScores),
            cases: count(data.outcomes.casesAtStart),
          })}
        </Paragraph>
        <ul className="outcome-rates">
          {data.outcomes.rates.map((r) => (
            <li key={r.outcome} data-testid={`rate-${r.outcome}`}>
              <span className="outcome-rates__value">{percent(r.share)}</span>{' '}
              <span className="outcome-rates__name">{t(`outcomes.rate.${r.outcome}`)}</span>{' '}
              <span className="outcome-rates__n">
                ({count(r.count)} / {count(r.denominator)})
              </span>
              <span className="outcome-rates__help">{t(`outcomes.rateHelp.${r.outcome}`)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Funnel plots: every GP an anonymous point; a GP's own figure said in words beside it. */
export function ComparisonPlots({
  comparison,
  idPrefix,
}: {
  comparison: DashboardComparison;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const percent = usePercent();
  const count = useCount();
  const labels = {
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
  return (
    <section
      aria-labelledby={`${idPrefix}-comparison`}
      className="stack-sm"
      data-testid={`${idPrefix}-comparison`}
    >
      <Heading level={3} data-size="2xs" id={`${idPrefix}-comparison`}>
        {t('outcomes.comparison.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('outcomes.comparison.intro')}</Paragraph>
      <div className="outcome-plots">
        {comparison.map((c) => (
          <figure key={c.indicator} className="outcome-plot" data-testid={`comparison-${c.indicator}`}>
            <figcaption className="outcome-plot__title">{t(`outcomes.indicator.${c.indicator}`)}</figcaption>
            {c.own && (
              <Paragraph data-size="sm" data-testid={`own-${c.indicator}`}>
                {t('outcomes.comparison.own', {
                  percent: percent(c.own.share),
                  count: count(c.own.count),
                  of: count(c.own.denominator),
                })}{' '}
                {c.own.share !== null && c.own.flag95 && (
                  <Tag data-size="sm" data-color={c.own.flag95 === 'inside' ? 'neutral' : 'info'}>
                    {t(`outcomes.comparison.flag.${flagKey(c.own.flag95, c.own.flag998)}`)}
                  </Tag>
                )}
              </Paragraph>
            )}
            {c.plot ? (
              <FunnelPlot
                data={c.plot}
                title={t(`outcomes.indicator.${c.indicator}`)}
                labels={labels}
                summary={[
                  t('registry.funnels.shown', {
                    shown: c.plot.points.length,
                    min: c.plot.minPatients,
                    omitted: c.plot.omitted,
                  }),
                  t('registry.funnels.targetShare', { percent: (100 * c.plot.p0).toFixed(1) }),
                ]}
                width={420}
                height={280}
              />
            ) : (
              <Paragraph data-size="sm">{t('outcomes.comparison.none')}</Paragraph>
            )}
          </figure>
        ))}
      </div>
    </section>
  );
}

/** Equity of uptake by sex, age group, work status and education, with the concentration index. */
export function EquityTables({ data, idPrefix }: { data: OutcomeDashboard; idPrefix: string }) {
  const { t } = useTranslation();
  const percent = usePercent();
  const count = useCount();
  const language = useLanguage();
  const dimensions = ['sex', 'age_group', 'work_status', 'education'] as const;
  return (
    <section aria-labelledby={`${idPrefix}-equity`} className="stack-sm" data-testid={`${idPrefix}-equity`}>
      <Heading level={3} data-size="2xs" id={`${idPrefix}-equity`}>
        {t('outcomes.equity.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('outcomes.equity.intro')}</Paragraph>
      {dimensions.map((dimension) => {
        const rows = data.equity.filter((e) => e.dimension === dimension);
        const groups = rows[0]?.groups.map((g) => g.group) ?? [];
        return (
          <details key={dimension} className="outcome-equity" data-testid={`equity-${dimension}`}>
            <summary>{t(`outcomes.dimension.${dimension}`)}</summary>
            <TableScroll label={t(`outcomes.dimension.${dimension}`)}>
              <Table data-size="sm" className="outcome-table">
                <Table.Head>
                  <Table.Row>
                    <Table.HeaderCell>{t(`outcomes.dimension.${dimension}`)}</Table.HeaderCell>
                    {rows.map((r) => (
                      <Table.HeaderCell key={r.step}>{t(`outcomes.step.${r.step}`)}</Table.HeaderCell>
                    ))}
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {groups.map((group, i) => (
                    <Table.Row key={group}>
                      <Table.HeaderCell scope="row">{t(`outcomes.group.${group}`)}</Table.HeaderCell>
                      {rows.map((r) => {
                        const g = r.groups[i]!;
                        return (
                          <Table.Cell key={r.step}>
                            {percent(g.share)} ({count(g.count)} / {count(g.denominator)})
                          </Table.Cell>
                        );
                      })}
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </TableScroll>
            {dimension === 'education' && (
              <ul className="outcome-ci" data-testid="concentration-index">
                {rows.map((r) => (
                  <li key={r.step}>
                    {t(`outcomes.step.${r.step}`)}:{' '}
                    {r.concentrationIndex
                      ? t('outcomes.equity.ci', {
                          c: formatNumber(Math.round(r.concentrationIndex.estimate * 1000) / 1000, language),
                          lo: formatNumber(Math.round(r.concentrationIndex.lo * 1000) / 1000, language),
                          hi: formatNumber(Math.round(r.concentrationIndex.hi * 1000) / 1000, language),
                        })
                      : t('outcomes.equity.ciNone')}
                  </li>
                ))}
              </ul>
            )}
          </details>
        );
      })}
      <Paragraph data-size="sm">{t('outcomes.equity.ciHelp')}</Paragraph>
    </section>
  );
}

export function SuppressionNote({ threshold }: { threshold: number }) {
  const { t } = useTranslation();
  return (
    <Paragraph data-size="sm" className="outcome-note">
      {t('outcomes.suppressed', { threshold })}
    </Paragraph>
  );
}
