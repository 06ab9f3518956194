/**
 * Issue 13, item 10: legends are not cut off, and the pathways chart shows "None". Text widths are
 * estimated as svg.ts does (textWidth: CHAR_WIDTH_EM × font size per character, on the wide side
 * of real system-ui metrics); every unrotated <text> (each <tspan> line) must end inside the viewBox.
 */
import { describe, expect, it } from 'vitest';
import { prepareFunnelPlot, type FunnelUnit } from '../stats/funnel.js';
import { funnelPlotSvg } from './funnel-svg.js';
import { NONE_FILL, NONE_STROKE, forestPlot, lineChart, sunburst, textWidth, wrapText } from './svg.js';
import { translator } from './i18n/index.js';

const LONGEST = 'Referral to specialist MH care within 12 months';

const unescape = (s: string) =>
  s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
const attr = (attrs: string, name: string) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];

/** Each text line with its estimated left and right edge, and the viewBox width. */
function textExtents(svg: string): { width: number; lines: { text: string; left: number; right: number }[] } {
  const vb = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  expect(vb).not.toBeNull();
  const width = Number(vb![1]);
  const rootSize = Number(/<svg [^>]*font-size="([\d.]+)"/.exec(svg)?.[1] ?? 12);
  const lines: { text: string; left: number; right: number }[] = [];
  for (const m of svg.matchAll(/<text([^>]*)>(.*?)<\/text>/g)) {
    const [, attrs = '', inner = ''] = m;
    if (attr(attrs, 'transform')) continue; // rotated axis titles run vertically
    const size = Number(attr(attrs, 'font-size') ?? rootSize);
    const anchor = attr(attrs, 'text-anchor') ?? 'start';
    const parts = inner.includes('<tspan')
      ? [...inner.matchAll(/<tspan([^>]*)>(.*?)<\/tspan>/g)].map((t) => ({
          x: Number(attr(t[1]!, 'x') ?? attr(attrs, 'x')),
          text: unescape(t[2]!),
        }))
      : [{ x: Number(attr(attrs, 'x')), text: unescape(inner) }];
    for (const { x, text } of parts) {
      const w = textWidth(text, size);
      const left = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
      lines.push({ text, left, right: left + w });
    }
  }
  return { width, lines };
}

function expectAllInside(svg: string): void {
  const { width, lines } = textExtents(svg);
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) {
    expect(l.left, l.text).toBeGreaterThanOrEqual(0);
    expect(l.right, l.text).toBeLessThanOrEqual(width);
  }
}

const legendTexts = (svg: string) => textExtents(svg).lines.map((l) => l.text);

describe('text width estimate', () => {
  it('counts characters at 0.6 em', () => {
    expect(textWidth('abcde')).toBeCloseTo(36);
    expect(textWidth('ab', 20)).toBeCloseTo(24);
  });
  it('wraps to lines no wider than asked, keeping every word', () => {
    const lines = wrapText(LONGEST, 150);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(150);
    expect(lines.join(' ')).toBe(LONGEST);
  });
});

