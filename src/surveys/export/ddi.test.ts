import { describe, expect, it } from 'vitest';
import { ddiCodebook, xmlEscape } from './ddi.js';
import { EXPORT_FIXTURE_QUESTIONNAIRE, nastyDataset } from './fixtures.js';
import { buildExportTable } from './model.js';
import { findAll, parseStrictXml, type XmlElement } from './testing/strict-xml.js';

/** DDI Codebook 2.5 `var` content model, in the schema's sequence order (codebook.xsd, varType). */
const VAR_SEQUENCE = [
  'location',
  'labl',
  'imputation',
  'security',
  'embargo',
  'respUnit',
  'anlysUnit',
  'qstn',
  'valrng',
  'invalrng',
  'undocCod',
  'universe',
  'TotlResp',
  'sumStat',
  'txt',
  'stdCatgry',
  'catgryGrp',
  'catgry',
  'codInstr',
  'verStmt',
  'concept',
  'derivation',
  'varFormat',
  'geoMap',
  'catLevel',
  'notes',
];

function child(e: XmlElement, name: string, lang?: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name && (lang === undefined || c.attributes['xml:lang'] === lang));
}

describe('codebook.xml (DDI Codebook 2.5)', () => {
  const table = buildExportTable(nastyDataset());
  const root = parseStrictXml(ddiCodebook(table));

  it('is well-formed XML with the codeBook root, study, file and data descriptions', () => {
    expect(root.name).toBe('codeBook');
    expect(root.attributes.xmlns).toBe('ddi:codebook:2_5');
    expect(root.attributes.version).toBe('2.5');
    expect(root.children.map((c) => c.name)).toEqual(['stdyDscr', 'fileDscr', 'dataDscr']);
    const titl = findAll(root, 'titl')[0]!;
    // The title has " and & in English and « » in bokmål: escaped, and read back whole.
    expect(titl.text).toBe(EXPORT_FIXTURE_QUESTIONNAIRE.title);
    expect(findAll(root, 'parTitl')[0]!.text).toBe('Export test form: "follow-up" & collaboration');
    expect(findAll(root, 'IDNo')[0]!.text).toBe('export-fixture');
    expect(findAll(root, 'caseQnty')[0]!.text).toBe('5');
    expect(findAll(root, 'varQnty')[0]!.text).toBe(String(table.variables.length));
  });

  it('has one var per column, children in the schema order, with labels, question, categories, format', () => {
    const vars = findAll(root, 'var');
    expect(vars.map((v) => v.attributes.name)).toEqual(table.variables.map((v) => v.name));
    for (const v of vars) {
      const order = v.children.map((c) => VAR_SEQUENCE.indexOf(c.name));
      expect(order.every((o) => o >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(v.attributes.files).toBe('F1');
    }
    const talk = vars.find((v) => v.attributes.name === 'talk_therapy')!;
    expect(child(talk, 'labl', 'en')!.text).toBe('How often do you give talking therapy yourself?');
    expect(child(child(talk, 'qstn')!, 'qstnLit', 'nb')!.text).toBe('Hvor ofte gir du selv samtaleterapi?');
    const categories = talk.children.filter((c) => c.name === 'catgry');
    expect(
      categories.map((c) => [child(c, 'catValu')!.text, child(c, 'labl', 'nb')!.text, c.attributes.missing])
    ).toEqual([
      ['never', 'Aldri', undefined],
      ['sometimes', 'Av og til', undefined],
      ['often', 'Ofte', undefined],
      ['weekly', 'weekly', undefined],
      ['-99', 'Ikke besvart', 'Y'],
    ]);
    expect(child(categories[2]!, 'txt')!.text).toBe('Stata/SPSS value: 3');
    expect(child(talk, 'varFormat')!.attributes.type).toBe('character');
    const barrier = vars.find((v) => v.attributes.name === 'barrier')!;
    expect(child(barrier, 'universe', 'en')!.text).toBe('shown when talk-therapy = never (Never)');
    const date = vars.find((v) => v.attributes.name === 'last_referral')!;
    expect(child(date, 'varFormat')!.attributes).toMatchObject({
      category: 'date',
      formatname: 'YYYY-MM-DD',
    });
    const minutes = vars.find((v) => v.attributes.name === 'minutes')!;
    expect(minutes.attributes).toMatchObject({ intrvl: 'contin', dcml: '7', representationType: 'numeric' });
  });

  it('escapes markup and replaces characters XML cannot hold', () => {
    expect(xmlEscape(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlEscape('bell\u0007 lone\ud800 ok😀')).toBe('bell\ufffd lone\ufffd ok😀');
    const hostile = nastyDataset();
    hostile.questionnaire = {
      ...hostile.questionnaire,
      title: '</titl><evil attr="1"/>&amp; \u0001',
    };
    const parsed = parseStrictXml(ddiCodebook(buildExportTable(hostile)));
    expect(findAll(parsed, 'titl')[0]!.text).toBe('</titl><evil attr="1"/>&amp; \ufffd');
    expect(findAll(parsed, 'evil')).toHaveLength(0);
  });

  it('the strict reader refuses what is not well-formed', () => {
    expect(() => parseStrictXml('<a><b></a></b>')).toThrow();
    expect(() => parseStrictXml('<a x="1" x="2"/>')).toThrow();
    expect(() => parseStrictXml('<a>&nbsp;</a>')).toThrow();
    expect(() => parseStrictXml('<a>x & y</a>')).toThrow();
    expect(() => parseStrictXml('<a/><b/>')).toThrow();
    expect(() => parseStrictXml('<a>\u0001</a>')).toThrow();
    expect(parseStrictXml('<a x="&lt;&#65;&#x42;">t</a>').attributes.x).toBe('<AB');
  });
});
