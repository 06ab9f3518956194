/**
 * Responses by day: bars of the complete responses submitted each day and a line of the running
 * total, as one SVG image with a text alternative (the same numbers as a table, one click away).
 */
import { Details, Table } from '@digdir/designsystemet-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { TableScroll } from '../../../components/TableScroll.js';
import type { SurveyMonitoring } from './surveys-api.js';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

export function ResponsesByDayChart({ days }: { days: SurveyMonitoring['byDay'] }) {
  const { t } = useTranslation();
  const titleId = useId();
  const cumulative = days.reduce<number[]>((acc, day) => [...acc, (acc.at(-1) ?? 0) + day.complete], []);
  const total = cumulative.at(-1) ?? 0;
  const maxBar = Math.max(1, ...days.map((day) => day.complete));
  const maxLine = Math.max(1, total);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, days.length);
  const barW = Math.max(1, step * 0.7);
  const line = cumulative
    .map(
      (value, i) =>
        `${(PAD.left + step * (i + 0.5)).toFixed(1)},${(PAD.top + plotH - (value / maxLine) * plotH).toFixed(1)}`
    )
    .join(' ');
  const first = days[0]?.date ?? '';
  const last = days.at(-1)?.date ?? '';
  return (
    <figure className="survey-chart stack-sm">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        className="survey-chart__svg"
      >
        <title id={titleId}>{t('researchSurveys.chartAlt', { total, days: days.length, first, last })}</title>
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          className="survey-chart__axis"
        />
        {days.map((day, i) => {
          const h = (day.complete / maxBar) * plotH;
          return (
            <rect
              key={day.date}
              x={PAD.left + step * i + (step - barW) / 2}
              y={PAD.top + plotH - h}
              width={barW}
              height={h}
              className="survey-chart__bar"
            />
          );
        })}
        <polyline points={line} className="survey-chart__line" fill="none" />
        <text x={PAD.left} y={HEIGHT - 8} className="survey-chart__label">
          {first}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end" className="survey-chart__label">
          {last}
        </text>
      </svg>
      <figcaption>{t('researchSurveys.chartCaption')}</figcaption>
      <Details>
        <Details.Summary>{t('researchSurveys.chartTable')}</Details.Summary>
        <Details.Content>
          <TableScroll label={t('researchSurveys.chartTable')}>
            <Table>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>{t('researchSurveys.date')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('researchSurveys.funnel.sent')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('researchSurveys.funnel.opened')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('researchSurveys.funnel.complete')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('researchSurveys.runningTotal')}</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {days.map((day, i) => (
                  <Table.Row key={day.date}>
                    <Table.Cell>{day.date}</Table.Cell>
                    <Table.Cell>{day.invited}</Table.Cell>
                    <Table.Cell>{day.opened}</Table.Cell>
                    <Table.Cell>{day.complete}</Table.Cell>
                    <Table.Cell>{cumulative[i]}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </TableScroll>
        </Details.Content>
      </Details>
    </figure>
  );
}
