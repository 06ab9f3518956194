import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDelivery } from '../delivery/delivery.js';
import { openDuck } from '../generate/db.js';
import { generateRegistry } from '../generate/generate.js';
import { clusterOrderViolationsSql, REGISTRY_TABLES } from '../schema/tables.js';
import { importDelivery, ImportError } from './importer.js';
import type { Mapping } from './mapping.js';

const root = mkdtempSync(join(tmpdir(), 'registry-import-'));
const data = join(root, 'data');
const delivery = join(root, 'delivery');
let mapping: Mapping;

beforeAll(async () => {
  await generateRegistry({ persons: 3000, firstYear: 2011, lastYear: 2013, seed: 5, out: data });
  ({ mapping } = await writeDelivery({ data, out: delivery, seed: 5 }));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the delivery with only the files a mapping of `tables` needs. */
function subset(name: string, tables: string[]): { dir: string; mapping: Mapping } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const m: Mapping = { ...mapping, tables: Object.fromEntries(tables.map((t) => [t, mapping.tables[t]!])) };
  for (const f of readdirSync(delivery)) copyFileSync(join(delivery, f), join(dir, f));
  return { dir, mapping: m };
}

describe('delivery format', () => {
  it('is semicolon-separated latin1 with per-year files and date-shifted person dates', () => {
    const files = readdirSync(delivery);
    for (const y of [2011, 2012, 2013]) expect(files).toContain(`KUHR_regninger_${y}.csv`);
    expect(files).toContain('referansedatoer.csv');
    expect(files).toContain('mapping.json');
    const gps = readFileSync(join(delivery, 'FASTLEGE_avtaler.csv'));
    expect(gps.includes(Buffer.from('NÆRINGSDRIVENDE', 'latin1'))).toBe(true);
    expect(gps.includes(Buffer.from('NÆRINGSDRIVENDE', 'utf8'))).toBe(false);
    const header = readFileSync(join(delivery, 'KUHR_regninger_2012.csv'), 'latin1').split('\n')[0];
    expect(header).toBe(
      'aar;lopenr;enkeltregning_lnr;behandler_lopenr;praksistype;dato;klokkeslett;kontakttype'
    );
    const offsets = readFileSync(join(delivery, 'referansedatoer.csv'), 'latin1')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(';')[1]));
    expect(offsets.length).toBe(3000);
    expect(offsets.every((o) => o !== 0 && Math.abs(o) <= 180)).toBe(true);
  });
});

