/**
 * `qual:export` on the demo study seeded into a fresh test database: the .qdpx holds a project.qde
 * valid against the REFI-QDA Project schema, reads back with every transcript (de-identified),
 * the STC code groups as codes with the meaning units coded at the same text, condensates as notes;
 * the .qdc codebook is valid against the Codebook schema; the export is in the audit log; and bad
 * arguments get a message naming the option.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { createTestApp, type TestApp } from '../../test/support/test-app.js';
import { DEMO_CODEBOOK } from '../qualitative/demo/codebook.js';
import { DEMO_SOURCES } from '../qualitative/demo/manifest.js';
import { DEMO_STC_GROUPS, DEMO_STC_UNITS } from '../qualitative/demo/stc-analysis.js';
import { readQdpx } from '../qualitative/refi/read.js';
import { hashPassword } from '../server/auth/passwords.js';
import { DEMO_PASSWORD } from '../server/demo/demo-seed.js';
import { seedDemoQualitativeStudy } from '../server/demo/qualitative-seed.js';
import { parseQualExportArgs, runQualExport, type QualExportOutcome } from './qual-export.js';

const schema = (name: string) =>
  readFileSync(new URL(`../qualitative/refi/schema/${name}`, import.meta.url), 'utf8');
async function schemaErrors(xml: string, xsd: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'file.xml', contents: xml }],
    schema: [{ fileName: xsd, contents: schema(xsd) }],
  });
  return result.errors.map((e) => e.rawMessage);
}

let t: TestApp;
let dir: string;
let outcome: QualExportOutcome;
const auditKey = Buffer.alloc(32, 3);

beforeAll(async () => {
  t = await createTestApp();
  dir = mkdtempSync(join(tmpdir(), 'gpdep-qual-export-'));
  await t.db
    .insertInto('users')
    .values({
      username: 'forsker',
      display_name: 'Sara Forsker (demo)',
      role: 'researcher',
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .execute();
  await seedDemoQualitativeStudy(t.db, { now: t.clock.now, auditKey, password: DEMO_PASSWORD });
  outcome = await runQualExport(
    t.db,
    { study: 'demo', out: join(dir, 'demo.qdpx'), codebook: join(dir, 'demo.qdc'), lang: 'nb' },
    auditKey,
    t.clock.now
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('qual:export', () => {
  it('writes a .qdpx whose project.qde is valid REFI-QDA and reads back with the analysis', async () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'demo.qdpx')));
    const entries = unzipSync(bytes);
    expect(await schemaErrors(strFromU8(entries['project.qde']!), 'Project-mrt2019.xsd')).toEqual([]);
    const { project, unknownParts } = readQdpx(bytes);
    expect(unknownParts).toEqual([]);
    expect(project.sources.map((s) => s.name).sort()).toEqual(DEMO_SOURCES.map((m) => m.file).sort());
    // de-identified: no participant's first name in any exported text
    const names = DEMO_SOURCES.flatMap((m) => m.participants.map((p) => p.firstName));
    for (const s of project.sources)
      for (const n of names) expect(s.text).not.toMatch(new RegExp(`\\b${n}\\b`));
    // the codebook's top codes (by name), then the STC code groups' themes, each a tree
    const codingsInDb = await t.db.selectFrom('qual_codings').select('id').execute();
    expect(project.codes.map((c) => c.name)).toEqual([
      ...DEMO_CODEBOOK.filter((c) => c.parentId === null)
        .map((c) => c.name)
        .sort(new Intl.Collator('nb').compare),
      ...DEMO_STC_GROUPS.filter((g) => g.parentId === null).map((g) => g.name),
    ]);
    expect(outcome.counts).toMatchObject({
      sources: DEMO_SOURCES.length,
      codes: DEMO_CODEBOOK.length + DEMO_STC_GROUPS.length,
      codings: DEMO_STC_UNITS.length + codingsInDb.length,
    });
    // every STC selection covers its meaning unit's phrase; every coder's coding is there, by coder
    const byName = new Map(DEMO_STC_UNITS.map((u) => [u.id, u.phrase]));
    const selections = project.sources.flatMap((s) =>
      s.selections.map((sel) => ({ sel, text: s.text ?? '' }))
    );
    const stc = selections.filter(({ sel }) => sel.name !== undefined && byName.has(sel.name));
    expect(stc).toHaveLength(DEMO_STC_UNITS.length);
    for (const { sel, text } of stc) expect(text.slice(sel.start, sel.end)).toBe(byName.get(sel.name!));
    const coded = selections.filter(({ sel }) => sel.name === undefined);
    expect(coded).toHaveLength(codingsInDb.length);
    const coderGuids = new Set(coded.map(({ sel }) => sel.creatingUser));
    expect(coderGuids.size).toBe(2);
    expect(project.users.map((u) => u.guid)).toEqual(expect.arrayContaining([...coderGuids]));
    // condensates as notes, linked from their codes
    expect(project.notes.some((n) => n.text.startsWith('Når pasienten har gått hjem med anbefalingen'))).toBe(
      true
    );
    expect(project.cases.map((c) => c.name)).toContain('Fokusgruppe 1');
  });

  it('writes the codebook as a valid REFI-QDA .qdc, and the export to the audit log', async () => {
    expect(await schemaErrors(readFileSync(join(dir, 'demo.qdc'), 'utf8'), 'Codebook.xsd')).toEqual([]);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_role'])
      .where('data_category', '=', 'qualitative study exported')
      .execute();
    expect(audit).toEqual([{ action: 'export', actor_role: 'system' }]);
  });

  it('names the option that is wrong', () => {
    expect(parseQualExportArgs(['--help'])).toBe('help');
    expect(() => parseQualExportArgs(['--study', 'x', '--out', 'a.qdpx'])).toThrow(
      /--study: "x" is not a study id/
    );
    expect(() => parseQualExportArgs(['--study', 'demo', '--out', 'a.zip'])).toThrow(
      /--out: "a.zip" should end in .qdpx/
    );
    expect(() => parseQualExportArgs(['--study', 'demo'])).toThrow(/--out FILE.qdpx is required/);
    expect(() => parseQualExportArgs(['--study', 'demo', '--out', 'a.qdpx', '--lang', 'de'])).toThrow(
      /--lang/
    );
  });
});
