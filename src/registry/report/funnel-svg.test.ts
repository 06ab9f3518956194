import { describe, expect, it } from 'vitest';
import { prepareFunnelPlot, type FunnelUnit } from '../stats/funnel.js';
import { DEFAULT_FUNNEL_LABELS, funnelGeometry, wrapWords } from './funnel-geometry.js';
import { funnelPlotSvg } from './funnel-svg.js';

/** Deterministic GPs: list sizes 3..~400, shares around 30 % with some spread. */
function units(count: number, share = 0.3): FunnelUnit[] {
  let s = 12345;
  const u = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => {
    const n = 3 + Math.floor(u() * 400);
    const p = Math.min(1, Math.max(0, share + (u() - 0.5) * 0.2));
    let observed = 0;
    for (let i = 0; i < n; i++) if (u() < p) observed++;
    return { n, observed };
  });
}

/** A tiny well-formedness check: tags nest and close, attributes are quoted, text has no raw '<' or '&'. */
function checkXml(xml: string): { tags: Map<string, number> } {
  const stack: string[] = [];
  const tags = new Map<string, number>();
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(xml)) !== null) {
    pos = re.lastIndex;
    const [, close, name, , selfClose, text] = m;
    if (text !== undefined) {
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      continue;
    }
    if (close) {
      expect(stack.pop()).toBe(name);
      continue;
    }
    tags.set(name!, (tags.get(name!) ?? 0) + 1); // opening and self-closing tags only
    if (!selfClose) stack.push(name!);
  }
  expect(pos).toBe(xml.length); // every character was consumed by a tag or text
  expect(stack).toEqual([]);
  return { tags };
}

describe('funnel geometry', () => {
  const data = prepareFunnelPlot(units(600));
  const g = funnelGeometry(data);

  it('axes: x from 0 to the nice end, y ticks cover every point and limit', () => {
    expect(g.xTicks[0]!.value).toBe(0);
    expect(g.xTicks[0]!.pos).toBe(g.plot.left);
    expect(g.xTicks.at(-1)!.value).toBeLessThanOrEqual(data.xMax);
    const yVals = [
      ...data.points.map((p) => p.y),
      ...data.curves.flatMap((c) => [100 * c.exact998.lower, 100 * c.exact998.upper]),
    ];
    expect(g.yTicks[0]!.value).toBeLessThanOrEqual(Math.min(...yVals));
    expect(g.yTicks.at(-1)!.value).toBeGreaterThanOrEqual(Math.max(...yVals));
  });

  it('points and paths lie inside the plot area, rounded to 0.1', () => {
    expect(g.points).toHaveLength(data.points.length);
    for (const p of g.points) {
      expect(p.cx).toBeGreaterThanOrEqual(g.plot.left);
      expect(p.cx).toBeLessThanOrEqual(g.plot.right);
      expect(p.cy).toBeGreaterThanOrEqual(g.plot.top);
      expect(p.cy).toBeLessThanOrEqual(g.plot.bottom);
    }
    for (const s of g.series) {
      expect(s.d).toMatch(/^(M[\d.]+,[\d.]+(L[\d.]+,[\d.]+( [\d.]+,[\d.]+)*)? ?)+$/);
      expect(s.d).not.toMatch(/\.\d\d/);
    }
    expect(g.series.map((s) => s.key).sort()).toEqual([
      'additive998',
      'exact95',
      'exact998',
      'multiplicative998',
      'target',
    ]);
    // Lines differ by pattern, not only colour.
    expect(new Set(g.series.map((s) => s.dash)).size).toBe(5);
  });

  it('text alternative names GPs shown, target, φ, τ² and counts outside', () => {
    expect(g.desc).toContain(`${data.points.length} GPs shown`);
    expect(g.desc).toContain(`${data.omitted} GPs with fewer patients left out`);
    expect(g.desc).toContain(`${(100 * data.p0).toFixed(1)} %`);
    expect(g.desc).toMatch(/φ = \d+\.\d\d \(10 % winsorised/);
    expect(g.desc).toMatch(/τ² = /);
    expect(g.desc).toMatch(/outside the exact 95 % limits/);
    expect(g.desc).toMatch(/outside the 99.8 % limits allowing for between-GP variation/);
  });

  it('labels can be replaced (for translation); risk-adjusted data gets its own axis label', () => {
    const h = funnelGeometry(data, { labels: { xAxis: 'Pasienter per lege' } });
    expect(h.xLabel.text).toBe('Pasienter per lege');
    const adjusted = prepareFunnelPlot(units(50).map((x) => ({ ...x, expected: x.n * 0.3 })));
    expect(funnelGeometry(adjusted).yLabel.text).toBe(DEFAULT_FUNNEL_LABELS.yAxisAdjusted);
    expect(wrapWords('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
  });
});

describe('funnelPlotSvg', () => {
  it('is well-formed, accessible, free of NaN, and draws one circle per point', () => {
    const data = prepareFunnelPlot(units(600));
    const svg = funnelPlotSvg(data, { title: 'Talking therapy <12 months> & GPs', id: 'f1' });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="f1t f1d"/);
    expect(svg).toContain('<title id="f1t">Talking therapy &lt;12 months&gt; &amp; GPs</title>');
    expect(svg).toMatch(/<desc id="f1d">\d+ GPs shown/);
    expect(svg).not.toMatch(/NaN|undefined|Infinity|null/);
    const { tags } = checkXml(svg);
    expect(tags.get('svg')).toBe(1);
    expect(tags.get('title')).toBe(1);
    expect(tags.get('desc')).toBe(1);
    // One circle per point plus the legend's sample dot.
    expect(tags.get('circle')).toBe(data.points.length + 1);
    for (const label of [DEFAULT_FUNNEL_LABELS.exact95, DEFAULT_FUNNEL_LABELS.exact998])
      expect(svg).toContain(label);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('stroke-dasharray="2 3"');
    // Coordinates keep at most one decimal.
    for (const m of svg.matchAll(/ (?:cx|cy|x|y|x1|x2|y1|y2|d)="([^"]*)"/g))
      expect(m[1]).not.toMatch(/\d\.\d\d/);
  });

  it('stays small: under 100 bytes per GP for 2,000 GPs', () => {
    const data = prepareFunnelPlot(units(2000));
    const svg = funnelPlotSvg(data, { title: 'Size' });
    expect(svg.length / 2000).toBeLessThan(100);
  });

  it('draws an empty plot when every GP is below the minimum, and unique ids by default', () => {
    const data = prepareFunnelPlot(units(20), { minPatients: 1000 });
    expect(data.points).toHaveLength(0);
    const a = funnelPlotSvg(data, { title: 'Empty' });
    const b = funnelPlotSvg(data, { title: 'Empty' });
    expect(a).toContain('0 GPs shown');
    expect(a).not.toMatch(/NaN|undefined|Infinity/);
    checkXml(a);
    const idOf = (s: string) => /aria-labelledby="([^ ]+)t /.exec(s)![1];
    expect(idOf(a)).not.toBe(idOf(b));
  });

  it('handles a target of 0 % without NaN', () => {
    const data = prepareFunnelPlot([
      { n: 20, observed: 0 },
      { n: 40, observed: 0 },
      { n: 80, observed: 0 },
    ]);
    const svg = funnelPlotSvg(data, { title: 'None' });
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    checkXml(svg);
  });
});