describe('importer', () => {
  it('round trip: the imported tables equal the generated Parquet exactly', { timeout: 60_000 }, async () => {
    const out = join(root, 'imported');
    const report = await importDelivery({ mapping: join(delivery, 'mapping.json'), input: delivery, out });
    expect(report.rejected).toBe(0);
    const duck = await openDuck();
    try {
      for (const t of REGISTRY_TABLES) {
        const a = `read_parquet('${join(data, t.name)}/*.parquet')`;
        const b = `read_parquet('${join(out, t.name)}/*.parquet')`;
        const [r] = await duck.all<
          Record<string, bigint>
        >(`SELECT (SELECT count(*) FROM ${a}) AS na, (SELECT count(*) FROM ${b}) AS nb,
          (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) AS only_a,
          (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) AS only_b`);
        expect(Number(r!.nb), t.name).toBe(Number(r!.na));
        expect(Number(r!.only_a) + Number(r!.only_b), t.name).toBe(0);
        expect(report.tables[t.name]!.imported).toBe(Number(r!.na));
      }
      // A sample row, field by field (dates shifted back, codes normalised, decimal comma).
      const [g] = await duck.all<Record<string, unknown>>(
        `SELECT * FROM read_parquet('${join(data, 'norpd_dispensings')}/*.parquet') ORDER BY person_id, dispensed_date, atc LIMIT 1`
      );
      const [i] = await duck.all<Record<string, unknown>>(
        `SELECT * FROM read_parquet('${join(out, 'norpd_dispensings')}/*.parquet') ORDER BY person_id, dispensed_date, atc LIMIT 1`
      );
      expect(i).toEqual(g);
      // The claims' diagnoses and tariffs come out in the schema's cluster order, as the twin's do,
      // so the analyses' code filters skip row groups on imported data too.
      for (const t of REGISTRY_TABLES.filter((x) => x.clusterBy)) {
        const [v] = await duck.all<{ n: bigint }>(
          clusterOrderViolationsSql(t, `${join(out, t.name)}/*.parquet`)
        );
        expect(Number(v!.n), t.name).toBe(0);
      }
    } finally {
      duck.close();
    }
  });

  it('stops on a wrong delimiter, naming the file', async () => {
    const { dir, mapping: m } = subset('delim', ['persons']);
    const text = readFileSync(join(dir, 'FOLKEREG_personer.csv'), 'latin1').replace(/;/g, ',');
    writeFileSync(join(dir, 'FOLKEREG_personer.csv'), text, 'latin1');
    await expect(importDelivery({ mapping: m, input: dir, out: join(dir, 'out') })).rejects.toThrow(
      /FOLKEREG_personer\.csv: the header has one column .*wrong delimiter/
    );
  });

  it('stops on UTF-8 text in a file declared latin1, and on latin1 in a file declared UTF-8', async () => {
    const { dir, mapping: m } = subset('enc', ['gp_contracts']);
    const path = join(dir, 'FASTLEGE_avtaler.csv');
    const latin1 = readFileSync(path);
    writeFileSync(path, latin1.toString('latin1'), 'utf8');
    await expect(importDelivery({ mapping: m, input: dir, out: join(dir, 'out') })).rejects.toThrow(
      /FASTLEGE_avtaler\.csv: looks UTF-8 encoded .*declares latin1/
    );
    writeFileSync(path, latin1);
    const utf = {
      ...m,
      tables: { gp_contracts: { ...m.tables.gp_contracts!, options: { encoding: 'utf-8' as const } } },
    };
    await expect(importDelivery({ mapping: utf, input: dir, out: join(dir, 'out') })).rejects.toThrow(
      /FASTLEGE_avtaler\.csv: not valid UTF-8/
    );
  });

  it('stops on a missing column, naming file and column', async () => {
    const { dir, mapping: m } = subset('missing', ['kuhr_tariffs']);
    const path = join(dir, 'KUHR_takster_2012.csv');
    writeFileSync(path, readFileSync(path, 'latin1').replace('takstkode', 'takst'), 'latin1');
    const err = await importDelivery({ mapping: m, input: dir, out: join(dir, 'out') }).catch(
      (e: unknown) => e
    );
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/KUHR_takster_2012\.csv: missing column takstkode/);
  });

  it(
    'rejects corrupted rows with file, line, column and reason, and imports the rest',
    { timeout: 30_000 },
    async () => {
      const { dir, mapping: m } = subset('corrupt', ['kuhr_bills', 'persons']);
      const path = join(dir, 'KUHR_regninger_2012.csv');
      const lines = readFileSync(path, 'latin1').split('\n');
      const total = lines.filter((l) => l).length - 1;
      const f = (i: number) => lines[i]!.split(';');
      const bad = f(3);
      bad[5] = '31.02.2012'; // line 4: impossible date
      lines[3] = bad.join(';');
      const code = f(6);
      code[7] = '9'; // line 7: unknown contact type
      lines[6] = code.join(';');
      lines[9] = lines[9] + ';extra'; // line 10: too many fields
      const who = f(12);
      who[1] = 'P99999999'; // line 13: no date-shift offset for this person
      lines[12] = who.join(';');
      writeFileSync(path, lines.join('\n'), 'latin1');
      const out = join(dir, 'out');
      const report = await importDelivery({ mapping: m, input: dir, out });
      const fr = report.files.find((x) => x.file === 'KUHR_regninger_2012.csv')!;
      expect(fr.rows).toBe(total);
      expect(fr.rejected).toBe(4);
      expect(fr.imported).toBe(total - 4);
      const rejects = readFileSync(join(out, '_rejects', 'kuhr_bills.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(rejects[0]).toBe('file;line;column;value;reason');
      const byLine = Object.fromEntries(rejects.slice(1).map((l) => [l.split(';')[1], l]));
      expect(byLine['4']).toMatch(
        /^KUHR_regninger_2012\.csv;4;contact_time \(dato\);31\.02\.2012;not a date and time/
      );
      expect(byLine['7']).toMatch(/;7;contact_type \(kontakttype\);9;unknown code/);
      expect(byLine['10']).toMatch(/;10;\(row\);.*TOO MANY COLUMNS/);
      expect(byLine['13']).toMatch(/;13;contact_time \(dato\);.*no date-shift offset for person P99999999/);
      const duck = await openDuck();
      try {
        const [n] = await duck.all<{ n: bigint }>(
          `SELECT count(*) AS n FROM read_parquet('${join(out, 'kuhr_bills')}/part-00001.parquet')`
        );
        expect(Number(n!.n)).toBe(total - 4);
      } finally {
        duck.close();
      }
    }
  );
});
