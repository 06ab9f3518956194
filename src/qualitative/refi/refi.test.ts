import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { GUID_PATTERN, RefiError, stableGuid, type RefiCode, type RefiProject } from './model.js';
import { codePointToUtf16, offsetMapper, utf16ToCodePoint } from './positions.js';
import { readProjectFile, readQdc, readQde, readQdpx } from './read.js';
import { writeCodebookQdc, writeProjectQde, writeQdpx } from './write.js';
import { parseXml } from './xml.js';

const schemaDir = new URL('./schema/', import.meta.url);
const projectXsd = readFileSync(new URL('Project-mrt2019.xsd', schemaDir), 'utf8');
const codebookXsd = readFileSync(new URL('Codebook.xsd', schemaDir), 'utf8');

async function validate(xml: string, xsd: 'project' | 'codebook'): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'file.xml', contents: xml }],
    schema: [
      {
        fileName: xsd === 'project' ? 'Project.xsd' : 'Codebook.xsd',
        contents: xsd === 'project' ? projectXsd : codebookXsd,
      },
    ],
  });
  return result.errors.map((e) => e.rawMessage);
}

const g = (kind: string, id: string): string => stableGuid('study-demo', kind, id);

// A synthetic focus-group excerpt with Norwegian letters and an emoji before a coded passage.
const TEXT =
  'Lege A: Jeg spør alltid om søvn først 😊 fordi det åpner samtalen.\n\n' +
  'Hjelper B: Hos oss på helsestasjonen er det ofte foreldrene som tar kontakt.';

function demoProject(): RefiProject {
  const sleep = TEXT.indexOf('søvn');
  const because = TEXT.indexOf('fordi');
  const parents = TEXT.indexOf('foreldrene');
  return {
    name: 'GP-DEP fokusgrupper',
    origin: 'GP-DEP platform',
    creatingUserGuid: g('user', 'coder-1'),
    creationDateTime: '2026-03-01T10:00:00Z',
    users: [
      { guid: g('user', 'coder-1'), name: 'Koder 1', id: 'coder-1' },
      { guid: g('user', 'coder-2'), name: 'Koder 2', id: 'coder-2' },
    ],
    codes: [
      {
        guid: g('code', 'meeting'),
        name: 'Møtet med pasienten',
        isCodable: false,
        color: '#336699',
        description: 'Hvordan legen møter pasienten. Inkluder: åpning av samtalen. Ekskluder: behandling.',
        noteRefs: [g('note', 'code-memo')],
        children: [
          { guid: g('code', 'sleep'), name: 'Søvn som inngang', isCodable: true, noteRefs: [], children: [] },
          {
            guid: g('code', 'family'),
            name: 'Familien',
            isCodable: true,
            noteRefs: [],
            children: [
              {
                guid: g('code', 'parents'),
                name: 'Foreldre tar kontakt',
                isCodable: true,
                noteRefs: [],
                children: [],
              },
            ],
          },
        ],
      },
    ],
    variables: [
      { guid: g('variable', 'role'), name: 'Rolle', type: 'Text', description: 'Deltakerens rolle' },
    ],
    cases: [
      {
        guid: g('case', 'case-2'),
        name: 'Case-2',
        description: 'Ung pasient, kasusstudie 2',
        codeRefs: [g('code', 'family')],
        variableValues: [{ variableGuid: g('variable', 'role'), type: 'Text', value: 'pasient' }],
        sourceRefs: [g('source', 'fg-1')],
        selectionRefs: [g('selection', 'fg-1-c2-parents')],
      },
    ],
    sources: [
      {
        guid: g('source', 'fg-1'),
        name: 'Fokusgruppe 1',
        description: 'Avidentifisert transkripsjon',
        text: TEXT,
        creatingUser: g('user', 'coder-1'),
        creationDateTime: '2026-03-01T10:00:00Z',
        selections: [
          {
            guid: g('selection', 'fg-1-c1-sleep'),
            start: sleep,
            end: because - 1,
            creatingUser: g('user', 'coder-1'),
            codings: [
              {
                guid: g('coding', 'c1-sleep'),
                codeGuid: g('code', 'sleep'),
                creatingUser: g('user', 'coder-1'),
                noteRefs: [],
              },
            ],
            noteRefs: [g('note', 'segment-memo')],
          },
          {
            guid: g('selection', 'fg-1-c2-sleep'),
            start: sleep,
            end: TEXT.indexOf('\n'),
            creatingUser: g('user', 'coder-2'),
            codings: [
              {
                guid: g('coding', 'c2-sleep'),
                codeGuid: g('code', 'sleep'),
                creatingUser: g('user', 'coder-2'),
                creationDateTime: '2026-03-02T09:00:00Z',
                noteRefs: [],
              },
            ],
            noteRefs: [],
          },
          {
            guid: g('selection', 'fg-1-c2-parents'),
            name: 'foreldre',
            start: parents,
            end: parents + 'foreldrene'.length,
            creatingUser: g('user', 'coder-2'),
            codings: [
              {
                guid: g('coding', 'c2-parents'),
                codeGuid: g('code', 'parents'),
                creatingUser: g('user', 'coder-2'),
                noteRefs: [],
              },
            ],
            noteRefs: [],
          },
        ],
        noteRefs: [g('note', 'source-memo')],
        variableValues: [],
      },
    ],
    notes: [
      {
        guid: g('note', 'code-memo'),
        name: 'Om koden',
        text: 'Skille mellom åpning og behandling.\nAndre linje.',
      },
      {
        guid: g('note', 'segment-memo'),
        name: 'Segmentmemo',
        text: 'Søvn brukes som en trygg inngang 😊 <ikke tag> & "sitat"',
        creatingUser: g('user', 'coder-1'),
      },
      { guid: g('note', 'source-memo'), text: 'Totalinntrykk: tillit og tid.' },
    ],
    noteRefs: [],
  };
}

