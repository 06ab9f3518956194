/**
 * Issue 13, item 10: the report is navigable without script. A contents panel links to every
 * section and sticks beside the text on wide screens; long appendix tables sit in closed
 * <details>, still in the DOM with their ids and captions.
 */
import { describe, expect, it } from 'vitest';
import type { PublishedTable } from '../analyze/model.js';
import type { ResolvedParams } from '../engine/params.js';
import { isAppendixTable, renderReport } from './html.js';

const table = (id: string, title: string, rows = 3): PublishedTable => ({
  id,
  title,
  caption: `About ${title}.`,
  columns: [
    { key: 'label', label: 'Group', kind: 'label' },
    { key: 'n', label: 'Episodes', kind: 'count' },
  ],
  rows: Array.from({ length: rows }, (_, i) => [`Group ${i}`, 10 + i]),
  notes: [],
});

const tables = {
  key: table('table0_key_figures', 'Key figures'),
  rr1: table('table3_talking_therapy', 'Table 3.1. Talking therapy: relative risks', 24),
  rr2: table('table3_referral', 'Table 3.2. Referral: relative risks', 24),
  t5: table('table5_pathways', 'Table 5. Pathways'),
  t7: table('table7_gp_mixed_models', 'Table 7. Mixed models'),
  t7b: table('table7b_gp_characteristics', 'Table 7b. GP characteristics', 18),
  t8: table('table8_equity', 'Table 8. Equity', 30),
};

const html = renderReport({
  title: 'Report',
  generatedAt: '2026-01-01 00:00 UTC',
  dataLabel: 'test data',
  params: { indexFrom: '2010-01-01', indexTo: '2015-12-31' } as ResolvedParams,
  sections: [
    { id: 'key', heading: 'Key figures', tables: [tables.key] },
    { id: 'rr-talking_therapy', heading: 'Talking therapy: relative risks', tables: [tables.rr1] },
    { id: 'rr-referral', heading: 'Referral: relative risks', tables: [tables.rr2] },
    { id: 'pathways', heading: 'Pathways', tables: [tables.t5] },
    { id: 'gp', heading: 'Variation between GPs', tables: [tables.t7, tables.t7b] },
    { id: 'equity', heading: 'Equity', tables: [tables.t8] },
  ],
  methodsHtml: '<p>Methods.</p>',
});

describe('report navigation', () => {
  it('has a contents panel linking to every section, before the sections', () => {
    const nav = /<nav class="toc" aria-label="Contents">([\s\S]*?)<\/nav>/.exec(html);
    expect(nav).not.toBeNull();
    const targets = [...nav![1]!.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    const sections = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(targets).toEqual(sections);
    expect(sections).toContain('methods');
    expect(html.indexOf('<nav')).toBeLessThan(html.indexOf('<main'));
  });

  it('keeps the panel in view on wide screens, on top on narrow ones, and out of print', () => {
    const wide = /@media \(min-width:(\d+)px\)\{([\s\S]*?\})\}\n/.exec(html);
    expect(wide).not.toBeNull();
    expect(wide![2]).toMatch(/\.layout\{[^}]*display:grid;grid-template-columns:/);
    expect(wide![2]).toMatch(/nav\.toc\{position:sticky;top:0;max-height:100vh;overflow-y:auto/);
    // Outside the media query the panel is an ordinary block above the text.
    const outside = html.replace(wide![0], '');
    expect(outside).not.toContain('sticky');
    expect(html).toMatch(/@media print\{nav\{display:none\}/);
  });

  it('is free of script and inline event handlers', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript:/i);
  });
});

describe('collapsed appendix tables', () => {
  const details = [...html.matchAll(/<details class="appendix">([\s\S]*?)<\/details>/g)].map((m) => m[1]!);

  it('puts the per-covariate RR tables, Table 7b and Table 8 in closed <details>', () => {
    const ids = details.map((d) => /<table id="([^"]+)"/.exec(d)?.[1]);
    expect(ids).toEqual([
      'table3_talking_therapy',
      'table3_referral',
      'table7b_gp_characteristics',
      'table8_equity',
    ]);
    for (const d of details)
      expect(d).toMatch(
        /^<summary>Table [\d.b]+\. [^<]+ <span>\(\d+ rows; open to show\)<\/span><\/summary>/
      );
    expect(html).not.toMatch(/<details[^>]* open/);
  });

  it('keeps every table in the DOM with its id and caption; main tables stay open', () => {
    for (const t of Object.values(tables)) {
      expect(html).toContain(`<table id="${t.id}"><caption>${t.title}`);
      const inDetails = details.some((d) => d.includes(`<table id="${t.id}"`));
      expect(inDetails, t.id).toBe(isAppendixTable(t));
    }
    expect(isAppendixTable(tables.key)).toBe(false);
    expect(isAppendixTable(tables.t7)).toBe(false);
  });
});