describe('legends fit their charts', () => {
  it('line chart: long series labels wrap in full, none cut off', () => {
    const labels = [
      'Talking therapy (615) within 12 months',
      'Antidepressant (N06A) within 12 months',
      'Sick leave within 12 months (20-66)',
      LONGEST,
      'None of talking therapy, antidepressant, sick leave',
      'Long consultation (2cd) within 12 months',
    ];
    const svg = lineChart({
      title: 't',
      desc: 'd',
      yLabel: '% of episodes',
      yMax: 100,
      series: labels.map((label, k) => ({
        label,
        points: ['2009', '2010', '2011'].map((x, i) => ({ x, y: 10 * (k + i) })),
      })),
    });
    expectAllInside(svg);
    expect(svg).not.toContain('…');
    const words = legendTexts(svg).join(' ');
    for (const l of labels) expect(words).toContain(l.split(' ').slice(-2).join(' '));
  });

  it('line chart: a single very long word widens the frame', () => {
    const svg = lineChart({
      title: 't',
      desc: 'd',
      yLabel: '%',
      series: [{ label: 'X'.repeat(60), points: [{ x: '2010', y: 5 }] }],
    });
    expectAllInside(svg);
  });

  it('pathways sunburst: legend entries fit, including long event labels', () => {
    const svg = sunburst({
      title: 't',
      desc: 'd',
      sequences: [
        { steps: [['T']], count: 50 },
        { steps: [['R'], ['A']], count: 20 },
        { steps: [], count: 30 },
      ],
      colours: { T: '#0072B2', R: '#CC79A7', A: '#E69F00' },
      labels: { T: 'Talking therapy', R: LONGEST, A: 'Antidepressant' },
    });
    expectAllInside(svg);
    expect(legendTexts(svg).join(' ')).toContain('12 months');
  });

  it('forest plot: long row labels fit on the left', () => {
    const svg = forestPlot({
      title: 't',
      desc: 'd',
      rows: [
        {
          label: `Education: ${'very long level name '.repeat(4)}`.trim(),
          rr: 1.2,
          lo: 0.9,
          hi: 1.5,
          reference: false,
        },
        { label: 'Sex: F', rr: 1, lo: 1, hi: 1, reference: true },
      ],
    });
    expectAllInside(svg);
  });

  it('funnel plot: the wrapped legend ends inside the viewBox', () => {
    let s = 7;
    const u = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const units: FunnelUnit[] = Array.from({ length: 300 }, () => {
      const n = 5 + Math.floor(u() * 300);
      let observed = 0;
      for (let i = 0; i < n; i++) if (u() < 0.3) observed++;
      return { n, observed };
    });
    const svg = funnelPlotSvg(prepareFunnelPlot(units), { title: `${LONGEST}: share by GP` });
    expectAllInside(svg);
  });
});

describe('pathways sunburst frame', () => {
  it('holds every ring of a four-step pathway', () => {
    const svg = sunburst({
      title: 't',
      desc: 'd',
      sequences: [
        { steps: [['S'], ['A'], ['T'], ['R']], count: 30 },
        { steps: [['T']], count: 50 },
      ],
      colours: { T: '#0072B2', A: '#E69F00', S: '#009E73', R: '#CC79A7' },
      labels: { T: 'Talking therapy', A: 'Antidepressant', S: 'Sick leave', R: 'Specialist care' },
    });
    const [, w, h] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!.map(Number);
    for (const m of svg.matchAll(/<path d="([^"]+)"/g))
      for (const [, x, y] of m[1]!.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)) {
        expect(Number(x)).toBeGreaterThanOrEqual(0);
        expect(Number(x)).toBeLessThanOrEqual(w!);
        expect(Number(y)).toBeGreaterThanOrEqual(0);
        expect(Number(y)).toBeLessThanOrEqual(h!);
      }
    expectAllInside(svg);
  });
});