describe('positions: UTF-16 offsets ↔ REFI-QDA code points', () => {
  it('Norwegian letters count one in both; an emoji is two UTF-16 units and one code point', () => {
    const text = 'æøå 😊 ÆØÅ';
    // æ ø å space = 4 units/points; 😊 = units 4–5, point 4; space = unit 6, point 5; Æ = unit 7, point 6.
    expect(utf16ToCodePoint(text, 3)).toBe(3);
    expect(utf16ToCodePoint(text, 4)).toBe(4);
    expect(utf16ToCodePoint(text, 6)).toBe(5);
    expect(utf16ToCodePoint(text, 7)).toBe(6);
    expect(utf16ToCodePoint(text, text.length)).toBe(9);
    expect(codePointToUtf16(text, 6)).toBe(7);
    expect(() => utf16ToCodePoint(text, 5)).toThrow(/surrogate/);
    const m = offsetMapper(text);
    expect(m.toCodePoint(7)).toBe(6);
    expect(m.toUtf16(6)).toBe(7);
    expect(m.toUtf16(9)).toBe(text.length);
    expect(() => m.toCodePoint(5)).toThrow(/surrogate/);
    expect(() => m.toUtf16(10)).toThrow(RefiError);
  });

  it('the mapper agrees with the one-off conversions and round-trips (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'æ', 'ø', 'Å', '😊', '👍🏽', '\n', ' '), { maxLength: 40 }),
        (chars) => {
          const text = chars.join('');
          const m = offsetMapper(text);
          const points = [...text].length;
          for (let p = 0; p <= points; p++) {
            const u = m.toUtf16(p);
            expect(u).toBe(codePointToUtf16(text, p));
            expect(m.toCodePoint(u)).toBe(p);
            expect(utf16ToCodePoint(text, u)).toBe(p);
            expect([...text.slice(0, u)].length).toBe(p);
          }
        }
      )
    );
  });
});

