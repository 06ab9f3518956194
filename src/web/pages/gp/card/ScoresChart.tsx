/**
 * PHQ-9 and WSAS over time, small, for the follow-up card (answers "no feedback from patients"):
 * two panels on one time axis, the PHQ-9 severity bands and the WSAS bands shaded behind the
 * line, each point labelled with its score. The SVG has a text summary; the numbers are a click
 * away as a table. Drawn at the container's real width, so labels stay readable on a phone.
 */
import { Paragraph, Table } from '@digdir/designsystemet-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { TableScroll } from '../../../components/TableScroll.js';
import { formatDate, formatShortDate } from '../../../format.js';
import { severityLabel } from '../../../i18n/labels.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import type { FollowUpCard } from '../../../../contract/followup.js';
import { chartBands, PHQ9_BANDS, scaleTime, WSAS_BANDS, type Band } from './chart-scale.js';
import { useElementWidth } from '../../../hooks/useElementWidth.js';
import './ScoresChart.css';

interface Point {
  date: Date;
  value: number;
}

export function ScoresChart({ scores }: { scores: FollowUpCard['scores'] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [ref, width] = useElementWidth<HTMLDivElement>(560);
  const titleId = useId();
  const descId = useId();
  const phq9: Point[] = scores.phq9.map((s) => ({ date: new Date(s.answeredAt), value: s.total }));
  const wsas: Point[] = scores.wsas.map((s) => ({ date: new Date(s.answeredAt), value: s.total }));
  const all = [...phq9, ...wsas];

  if (phq9.length === 0 && wsas.length === 0) {
    return <Paragraph className="muted">{t('gp.card.scores.none')}</Paragraph>;
  }

  const narrow = width < 480;
  const left = 34;
  const right = width - (narrow ? 10 : 178);
  const phq9Top = 22;
  const phq9Height = narrow ? 120 : 140;
  const wsasTop = phq9Top + phq9Height + 34;
  const wsasHeight = wsas.length > 0 ? (narrow ? 70 : 80) : 0;
  const axisY = wsas.length > 0 ? wsasTop + wsasHeight : phq9Top + phq9Height;
  const height = axisY + 26;
  const x = scaleTime(
    all.map((p) => p.date),
    left + 10,
    right - 10
  );
  const yPhq9 = (v: number) => phq9Top + phq9Height - (v / 27) * phq9Height;
  const yWsas = (v: number) => wsasTop + wsasHeight - (v / 40) * wsasHeight;
  const ticks = x.ticks(narrow ? 3 : 5);

  const summary = [
    phq9.length > 0
      ? t('gp.card.scores.summaryPhq9', {
          first: phq9[0]!.value,
          firstDate: formatDate(phq9[0]!.date.toISOString(), language),
          last: phq9.at(-1)!.value,
          lastDate: formatDate(phq9.at(-1)!.date.toISOString(), language),
          count: phq9.length,
        })
      : null,
    wsas.length > 0
      ? t('gp.card.scores.summaryWsas', {
          first: wsas[0]!.value,
          last: wsas.at(-1)!.value,
          count: wsas.length,
        })
      : null,
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <figure className="scores-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="ds-sr-only">
        {t('gp.card.scores.caption')}
      </figcaption>
      <div ref={ref} className="scores-chart__canvas">
        <svg
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
        >
          <desc id={descId}>{summary}</desc>
          <g aria-hidden="true">
            <Panel
              label={t('gp.card.scores.phq9Axis')}
              bands={chartBands(PHQ9_BANDS, yPhq9)}
              bandLabel={(band) => severityLabel(t, band.key as Parameters<typeof severityLabel>[1])}
              top={phq9Top}
              left={left}
              right={right}
              showBandLabels={!narrow}
              ticks={[0, 10, 20, 27]}
              y={yPhq9}
              points={phq9.map((p) => ({ x: x.at(p.date), y: yPhq9(p.value), value: p.value }))}
              kind="phq9"
            />
            {wsas.length > 0 && (
              <Panel
                label={t('gp.card.scores.wsasAxis')}
                bands={chartBands(WSAS_BANDS, yWsas)}
                bandLabel={(band) =>
                  t(`gp.card.scores.wsasBand.${band.key as 'subclinical' | 'significant' | 'severe'}`)
                }
                top={wsasTop}
                left={left}
                right={right}
                showBandLabels={!narrow}
                ticks={[0, 20, 40]}
                y={yWsas}
                points={wsas.map((p) => ({ x: x.at(p.date), y: yWsas(p.value), value: p.value }))}
                kind="wsas"
              />
            )}
            <line x1={left} x2={right} y1={axisY} y2={axisY} className="scores-chart__axis" />
            {ticks.map((tick) => (
              <text
                key={tick.getTime()}
                x={x.at(tick)}
                y={axisY + 17}
                textAnchor="middle"
                className="scores-chart__label"
              >
                {formatShortDate(tick, language)}
              </text>
            ))}
          </g>
        </svg>
      </div>
      {narrow && (
        <ul className="scores-chart__legend" aria-hidden="true">
          {PHQ9_BANDS.map((band) => (
            <li key={band.key}>
              <span className={`scores-chart__swatch scores-chart__band--${band.key}`} />
              {`${band.from}–${band.to} ${severityLabel(t, band.key as Parameters<typeof severityLabel>[1]).toLowerCase()}`}
            </li>
          ))}
        </ul>
      )}
      <details className="scores-chart__numbers">
        <summary>{t('gp.card.scores.showNumbers')}</summary>
        <TableScroll label={t('gp.card.scores.tableCaption')}>
          <Table data-color="neutral" data-size="sm" className="data-table">
            <caption>{t('gp.card.scores.tableCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('gp.card.scores.date')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('gp.card.scores.instrument')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('gp.card.scores.score')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {[
                ...scores.phq9.map((s) => ({
                  at: s.answeredAt,
                  name: 'PHQ-9',
                  text: `${s.total} – ${severityLabel(t, s.severity).toLowerCase()}`,
                })),
                ...scores.wsas.map((s) => ({ at: s.answeredAt, name: 'WSAS', text: String(s.total) })),
                ...scores.gad7.map((s) => ({ at: s.answeredAt, name: 'GAD-7', text: String(s.total) })),
              ]
                .sort((a, b) => a.at.localeCompare(b.at))
                .map((row, index) => (
                  <Table.Row key={`${row.at}-${row.name}-${index}`}>
                    <Table.Cell>{formatDate(row.at, language)}</Table.Cell>
                    <Table.Cell>{row.name}</Table.Cell>
                    <Table.Cell>{row.text}</Table.Cell>
                  </Table.Row>
                ))}
            </Table.Body>
          </Table>
        </TableScroll>
      </details>
    </figure>
  );
}

function Panel({
  label,
  bands,
  bandLabel,
  top,
  left,
  right,
  showBandLabels,
  ticks,
  y,
  points,
  kind,
}: {
  label: string;
  bands: (Band & { y: number; height: number })[];
  bandLabel: (band: Band) => string;
  top: number;
  left: number;
  right: number;
  showBandLabels: boolean;
  ticks: number[];
  y: (value: number) => number;
  points: { x: number; y: number; value: number }[];
  kind: 'phq9' | 'wsas';
}) {
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  return (
    <g>
      <text x={left} y={top - 8} className="scores-chart__panel-label">
        {label}
      </text>
      {bands.map((band) => (
        <g key={band.key}>
          <rect
            x={left}
            y={band.y}
            width={right - left}
            height={band.height}
            className={`scores-chart__band scores-chart__band--${band.key}`}
          />
          {showBandLabels && band.height >= 11 && (
            <text
              x={right + 8}
              y={band.y + band.height / 2}
              dominantBaseline="middle"
              className="scores-chart__band-label"
            >
              {`${band.from}–${band.to} ${bandLabel(band).toLowerCase()}`}
            </text>
          )}
        </g>
      ))}
      {ticks.map((tick) => (
        <text
          key={tick}
          x={left - 6}
          y={y(tick)}
          dominantBaseline="middle"
          textAnchor="end"
          className="scores-chart__label"
        >
          {tick}
        </text>
      ))}
      {points.length > 1 && <path d={path} className={`scores-chart__line scores-chart__line--${kind}`} />}
      {points.map((point, index) => (
        <g key={index}>
          <circle
            cx={point.x}
            cy={point.y}
            r={4.5}
            className={`scores-chart__point scores-chart__point--${kind}`}
          />
          <text x={point.x} y={point.y - 9} textAnchor="middle" className="scores-chart__value">
            {point.value}
          </text>
        </g>
      ))}
    </g>
  );
}
