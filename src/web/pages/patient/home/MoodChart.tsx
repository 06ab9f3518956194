/**
 * "My mood over time": an inline SVG (no chart library) of PHQ-9 totals with the severity bands
 * shaded and named, and the daily mood ratings below on the same time axis. The SVG has a text
 * summary (title and description); the numbers themselves are one click away as tables.
 * Drawn at the container's real width, so text stays readable on a phone.
 */
import { Button, Paragraph, Table } from '@digdir/designsystemet-react';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TableScroll } from '../../../components/TableScroll.js';
import { formatDate, formatShortDate } from '../../../format.js';
import { severityLabel } from '../../../i18n/labels.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { bandOf, buildChartModel, linePath, MOOD_MAX, PHQ9_MAX, type DatedValue } from './chart-model.js';
import { useElementWidth } from '../../../hooks/useElementWidth.js';
import './MoodChart.css';

export function MoodChart({ phq9, mood }: { phq9: DatedValue[]; mood: DatedValue[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [containerRef, width] = useElementWidth<HTMLDivElement>(640);
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const descId = useId();
  const tableId = useId();
  const narrow = width < 520;
  // Wide enough: the band names sit in a right-hand margin, next to their band; otherwise a legend.
  const labelBands = width >= 600;
  const model = useMemo(
    () =>
      buildChartModel(phq9, mood, {
        width,
        marginRight: labelBands ? 220 : 12,
        phq9Height: narrow ? 170 : 210,
        moodHeight: narrow ? 90 : 110,
      }),
    [phq9, mood, width, narrow, labelBands]
  );

  if (phq9.length === 0 && mood.length === 0) {
    return <Paragraph>{t('chart.empty')}</Paragraph>;
  }

  const first = phq9[0];
  const last = phq9.at(-1);
  const lastMood = mood.at(-1);
  const summary = [
    first && last
      ? phq9.length === 1
        ? t('chart.summaryPhq9One', {
            date: formatDate(first.date.toISOString(), language),
            score: first.value,
            severity: severityLabel(t, bandOf(first.value)).toLowerCase(),
          })
        : t('chart.summaryPhq9', {
            count: phq9.length,
            firstDate: formatDate(first.date.toISOString(), language),
            firstScore: first.value,
            lastDate: formatDate(last.date.toISOString(), language),
            lastScore: last.value,
            severity: severityLabel(t, bandOf(last.value)).toLowerCase(),
          })
      : t('chart.summaryNoPhq9'),
    lastMood
      ? t('chart.summaryMood', {
          count: mood.length,
          date: formatDate(lastMood.date.toISOString(), language),
          value: lastMood.value,
        })
      : null,
  ]
    .filter(Boolean)
    .join(' ');

  const phq9Ticks = [0, 5, 10, 15, 20, 27];
  const moodTicks = [0, 5, 10];

  return (
    <figure className="mood-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="mood-chart__caption">
        {t('chart.caption')}
      </figcaption>
      <div ref={containerRef} className="mood-chart__canvas">
        <svg
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          width={model.width}
          height={model.height}
          viewBox={`0 0 ${model.width} ${model.height}`}
          className="mood-chart__svg"
        >
          <desc id={descId}>{summary}</desc>
          {/* PHQ-9 panel: severity bands, grid, line, points */}
          <g aria-hidden="true">
            {model.phq9.bands.map((band) => (
              <g key={band.severity}>
                <rect
                  x={model.plotLeft}
                  y={band.y}
                  width={model.plotRight - model.plotLeft}
                  height={band.height}
                  className={`mood-chart__band mood-chart__band--${band.severity}`}
                />
                {labelBands && (
                  <>
                    <rect
                      x={model.plotRight + 8}
                      y={band.y + band.height / 2 - 5}
                      width={10}
                      height={10}
                      className={`mood-chart__band mood-chart__band--${band.severity} mood-chart__band-key`}
                    />
                    <text
                      x={model.plotRight + 24}
                      y={band.y + band.height / 2}
                      dominantBaseline="middle"
                      className="mood-chart__band-label"
                    >
                      {`${band.from}–${band.to} ${severityLabel(t, band.severity).toLowerCase()}`}
                    </text>
                  </>
                )}
              </g>
            ))}
            {phq9Ticks.map((tick) => (
              <g key={`p${tick}`}>
                <line
                  x1={model.plotLeft - 4}
                  x2={model.plotLeft}
                  y1={model.phq9.y(tick)}
                  y2={model.phq9.y(tick)}
                  className="mood-chart__tick"
                />
                <text
                  x={model.plotLeft - 8}
                  y={model.phq9.y(tick)}
                  dominantBaseline="middle"
                  textAnchor="end"
                  className="mood-chart__axis-label"
                >
                  {tick}
                </text>
              </g>
            ))}
            <text x={model.plotLeft} y={model.phq9.top - 10} className="mood-chart__panel-label">
              {t('chart.phq9Axis', { max: PHQ9_MAX })}
            </text>
            {model.phq9.points.length > 1 && (
              <path d={linePath(model.phq9.points)} className="mood-chart__line mood-chart__line--phq9" />
            )}
            {model.phq9.points.map((point) => (
              <g key={`phq9-${point.date.getTime()}`}>
                <circle
                  cx={point.x}
                  cy={point.y}
                  r={5}
                  className="mood-chart__point mood-chart__point--phq9"
                />
                {model.phq9.points.length <= 14 && (
                  <text x={point.x} y={point.y - 10} textAnchor="middle" className="mood-chart__value">
                    {point.value}
                  </text>
                )}
              </g>
            ))}
          </g>

          {model.mood && (
            <g aria-hidden="true">
              <rect
                x={model.plotLeft}
                y={model.mood.top}
                width={model.plotRight - model.plotLeft}
                height={model.mood.height}
                className="mood-chart__mood-bg"
              />
              <text x={model.plotLeft} y={model.mood.top - 8} className="mood-chart__panel-label">
                {t('chart.moodAxis', { max: MOOD_MAX })}
              </text>
              {moodTicks.map((tick) => (
                <g key={`m${tick}`}>
                  <line
                    x1={model.plotLeft}
                    x2={model.plotRight}
                    y1={model.mood!.y(tick)}
                    y2={model.mood!.y(tick)}
                    className="mood-chart__grid"
                  />
                  <text
                    x={model.plotLeft - 8}
                    y={model.mood!.y(tick)}
                    dominantBaseline="middle"
                    textAnchor="end"
                    className="mood-chart__axis-label"
                  >
                    {tick}
                  </text>
                </g>
              ))}
              {model.mood.points.length > 1 && (
                <path d={linePath(model.mood.points)} className="mood-chart__line mood-chart__line--mood" />
              )}
              {model.mood.points.map((point, index) => (
                <g key={`mood-${point.date.getTime()}-${index}`}>
                  <rect
                    x={point.x - 5}
                    y={point.y - 5}
                    width={10}
                    height={10}
                    className="mood-chart__point mood-chart__point--mood"
                  />
                  {model.mood!.points.length <= 14 && (
                    <text x={point.x} y={point.y - 10} textAnchor="middle" className="mood-chart__value">
                      {point.value}
                    </text>
                  )}
                </g>
              ))}
            </g>
          )}

          <g aria-hidden="true">
            <line
              x1={model.plotLeft}
              x2={model.plotRight}
              y1={model.axisY}
              y2={model.axisY}
              className="mood-chart__axis"
            />
            {model.xTicks.map((tick) => (
              <g key={tick.date.getTime()}>
                <line
                  x1={tick.x}
                  x2={tick.x}
                  y1={model.axisY}
                  y2={model.axisY + 4}
                  className="mood-chart__tick"
                />
                <text x={tick.x} y={model.axisY + 18} textAnchor="middle" className="mood-chart__axis-label">
                  {formatShortDate(tick.date, language)}
                </text>
              </g>
            ))}
          </g>
        </svg>
      </div>
      {!labelBands && (
        <ul className="mood-chart__legend" aria-hidden="true">
          {model.phq9.bands.map((band) => (
            <li key={band.severity}>
              <span className={`mood-chart__swatch mood-chart__swatch--${band.severity}`} />
              {`${band.from}–${band.to}: ${severityLabel(t, band.severity)}`}
            </li>
          ))}
        </ul>
      )}
      <div className="mood-chart__tools">
        <Button
          type="button"
          variant="secondary"
          data-size="sm"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((v) => !v)}
        >
          {showTable ? t('chart.hideTable') : t('chart.showTable')}
        </Button>
      </div>
      <div id={tableId} hidden={!showTable} className="stack-sm">
        {phq9.length > 0 && (
          <TableScroll label={t('chart.phq9TableCaption')}>
            <Table zebra data-color="neutral" className="data-table" data-testid="chart-phq9-table">
              <caption>{t('chart.phq9TableCaption')}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell scope="col">{t('history.date')}</Table.HeaderCell>
                  <Table.HeaderCell scope="col">{t('history.score')}</Table.HeaderCell>
                  <Table.HeaderCell scope="col">{t('history.severity')}</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {phq9.map((point) => (
                  <Table.Row key={point.date.getTime()}>
                    <Table.Cell className="nowrap">
                      {formatDate(point.date.toISOString(), language)}
                    </Table.Cell>
                    <Table.Cell>{point.value}</Table.Cell>
                    <Table.Cell>{severityLabel(t, bandOf(point.value))}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </TableScroll>
        )}
        {mood.length > 0 && (
          <TableScroll label={t('chart.moodTableCaption')}>
            <Table zebra data-color="neutral" className="data-table" data-testid="chart-mood-table">
              <caption>{t('chart.moodTableCaption')}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell scope="col">{t('history.date')}</Table.HeaderCell>
                  <Table.HeaderCell scope="col">{t('chart.moodColumn')}</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {mood.map((point, index) => (
                  <Table.Row key={`${point.date.getTime()}-${index}`}>
                    <Table.Cell className="nowrap">
                      {formatDate(point.date.toISOString(), language)}
                    </Table.Cell>
                    <Table.Cell>{t('chart.moodValue', { value: point.value, max: MOOD_MAX })}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </TableScroll>
        )}
      </div>
    </figure>
  );
}