describe('stableGuid', () => {
  it('is a version-5-style UUID, the same for the same input and different otherwise', () => {
    const a = stableGuid('study-demo', 'code', 'sleep');
    expect(a).toMatch(GUID_PATTERN);
    expect(a[14]).toBe('5');
    expect('89ab').toContain(a[19]);
    expect(stableGuid('study-demo', 'code', 'sleep')).toBe(a);
    expect(stableGuid('study-demo', 'code', 'sleeps')).not.toBe(a);
    expect(stableGuid('study-other', 'code', 'sleep')).not.toBe(a);
  });
});

describe('writeProjectQde / readQde', () => {
  it('writes a project.qde that the REFI-QDA Project schema accepts, and reads it back equal', async () => {
    const project = demoProject();
    const xml = writeProjectQde(project);
    expect(await validate(xml, 'project')).toEqual([]);
    const { project: back, unknownParts } = readQde(xml);
    expect(unknownParts).toEqual([]);
    expect(back).toEqual(project);
  });

  it('the validator bites: a project without its required name, or with a bad GUID, is rejected', async () => {
    const xml = writeProjectQde(demoProject());
    expect(await validate(xml.replace(' name="GP-DEP fokusgrupper"', ''), 'project')).not.toEqual([]);
    expect(await validate(xml.replace(g('code', 'sleep'), 'not-a-guid'), 'project')).not.toEqual([]);
  });

  it('writes code-point positions: the emoji before the coded passage shifts them by one', () => {
    const project = demoProject();
    const xml = writeProjectQde(project);
    const sel = project.sources[0]!.selections[2]!; // "foreldrene", after the emoji
    expect(xml).toContain(`startPosition="${String(sel.start - 1)}" endPosition="${String(sel.end - 1)}"`);
    const first = project.sources[0]!.selections[0]!; // "søvn", before the emoji
    expect(xml).toContain(`startPosition="${String(first.start)}"`);
    // The file's positions select the same words when counted in code points.
    const points = [...TEXT];
    expect(points.slice(sel.start - 1, sel.end - 1).join('')).toBe('foreldrene');
  });

  it('keeps arbitrary note and source texts exactly (property)', () => {
    const xmlChar = fc
      .string({ unit: 'grapheme', maxLength: 60 })
      // eslint-disable-next-line no-control-regex -- control characters are what this removes
      .map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/gu, ''));
    fc.assert(
      fc.property(xmlChar, xmlChar, (noteText, sourceText) => {
        const project: RefiProject = {
          ...demoProject(),
          cases: [],
          notes: [{ guid: g('note', 'n'), text: noteText }],
          sources: [
            {
              guid: g('source', 's'),
              name: sourceText || 'x',
              text: sourceText,
              selections: [],
              noteRefs: [],
              variableValues: [],
            },
          ],
          codes: [],
        };
        const back = readQde(writeProjectQde(project)).project;
        expect(back.notes[0]!.text).toBe(noteText);
        expect(back.sources[0]!.text).toBe(sourceText);
        expect(back.sources[0]!.name).toBe(sourceText || 'x');
      })
    );
  });

  it('refuses to write characters XML cannot carry', () => {
    const project = { ...demoProject(), notes: [{ guid: g('note', 'bad'), text: 'a\u0001b' }] };
    expect(() => writeProjectQde(project)).toThrow(/U\+0001/);
  });
});

const guidArb = fc.uuid();
const codeTreeArb: fc.Arbitrary<RefiCode[]> = fc.letrec<{ tree: RefiCode[] }>((tie) => ({
  tree: fc.array(
    fc.record({
      guid: guidArb,
      name: fc.string({ minLength: 1, maxLength: 12 }).map((n) => n.replace(/[^\p{L}\p{N} ]/gu, 'x') || 'k'),
      isCodable: fc.boolean(),
      noteRefs: fc.constant([] as string[]),
      children: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constant([] as RefiCode[]),
        tie('tree')
      ),
    }),
    { minLength: 1, maxLength: 3 }
  ),
})).tree;

function flatten(codes: readonly RefiCode[]): RefiCode[] {
  return codes.flatMap((c) => [c, ...flatten(c.children)]);
}