describe('pathways "None" segment', () => {
  const svg = sunburst({
    title: 't',
    desc: 'd',
    sequences: [
      { steps: [['T']], count: 60 },
      { steps: [], count: 40 },
    ],
    colours: { T: '#0072B2' },
    labels: { T: 'Talking therapy' },
  });
  const nonePath =
    /<path [^>]*><title>None of the four: 40 episodes[^<]*<\/title><\/path>/.exec(svg)?.[0] ?? '';

  it('is drawn in a fill and outline that show on a white page, each attribute once', () => {
    expect(nonePath).not.toBe('');
    const attrs = nonePath.slice(0, nonePath.indexOf('>'));
    expect(attrs.match(/ stroke=/g)).toHaveLength(1);
    expect(attr(attrs, 'fill')).toBe(NONE_FILL);
    expect(attr(attrs, 'stroke')).toBe(NONE_STROKE);
    for (const c of [NONE_FILL, NONE_STROKE]) expect(c.toLowerCase()).not.toMatch(/^#(fff|ffffff)$/);
    // No element anywhere has a duplicated attribute (HTML keeps the first, hiding the second).
    for (const tag of svg.matchAll(/<[a-z]+((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g)) {
      const names = [...tag[1]!.matchAll(/([\w:-]+)=/g)].map((n) => n[1]);
      expect(new Set(names).size, tag[0]).toBe(names.length);
    }
  });

  it('is labelled on the chart and in the legend', () => {
    expect(svg).toMatch(/<text [^>]*fill="#000">None<\/text>/);
    expect(svg).toMatch(
      new RegExp(
        `fill="${NONE_FILL}" stroke="${NONE_STROKE}"/><text[^>]*><tspan[^>]*>None of the four</tspan>`
      )
    );
  });
});

describe('Norwegian legends (rapport.html) fit their charts', () => {
  // The report's own labels, drawn in Norwegian: longer words than the English ones.
  const care = [
    'Talking therapy (615)',
    'Long consultation (2cd)',
    'Antidepressant dispensed (N06A, new users)',
    'Referral to specialist mental health care (VOP, AVTSPES)',
    'Sick leave (employed, ages 20-66)',
    'None of talking therapy, antidepressant, sick leave',
    'None of the five kinds of care',
  ];

  it('line chart: every kind of care in Norwegian, wrapped in full, none cut off', () => {
    const nb = translator('nb');
    const svg = lineChart(
      {
        title: 'Care within 12 months by year of index',
        desc: '',
        yLabel: '% of episodes',
        yMax: 100,
        series: care.map((label, k) => ({
          label,
          points: ['2010', '2011'].map((x, i) => ({ x, y: 10 * (k + i) + 0.5 })),
        })),
      },
      nb
    );
    expectAllInside(svg);
    const words = legendTexts(svg).join(' ');
    expect(words).toContain('spesialisthelsetjenesten i psykisk helsevern');
    expect(words).toContain('behandlingsformene');
    expect(svg).toContain('% av episodene');
    expect(svg).toContain(': 0,5 %</title>');
    expect(nb.missing.size).toBe(0);
  });

  it('sunburst: Norwegian legend entries fit, and a code stays on the line of its word', () => {
    const nb = translator('nb');
    const svg = sunburst(
      {
        title: 'Order of first treatments within 12 months',
        desc: '',
        sequences: [
          { steps: [['S'], ['A'], ['T'], ['R']], count: 30 },
          { steps: [['T', 'S']], count: 20 },
          { steps: [], count: 40 },
          { steps: [], count: 9, other: true },
        ],
        colours: { T: '#0072B2', A: '#E69F00', S: '#009E73', R: '#CC79A7' },
        labels: { T: 'Talking therapy', A: 'Antidepressant', S: 'Sick leave', R: 'Specialist care' },
      },
      nb
    );
    expectAllInside(svg);
    const lines = legendTexts(svg);
    expect(lines).toContain('R Spesialisthelsetjenesten');
    expect(lines).toContain('Ingen av de fire');
    expect(svg).toContain('<title>Ingen av de fire: 40 episoder (40,4 %)</title>');
    expect(nb.missing.size).toBe(0);
  });

  it('forest plot: Norwegian row labels fit on the left, decimal commas on the right', () => {
    const nb = translator('nb');
    const svg = forestPlot(
      {
        title: 'Talking therapy (615): adjusted relative risks',
        desc: '',
        rows: [
          {
            label: 'Immigrant background: Born abroad (immigrant)',
            rr: 1.04,
            lo: 0.92,
            hi: 1.17,
            reference: false,
          },
          { label: 'Centrality (residence): Intermediate (3-4)', rr: 1, lo: 1, hi: 1, reference: true },
        ],
      },
      nb
    );
    expectAllInside(svg);
    expect(legendTexts(svg)).toEqual(
      expect.arrayContaining([
        'Innvandringsbakgrunn: Født i utlandet (innvandrer)',
        'Sentralitet (bosted): Middels sentral (3-4)',
        'referanse',
        '1,04 (0,92–1,17)',
        'Justert relativ risiko (logaritmisk skala)',
      ])
    );
    expect(nb.missing.size).toBe(0);
  });

  it('funnel plot: the Norwegian legend ends inside the viewBox, the target on one line', () => {
    const nb = translator('nb');
    let s = 11;
    const u = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const units: FunnelUnit[] = Array.from({ length: 200 }, () => {
      const n = 10 + Math.floor(u() * 200);
      let observed = 0;
      for (let i = 0; i < n; i++) if (u() < 0.55) observed++;
      return { n, observed };
    });
    const svg = funnelPlotSvg(
      prepareFunnelPlot(units),
      {
        title: 'Referral to specialist mental health care (VOP, AVTSPES): share by GP, adjusted for case-mix',
      },
      nb
    );
    expectAllInside(svg);
    const lines = legendTexts(svg);
    expect(lines.some((l) => /^Samlet andel \(\d+,\d %\)$/.test(l))).toBe(true);
    expect(lines).toContain('Pasienter per fastlege');
    expect(svg).toMatch(/<desc id="[^"]+">\d+ fastleger vist, hver med minst/);
    expect(nb.missing.size).toBe(0);
  });
});
