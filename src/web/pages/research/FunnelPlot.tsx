/**
 * A funnel plot of a GP-level indicator as inline SVG: the same geometry as the HTML report's
 * (registry/report/funnel-geometry.ts), drawn with React. The SVG is one image to assistive
 * technology (role="img", <title>, <desc>); the same summary is printed below it as visible text, so
 * nobody depends on reading the chart. Points have no labels or tooltips: GPs stay anonymous.
 */
import { useId, useMemo } from 'react';
import {
  FUNNEL_POINT_STYLE,
  FUNNEL_STYLES,
  funnelGeometry,
  r1,
  type FunnelLabels,
  type FunnelPlotData,
} from '../../../registry/report/funnel-geometry.js';

export interface FunnelPlotProps {
  /** Output of prepareFunnelPlot (coarsened points, limit curves, summary). */
  data: FunnelPlotData;
  /** Names the indicator, e.g. "Talking therapy within 12 months". */
  title: string;
  /** Replacement labels (for translation). */
  labels?: Partial<FunnelLabels>;
  /** Replacement text alternative, one sentence per entry (for translation); default: English. */
  summary?: string[];
  width?: number;
  height?: number;
}

export function FunnelPlot({ data, title, labels, summary, width, height }: FunnelPlotProps) {
  const id = useId();
  const g = useMemo(
    () =>
      funnelGeometry(data, {
        ...(labels ? { labels } : {}),
        ...(width ? { width } : {}),
        ...(height ? { height } : {}),
      }),
    [data, labels, width, height]
  );
  const { plot } = g;
  const ps = FUNNEL_POINT_STYLE;
  return (
    <figure style={{ margin: 0 }}>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${g.width} ${g.height}`}
        width="100%"
        style={{ maxWidth: g.width, height: 'auto', display: 'block' }}
        role="img"
        aria-labelledby={`${id}t ${id}d`}
        fontFamily="system-ui, sans-serif"
        fontSize={12}
      >
        <title id={`${id}t`}>{title}</title>
        <desc id={`${id}d`}>{summary ? summary.join(' ') : g.desc}</desc>
        <g stroke="#e3e3e3">
          {g.yTicks.map((t) => (
            <line key={`gy${t.value}`} x1={plot.left} x2={plot.right} y1={t.pos} y2={t.pos} />
          ))}
          {g.xTicks.map((t) => (
            <line key={`gx${t.value}`} x1={t.pos} x2={t.pos} y1={plot.top} y2={plot.bottom} />
          ))}
        </g>
        <g fill="#222">
          {g.yTicks.map((t) => (
            <text key={`ty${t.value}`} x={plot.left - 6} y={r1(t.pos + 4)} textAnchor="end">
              {t.label}
            </text>
          ))}
          {g.xTicks.map((t) => (
            <text key={`tx${t.value}`} x={t.pos} y={plot.bottom + 16} textAnchor="middle">
              {t.label}
            </text>
          ))}
          <text x={g.xLabel.x} y={g.xLabel.y} textAnchor="middle">
            {g.xLabel.text}
          </text>
          <text
            x={g.yLabel.x}
            y={g.yLabel.y}
            transform={`rotate(-90 ${g.yLabel.x} ${g.yLabel.y})`}
            textAnchor="middle"
          >
            {g.yLabel.text}
          </text>
        </g>
        <path
          d={`M${plot.left},${plot.top}V${plot.bottom}H${plot.right}`}
          fill="none"
          stroke="#555"
          strokeWidth={1}
        />
        <g fill={ps.fill} fillOpacity={ps.fillOpacity} stroke={ps.stroke} strokeWidth={ps.strokeWidth}>
          {g.points.map((p, i) => (
            // Points are sorted by (x, y) and carry nothing else, so the index is a stable key.
            <circle key={i} cx={p.cx} cy={p.cy} r={ps.r} />
          ))}
        </g>
        {g.series.map((s) =>
          s.d ? (
            <path
              key={s.key}
              d={s.d}
              fill="none"
              stroke={s.stroke}
              strokeWidth={s.strokeWidth}
              strokeDasharray={s.dash ?? undefined}
            />
          ) : null
        )}
        {g.legend.map((e) => (
          <g key={e.key}>
            {e.key === 'points' ? (
              <circle
                cx={r1((e.sample.x1 + e.sample.x2) / 2)}
                cy={e.sample.y}
                r={ps.r + 0.5}
                fill={ps.fill}
                fillOpacity={ps.fillOpacity}
                stroke={ps.stroke}
                strokeWidth={ps.strokeWidth}
              />
            ) : (
              <line
                x1={e.sample.x1}
                x2={e.sample.x2}
                y1={e.sample.y}
                y2={e.sample.y}
                stroke={FUNNEL_STYLES[e.key].stroke}
                strokeWidth={FUNNEL_STYLES[e.key].strokeWidth}
                strokeDasharray={FUNNEL_STYLES[e.key].dash ?? undefined}
              />
            )}
            <text x={e.textX} y={e.textY} fill="#222">
              {e.lines.map((line, i) => (
                <tspan key={i} x={e.textX} dy={i === 0 ? 0 : g.lineHeight}>
                  {line}
                </tspan>
              ))}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        {(summary ?? g.summary).map((sentence) => (
          <p key={sentence} style={{ margin: '0.25em 0' }}>
            {sentence}
          </p>
        ))}
      </figcaption>
    </figure>
  );
}