const projectArb: fc.Arbitrary<RefiProject> = fc
  .tuple(
    codeTreeArb,
    fc.array(fc.constantFrom('a', 'æ', 'ø', 'å', 'Å', '😊', '\n', ' ', '<', '&'), {
      minLength: 1,
      maxLength: 80,
    }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), guidArb, guidArb, fc.boolean()), { maxLength: 8 }),
    fc.array(guidArb, { minLength: 1, maxLength: 3 }),
    guidArb
  )
  .map(([codes, chars, raw, users, sourceGuid]) => {
    const text = chars.join('');
    const points = [...text];
    const utf16 = (p: number): number => points.slice(0, p).join('').length;
    const all = flatten(codes);
    return {
      name: 'Egenskapstest',
      users: users.map((guid, i) => ({ guid, name: `Koder ${String(i + 1)}` })),
      codes,
      variables: [],
      cases: [],
      notes: [],
      noteRefs: [],
      sources: [
        {
          guid: sourceGuid,
          name: 'Kilde',
          text,
          noteRefs: [],
          variableValues: [],
          selections: raw.map(([a, b, c, selGuid, codingGuid, byFirst]) => {
            const [lo, hi] = [a % (points.length + 1), b % (points.length + 1)].sort((x, y) => x - y) as [
              number,
              number,
            ];
            return {
              guid: selGuid,
              start: utf16(lo),
              end: utf16(hi),
              creatingUser: byFirst ? users[0]! : users.at(-1)!,
              codings: [
                {
                  guid: codingGuid,
                  codeGuid: all[c % all.length]!.guid,
                  creatingUser: byFirst ? users[0]! : users.at(-1)!,
                  noteRefs: [],
                },
              ],
              noteRefs: [],
            };
          }),
        },
      ],
    };
  });

describe('round trip of random projects (property)', () => {
  it('every generated project.qde is schema-valid and reads back equal, in .qde and .qdpx', async () => {
    await fc.assert(
      fc.asyncProperty(projectArb, async (project) => {
        const xml = writeProjectQde(project);
        expect(await validate(xml, 'project')).toEqual([]);
        expect(readQde(xml)).toEqual({ project, unknownParts: [] });
        expect(readQdpx(writeQdpx(project))).toEqual({ project, unknownParts: [] });
      }),
      { numRuns: 25 }
    );
    // 25 schema validations in libxml2 (wasm) take 4-5 s when CI loads both cores.
  }, 60_000);
});

describe('writeQdpx / readQdpx', () => {
  it('zips project.qde (valid, with internal:// paths) and sources/<guid>.txt, and reads them back equal', async () => {
    const project = demoProject();
    const bytes = writeQdpx(project);
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(['project.qde', `sources/${project.sources[0]!.guid}.txt`]);
    const qde = new TextDecoder().decode(files['project.qde']);
    expect(await validate(qde, 'project')).toEqual([]);
    expect(qde).toContain(`plainTextPath="internal://${project.sources[0]!.guid}.txt"`);
    expect(qde).not.toContain('<PlainTextContent>Lege A');
    expect(new TextDecoder().decode(files[`sources/${project.sources[0]!.guid}.txt`])).toBe(TEXT);
    const { project: back, unknownParts } = readQdpx(bytes);
    expect(unknownParts).toEqual([]);
    expect(back).toEqual(project);
    expect(readProjectFile(bytes).project).toEqual(project);
    // Same project, same bytes (fixed zip time stamps, stable GUIDs).
    expect(writeQdpx(demoProject())).toEqual(bytes);
  });

  it('a zip that is not a .qdpx, and a file that is not a zip, get clear errors', () => {
    expect(() => readQdpx(strToU8('this is a text file'))).toThrow(
      /not a \.qdpx file: a \.qdpx is a zip archive/
    );
    expect(() => readQdpx(zipSync({ 'word/document.xml': strToU8('<w/>') }))).toThrow(/has no project\.qde/);
    expect(() => readQdpx(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toThrow(RefiError);
    const missing = zipSync({ 'project.qde': strToU8(writeProjectQde(demoProject(), { embedText: false })) });
    expect(() => readQdpx(missing)).toThrow(/not in the archive's sources folder/);
  });

  it('refuses an archive that unpacks beyond the limit, before inflating it', () => {
    // 2 MB of zeros compress to a few kB: the declared sizes, not the upload size, decide.
    const bomb = zipSync(
      {
        'project.qde': strToU8(writeProjectQde(demoProject())),
        'sources/big.txt': new Uint8Array(2_000_000),
      },
      { level: 9 }
    );
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => readQdpx(bomb, { maxTotalBytes: 1_000_000 })).toThrow(/unpacks to more than 1000000 bytes/);
    expect(readQdpx(bomb).unknownParts.map((p) => p.name)).toEqual(['sources/big.txt']);
  });

  it('reports archive files it does not import', () => {
    const project = demoProject();
    const files = unzipSync(writeQdpx(project));
    files['sources/interview.docx'] = new Uint8Array([1, 2, 3]);
    const { unknownParts } = readQdpx(zipSync(files));
    expect(unknownParts).toEqual([
      { kind: 'file', path: 'archive', name: 'sources/interview.docx', count: 1, note: 'not imported' },
    ]);
  });
});

describe('writeCodebookQdc / readQdc', () => {
  it('writes a .qdc valid against the REFI-QDA Codebook schema and reads the codes back', async () => {
    const codes = demoProject().codes;
    const xml = writeCodebookQdc(codes, 'GP-DEP platform');
    expect(xml).toContain('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"');
    expect(await validate(xml, 'codebook')).toEqual([]);
    const back = readQdc(xml);
    const withoutNotes = (list: RefiCode[]): RefiCode[] =>
      list.map((c) => ({ ...c, noteRefs: [], children: withoutNotes(c.children) }));
    expect(back.codes).toEqual(withoutNotes(codes));
    expect(back.origin).toBe('GP-DEP platform');
    expect(back.unknownParts).toEqual([]);
  });

  it('a project file is not a codebook', () => {
    expect(() => readQdc(writeProjectQde(demoProject()))).toThrow(/not a REFI-QDA codebook/);
  });
});

// In the style another tool writes: its own users and GUIDs in braces, codes with colours, a PDF
// source, a source-level coding, rich text, sets, links, graphs and a project base path.
const OTHER_TOOL_QDE = `<?xml version="1.0" encoding="utf-8"?>
<!-- written by another QDA tool -->
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Intervjustudie" origin="OtherQDA 24.1" basePath="C:\\Users\\forsker\\Prosjekt" creationDateTime="2025-11-03T08:15:00Z">
  <Users>
    <User guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Forsker 1"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{AAAAAAAA-0000-4000-8000-0000000000C1}" name="Tillit" isCodable="true" color="#FF0000">
        <Description>Tillit mellom pasient og lege</Description>
        <Code guid="{AAAAAAAA-0000-4000-8000-0000000000C2}" name="Kontinuitet" isCodable="true"/>
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="{AAAAAAAA-0000-4000-8000-0000000000S1}" name="Intervju 5" richTextPath="internal://intervju5.docx">
      <PlainTextContent>Jeg har hatt samme fastlege i tolv år 😊 og det betyr alt.</PlainTextContent>
      <PlainTextSelection guid="{AAAAAAAA-0000-4000-8000-0000000000E1}" startPosition="40" endPosition="56" creatingUser="{AAAAAAAA-0000-4000-8000-000000000001}">
        <Coding guid="{AAAAAAAA-0000-4000-8000-0000000000D1}" creatingUser="{AAAAAAAA-0000-4000-8000-000000000001}">
          <CodeRef targetGUID="{AAAAAAAA-0000-4000-8000-0000000000C2}"/>
        </Coding>
      </PlainTextSelection>
      <Coding guid="{AAAAAAAA-0000-4000-8000-0000000000D2}">
        <CodeRef targetGUID="{AAAAAAAA-0000-4000-8000-0000000000C1}"/>
      </Coding>
    </TextSource>
    <PDFSource guid="{AAAAAAAA-0000-4000-8000-0000000000P1}" name="Informasjonsskriv" path="internal://info.pdf"/>
  </Sources>
  <Links>
    <Link guid="{AAAAAAAA-0000-4000-8000-0000000000L1}" name="relatert" originGUID="{AAAAAAAA-0000-4000-8000-0000000000C1}" targetGUID="{AAAAAAAA-0000-4000-8000-0000000000C2}"/>
  </Links>
  <Sets>
    <Set guid="{AAAAAAAA-0000-4000-8000-0000000000A1}" name="Kjernekoder">
      <MemberCode targetGUID="{AAAAAAAA-0000-4000-8000-0000000000C1}"/>
    </Set>
  </Sets>
  <Graphs>
    <Graph guid="{AAAAAAAA-0000-4000-8000-0000000000B1}" name="Kart">
      <Vertex guid="{AAAAAAAA-0000-4000-8000-0000000000B2}" firstX="10" firstY="20"/>
    </Graph>
  </Graphs>
</Project>
`.replace(
  /0000000000(S1|E1|D1|D2|P1|L1|A1|B1|B2)/g,
  (_, id: string) =>
    `0000000000${{ S1: 'a1', E1: 'e1', D1: 'd1', D2: 'd2', P1: 'f1', L1: 'b1', A1: 'a2', B1: 'b2', B2: 'b3' }[id]!}`
);

describe('reading a project another tool wrote', () => {
  it('is itself schema-valid (so the test is about mapping, not about a broken file)', async () => {
    expect(await validate(OTHER_TOOL_QDE, 'project')).toEqual([]);
  });

  it('maps what the platform uses and reports every unmapped element and attribute', () => {
    const { project, unknownParts } = readQde(OTHER_TOOL_QDE);
    expect(project.name).toBe('Intervjustudie');
    expect(project.codes[0]!.name).toBe('Tillit');
    expect(project.codes[0]!.description).toBe('Tillit mellom pasient og lege');
    expect(project.codes[0]!.children[0]!.name).toBe('Kontinuitet');
    const source = project.sources[0]!;
    // Code points 40–56 are "og det betyr alt"; the emoji before them (one code point, two UTF-16
    // units) shifts the UTF-16 offsets by one: 41–57.
    const sel = source.selections[0]!;
    expect(source.text!.slice(sel.start, sel.end)).toBe('og det betyr alt');
    expect([...source.text!].slice(40, 56).join('')).toBe('og det betyr alt');
    expect([sel.start, sel.end]).toEqual([41, 57]);
    expect(sel.codings[0]!.codeGuid).toBe('{AAAAAAAA-0000-4000-8000-0000000000C2}');
    const summary = unknownParts.map((p) => `${p.kind} ${p.path} ${p.name}`).sort();
    expect(unknownParts.every((p) => p.count === 1)).toBe(true);
    expect(unknownParts.find((p) => p.name === 'richTextPath')?.note).toMatch(/rich text is not imported/);
    expect(summary).toEqual(
      [
        'attribute Project basePath',
        'attribute Project/Sources/TextSource richTextPath',
        'element Project Graphs',
        'element Project Links',
        'element Project Sets',
        'element Project/Sources PDFSource',
        'element Project/Sources/TextSource Coding',
      ].sort()
    );
  });

  it('reads it from a .qdpx with a Sources folder too, and reports the rich-text and PDF files', () => {
    const bytes = zipSync({
      'project.qde': strToU8(OTHER_TOOL_QDE),
      'Sources/intervju5.docx': new Uint8Array([0x50, 0x4b]),
      'Sources/info.pdf': new Uint8Array([0x25, 0x50]),
    });
    const { unknownParts } = readQdpx(bytes);
    const files = unknownParts.filter((p) => p.kind === 'file').map((p) => p.name);
    expect(files.sort()).toEqual(['Sources/info.pdf', 'Sources/intervju5.docx']);
  });

  it('reports elements and attributes from another namespace and a missing text', () => {
    const xml = `<Project xmlns="urn:QDA-XML:project:1.0" xmlns:x="urn:example:ext" name="p" x:flag="1">
      <CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="k" isCodable="true"/></Codes></CodeBook>
      <Sources><TextSource guid="22222222-2222-4222-8222-222222222222" name="s" plainTextPath="absolute://C:/data/s.txt">
        <PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="0" endPosition="4">
          <Coding guid="44444444-4444-4444-8444-444444444444"><CodeRef targetGUID="11111111-1111-4111-8111-111111111111"/></Coding>
        </PlainTextSelection>
      </TextSource></Sources>
      <x:Extension/>
    </Project>`;
    const { project, unknownParts } = readQde(xml);
    expect(project.sources[0]!.text).toBeNull();
    expect(project.sources[0]!.selections[0]!.end).toBe(4);
    expect(unknownParts.map((p) => `${p.kind} ${p.path} ${p.name}`).sort()).toEqual(
      [
        'attribute Project x:flag',
        'element Project {urn:example:ext}Extension',
        'reference Project/Sources/TextSource absolute://C:/data/s.txt',
      ].sort()
    );
  });
});

describe('errors on files that are not REFI-QDA', () => {
  it('XML that is not a REFI-QDA project', () => {
    expect(() => readQde('<html><body/></html>')).toThrow(
      /not a REFI-QDA project: the root element is <html>/
    );
    expect(() => readQde('<Project xmlns="urn:other" name="x"/>')).toThrow(/not a REFI-QDA project/);
  });

  it('text that is not XML, or not well-formed', () => {
    expect(() => readQde('Dette er ikke XML')).toThrow(/not well-formed XML: not XML/);
    expect(() => readQde('<Project name="x"><Users></Project>')).toThrow(
      /not well-formed XML: unexpected close tag\. \(line 1, column 35\)/
    );
    expect(() => readQde(new Uint8Array([0x3c, 0xff, 0xfe]))).toThrow(/not UTF-8/);
  });

  it('a DOCTYPE is refused (no entity expansion from an imported file)', () => {
    expect(() => readQde('<!DOCTYPE p [<!ENTITY a "aaaa">]><Project name="&a;"/>')).toThrow(/DOCTYPE/);
  });

  it('a codebook nested absurdly deep is refused with a message, not a stack overflow', () => {
    const code = (i: number) =>
      `<Code guid="${stableGuid('deep', 'code', String(i))}" name="k${String(i)}" isCodable="true">`;
    const deep = Array.from({ length: 10_000 }, (_, i) => code(i)).join('') + '</Code>'.repeat(10_000);
    expect(() =>
      readQdc(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>${deep}</Codes></CodeBook>`)
    ).toThrow(/more than 64 levels/);
  });

  it('a coding of a code that is not in the codebook', () => {
    const xml = writeProjectQde({ ...demoProject(), codes: [] });
    expect(() => readQde(xml)).toThrow(/not in the codebook/);
  });

  it('a selection outside its text', () => {
    const xml = `<Project xmlns="urn:QDA-XML:project:1.0" name="p">
      <CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="k" isCodable="true"/></Codes></CodeBook>
      <Sources><TextSource guid="22222222-2222-4222-8222-222222222222" name="s"><PlainTextContent>kort</PlainTextContent>
        <PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="2" endPosition="9"/>
      </TextSource></Sources></Project>`;
    expect(() => readQde(xml)).toThrow(/position 9 is outside the text \(4 characters\)/);
  });
});

describe('parseXml', () => {
  it('handles entities, CDATA, comments, processing instructions and prefixes', () => {
    const root = parseXml(
      '<?xml version="1.0"?><!-- c --><a:r xmlns:a="urn:a" t="&lt;&#10;&#x1F60A;"><b><![CDATA[<x> & y]]></b><?pi x?><c>&amp;æ</c></a:r>'
    );
    expect(root.name).toBe('r');
    expect(root.ns).toBe('urn:a');
    expect(root.attributes.get('t')).toBe('<\n😊');
    expect(root.children[0]!.text).toBe('<x> & y');
    expect(root.children[1]!.text).toBe('&æ');
  });
});
