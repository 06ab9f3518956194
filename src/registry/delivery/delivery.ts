/**
 * Writes a generated data folder as a registry-shaped delivery, the way Norwegian registries hand
 * extracts to a research project: semicolon-separated latin1 text files, one file per year for the
 * yearly registries (e.g. `KUHR_regninger_2012.csv`), Norwegian column names (lopenr,
 * enkeltregning_lnr, takstkode, ...), registry code lists (SSB sex 1/2, KPR contact types,
 * Infotrygd code systems, ICD-10 without the dot, upper-case tariffs, decimal commas), and every
 * person-level date shifted by a per-person offset in days that is delivered separately in
 * `referansedatoer.csv`. `mapping.json` describes it all for the importer.
 */
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { openDuck, type Duck } from '../generate/db.js';
import type { Mapping } from '../import/mapping.js';
import { DEFAULT_OPTIONS } from '../import/mapping.js';

export interface DeliveryOptions {
  data: string;
  out: string;
  seed: number;
  log?: (message: string) => void;
}

const pq = (dir: string, table: string) =>
  `read_parquet('${join(dir, table, '*.parquet').replace(/'/g, "''")}')`;

/** Per-person offset in days, never 0, in [-180, 180]. */
const offsetSql = (seed: number, id: string) =>
  `((hash(${id}, 'date-shift', ${seed}) % 360)::INTEGER - 180 + CASE WHEN (hash(${id}, 'date-shift', ${seed}) % 360) >= 180 THEN 1 ELSE 0 END)`;

interface FileSpec {
  name: string;
  /** SELECT producing the delivered columns (all VARCHAR) and, for yearly files, a column `_year`. */
  sql: string;
  yearly: boolean;
}

export async function writeDelivery(
  options: DeliveryOptions
): Promise<{ files: string[]; mapping: Mapping }> {
  const data = resolve(options.data);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.endsWith('.csv') || f === 'mapping.json') rmSync(join(out, f));
  const duck = await openDuck({ threads: 2, tempDirectory: join(out, '.duckdb-tmp') });
  const files: string[] = [];
  try {
    await duck.run(
      `CREATE TEMP TABLE shift AS SELECT person_id, ${offsetSql(options.seed, 'person_id')} AS off FROM ${pq(data, 'persons')}`
    );
    const d = (col: string) => `strftime(${col} + off, '%d.%m.%Y')`;
    const withShift = (table: string) => `${pq(data, table)} JOIN shift USING (person_id)`;
    const plain = (col: string) => `strftime(${col}, '%d.%m.%Y')`;
    const icd = (col: string) => `replace(${col}, '.', '')`;
    const specs: FileSpec[] = [
      {
        name: 'referansedatoer',
        yearly: false,
        sql: `SELECT person_id AS lopenr, off::VARCHAR AS forskyvning_dager FROM shift ORDER BY person_id`,
      },
      {
        name: 'FOLKEREG_personer',
        yearly: false,
        sql: `SELECT person_id AS lopenr, CASE sex WHEN 'M' THEN '1' ELSE '2' END AS kjonn, birth_year::VARCHAR AS fodselsaar,
          municipality AS bostedskommune, centrality::VARCHAR AS sentralitet,
          CASE immigrant_category WHEN 'immigrant' THEN 'B' WHEN 'norwegian_born_to_immigrants' THEN 'C' ELSE 'A' END AS innvandringskategori,
          ${d('death_date')} AS dodsdato, ${d('emigration_date')} AS utvandringsdato
          FROM ${withShift('persons')} ORDER BY person_id`,
      },
      {
        name: 'FOLKEREG_bosted',
        yearly: false,
        sql: `SELECT person_id AS lopenr, municipality AS kommunenr, centrality::VARCHAR AS sentralitet,
          ${d('valid_from')} AS fra_dato, ${d('valid_to')} AS til_dato FROM ${withShift('residences')} ORDER BY person_id, valid_from`,
      },
      {
        name: 'NUDB_utdanning',
        yearly: true,
        sql: `SELECT person_id AS lopenr, year::VARCHAR AS aargang, nus2000_level || '11099' AS nus2000, year AS _year FROM ${pq(data, 'education')}`,
      },
      {
        name: 'INNTEKT',
        yearly: true,
        sql: `SELECT person_id AS lopenr, year::VARCHAR AS aar, labour_income_nok::VARCHAR AS yrkesinntekt,
          household_eq_income_nok::VARCHAR AS ekv_hushinntekt, year AS _year FROM ${pq(data, 'income')}`,
      },
      {
        name: 'AAREG_arbeidsforhold',
        yearly: false,
        sql: `SELECT person_id AS lopenr, employer_id AS arbeidsgiver_lopenr, ${d('from_date')} AS startdato,
          ${d('to_date')} AS sluttdato, fte_percent::VARCHAR AS stillingsprosent FROM ${withShift('employment')}`,
      },
      {
        name: 'FASTLEGE_leger',
        yearly: false,
        sql: `SELECT gp_id AS lege_lopenr, CASE sex WHEN 'F' THEN 'K' ELSE 'M' END AS kjonn, birth_year::VARCHAR AS fodselsaar,
          ${plain('specialist_from')} AS spesialist_fra,
          practice_id AS legekontor, municipality AS kommunenr, centrality::VARCHAR AS sentralitet FROM ${pq(data, 'gps')} ORDER BY gp_id`,
      },
      {
        name: 'FASTLEGE_avtaler',
        yearly: false,
        sql: `SELECT gp_id AS lege_lopenr, CASE employment WHEN 'salaried' THEN 'FASTLØNNET' ELSE 'NÆRINGSDRIVENDE' END AS avtaleform,
          ${plain('valid_from')} AS gyldig_fra, ${plain('valid_to')} AS gyldig_til FROM ${pq(data, 'gp_contracts')} ORDER BY gp_id, valid_from`,
      },
      {
        name: 'FASTLEGE_lister',
        yearly: false,
        sql: `SELECT list_id AS liste_id, gp_id AS lege_lopenr, list_ceiling::VARCHAR AS listetak, ${plain('valid_from')} AS gyldig_fra,
          ${plain('valid_to')} AS gyldig_til FROM ${pq(data, 'gp_lists')} ORDER BY list_id`,
      },
      {
        name: 'FASTLEGE_listehistorikk',
        yearly: false,
        sql: `SELECT person_id AS lopenr, list_id AS liste_id, ${d('valid_from')} AS fra_dato, ${d('valid_to')} AS til_dato FROM ${withShift('list_memberships')}`,
      },
      {
        name: 'KUHR_regninger',
        yearly: true,
        sql: `SELECT year(contact_time)::VARCHAR AS aar, person_id AS lopenr, bill_id AS enkeltregning_lnr, gp_id AS behandler_lopenr,
          practice_type AS praksistype, ${d('CAST(contact_time AS DATE)')} AS dato, strftime(contact_time, '%H:%M') AS klokkeslett,
          (CASE contact_type WHEN 1 THEN 3 WHEN 2 THEN 4 WHEN 3 THEN 2 WHEN 4 THEN 5 ELSE 1 END)::VARCHAR AS kontakttype,
          year(contact_time) AS _year FROM ${withShift('kuhr_bills')}`,
      },
      {
        name: 'KUHR_diagnoser',
        yearly: true,
        sql: `SELECT year(b.contact_time)::VARCHAR AS aar, dx.bill_id AS enkeltregning_lnr, dx.code_system AS diagnosetabell, ${icd('dx.code')} AS diag,
          CASE WHEN dx.is_main THEN '1' ELSE '0' END AS erhdiag, year(b.contact_time) AS _year
          FROM ${pq(data, 'kuhr_diagnoses')} dx JOIN (SELECT bill_id, contact_time FROM ${pq(data, 'kuhr_bills')}) b USING (bill_id)`,
      },
      {
        name: 'KUHR_takster',
        yearly: true,
        sql: `SELECT year(b.contact_time)::VARCHAR AS aar, t.bill_id AS enkeltregning_lnr, upper(t.tariff_code) AS takstkode, t.count::VARCHAR AS kprantall,
          year(b.contact_time) AS _year
          FROM ${pq(data, 'kuhr_tariffs')} t JOIN (SELECT bill_id, contact_time FROM ${pq(data, 'kuhr_bills')}) b USING (bill_id)`,
      },
      {
        name: 'NORPD_utleveringer',
        yearly: true,
        sql: `SELECT person_id AS pasient_lopenr, prescriber_id AS forskriver_lopenr, ${d('dispensed_date')} AS utleveringsdato, atc,
          packages::VARCHAR AS antall_pakninger, replace(ddd::VARCHAR, '.', ',') AS ddd, year(dispensed_date) AS _year FROM ${withShift('norpd_dispensings')}`,
      },
      {
        name: 'NPR_episoder',
        yearly: true,
        sql: `SELECT person_id AS lopenr, sector AS sektor, CASE care_level WHEN 'inpatient' THEN '1' WHEN 'day' THEN '2' ELSE '3' END AS omsorgsniva,
          ${d('start_date')} AS inndato, ${d('end_date')} AS utdato, ${icd('main_icd10')} AS hovedtilstand, ${d('referral_date')} AS henvisningsdato,
          year(start_date) AS _year FROM ${withShift('npr_contacts')}`,
      },
      {
        name: 'NAV_sykmeldinger',
        yearly: true,
        sql: `SELECT cert_id AS sykmelding_id, person_id AS lopenr, issuer_id AS sykmelder_lopenr,
          CASE diagnosis_system WHEN 'ICD-10' THEN '1' ELSE '2' END AS diagnosekodeverk, ${icd('diagnosis')} AS diagnose,
          ${d('from_date')} AS fom, ${d('to_date')} AS tom, grade::VARCHAR AS grad, year(from_date) AS _year FROM ${withShift('sick_leave_periods')}`,
      },
      {
        name: 'FDTRYGD_ytelser',
        yearly: false,
        sql: `SELECT person_id AS lopenr, CASE benefit WHEN 'sickness_benefit' THEN 'SYKEPENGER' WHEN 'aap' THEN 'AAP' ELSE 'UFORE' END AS ytelse,
          ${d('from_date')} AS fom, ${d('to_date')} AS tom, grade::VARCHAR AS grad FROM ${withShift('benefit_spells')}`,
      },
    ];
    for (const spec of specs) {
      if (spec.yearly) {
        await duck.run(`CREATE OR REPLACE TEMP TABLE dl AS ${spec.sql}`);
        const years = await duck.all<{ y: number }>(`SELECT DISTINCT _year AS y FROM dl ORDER BY 1`);
        for (const { y } of years) {
          const name = `${spec.name}_${y}.csv`;
          await writeCsv(duck, `SELECT * EXCLUDE (_year) FROM dl WHERE _year = ${y}`, join(out, name));
          files.push(name);
        }
      } else {
        const name = `${spec.name}.csv`;
        await writeCsv(duck, spec.sql, join(out, name));
        files.push(name);
      }
      options.log?.(`  delivery ${spec.name}`);
    }
  } finally {
    duck.close();
    rmSync(join(out, '.duckdb-tmp'), { recursive: true, force: true });
  }
  const mapping = deliveryMapping();
  writeFileSync(join(out, 'mapping.json'), JSON.stringify(mapping, null, 2) + '\n');
  return { files, mapping };
}

/** COPY to UTF-8 CSV with DuckDB, then transcode to latin1 (every character here is in latin1). */
async function writeCsv(duck: Duck, sql: string, path: string) {
  const tmp = `${path}.utf8`;
  await duck.run(
    `COPY (${sql}) TO '${tmp.replace(/'/g, "''")}' (FORMAT csv, DELIMITER ';', HEADER true, QUOTE '"', NULLSTR '')`
  );
  const decoder = new TextDecoder('utf-8', { fatal: true });
  await pipeline(
    createReadStream(tmp),
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        const text = decoder.decode(chunk, { stream: true });
        if ([...text].some((ch) => ch.charCodeAt(0) > 0xff))
          return cb(new Error(`${path}: a character outside latin1`));
        cb(null, Buffer.from(text, 'latin1'));
      },
      flush(cb) {
        cb(null, Buffer.from(decoder.decode(), 'latin1'));
      },
    }),
    createWriteStream(path)
  );
  rmSync(tmp);
}

/** The mapping that describes this delivery (also a worked example for real deliveries). */
export function deliveryMapping(): Mapping {
  const shift = (source: string, by = 'lopenr') => ({ source, shiftBy: by });
  return {
    format: 'gpdep-registry-mapping/1',
    description:
      'Synthetic GP-DEP delivery: semicolon-separated latin1 files, one per year for yearly registries; person-level dates shifted by the per-person offset in referansedatoer.csv (delivered = true + forskyvning_dager).',
    defaults: { ...DEFAULT_OPTIONS },
    dateShift: { file: 'referansedatoer.csv', idColumn: 'lopenr', offsetColumn: 'forskyvning_dager' },
    tables: {
      persons: {
        files: 'FOLKEREG_personer*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          sex: { source: 'kjonn', map: { '1': 'M', '2': 'F' } },
          birth_year: { source: 'fodselsaar' },
          municipality: { source: 'bostedskommune' },
          centrality: { source: 'sentralitet' },
          immigrant_category: {
            source: 'innvandringskategori',
            map: { A: 'none', B: 'immigrant', C: 'norwegian_born_to_immigrants' },
          },
          death_date: shift('dodsdato'),
          emigration_date: shift('utvandringsdato'),
        },
      },
      education: {
        files: 'NUDB_utdanning_*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          year: { source: 'aargang' },
          nus2000_level: { source: 'nus2000', transform: ['first_char'] },
          edu_group: {
            source: 'nus2000',
            transform: ['first_char'],
            map: {
              '0': 'low',
              '1': 'low',
              '2': 'low',
              '3': 'medium',
              '4': 'medium',
              '5': 'medium',
              '6': 'high',
              '7': 'high',
              '8': 'high',
            },
          },
        },
      },
      income: {
        files: 'INNTEKT_*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          year: { source: 'aar' },
          labour_income_nok: { source: 'yrkesinntekt' },
          household_eq_income_nok: { source: 'ekv_hushinntekt' },
        },
      },
      residences: {
        files: 'FOLKEREG_bosted*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          municipality: { source: 'kommunenr' },
          centrality: { source: 'sentralitet' },
          valid_from: shift('fra_dato'),
          valid_to: shift('til_dato'),
        },
      },
      employment: {
        files: 'AAREG_arbeidsforhold*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          employer_id: { source: 'arbeidsgiver_lopenr' },
          from_date: shift('startdato'),
          to_date: shift('sluttdato'),
          fte_percent: { source: 'stillingsprosent' },
        },
      },
      gps: {
        files: 'FASTLEGE_leger*.csv',
        columns: {
          gp_id: { source: 'lege_lopenr' },
          sex: { source: 'kjonn', map: { K: 'F', M: 'M' } },
          birth_year: { source: 'fodselsaar' },
          specialist_from: { source: 'spesialist_fra' },
          practice_id: { source: 'legekontor' },
          municipality: { source: 'kommunenr' },
          centrality: { source: 'sentralitet' },
        },
      },
      gp_contracts: {
        files: 'FASTLEGE_avtaler*.csv',
        columns: {
          gp_id: { source: 'lege_lopenr' },
          employment: {
            source: 'avtaleform',
            transform: ['upper'],
            map: { NÆRINGSDRIVENDE: 'self_employed', FASTLØNNET: 'salaried' },
          },
          valid_from: { source: 'gyldig_fra' },
          valid_to: { source: 'gyldig_til' },
        },
      },
      gp_lists: {
        files: 'FASTLEGE_lister*.csv',
        columns: {
          list_id: { source: 'liste_id' },
          gp_id: { source: 'lege_lopenr' },
          list_ceiling: { source: 'listetak' },
          valid_from: { source: 'gyldig_fra' },
          valid_to: { source: 'gyldig_til' },
        },
      },
      list_memberships: {
        files: 'FASTLEGE_listehistorikk*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          list_id: { source: 'liste_id' },
          valid_from: shift('fra_dato'),
          valid_to: shift('til_dato'),
        },
      },
      kuhr_bills: {
        files: 'KUHR_regninger_*.csv',
        columns: {
          bill_id: { source: 'enkeltregning_lnr' },
          person_id: { source: 'lopenr' },
          gp_id: { source: 'behandler_lopenr' },
          practice_type: { source: 'praksistype', transform: ['upper'] },
          contact_time: { source: 'dato', timeSource: 'klokkeslett', shiftBy: 'lopenr' },
          contact_type: { source: 'kontakttype', map: { '3': 1, '4': 2, '2': 3, '5': 4, '1': 5, '6': 5 } },
        },
      },
      kuhr_diagnoses: {
        files: 'KUHR_diagnoser_*.csv',
        columns: {
          bill_id: { source: 'enkeltregning_lnr' },
          code_system: {
            source: 'diagnosetabell',
            transform: ['upper'],
            map: { 'ICPC-2': 'ICPC-2', ICPC2: 'ICPC-2', 'ICD-10': 'ICD-10', ICD10: 'ICD-10' },
          },
          code: { source: 'diag', transform: ['upper', 'icd10_dot'] },
          is_main: { source: 'erhdiag', map: { '1': true, '0': false } },
        },
      },
      kuhr_tariffs: {
        files: 'KUHR_takster_*.csv',
        columns: {
          bill_id: { source: 'enkeltregning_lnr' },
          tariff_code: { source: 'takstkode', transform: ['lower'] },
          count: { source: 'kprantall' },
        },
      },
      norpd_dispensings: {
        files: 'NORPD_utleveringer_*.csv',
        columns: {
          person_id: { source: 'pasient_lopenr' },
          prescriber_id: { source: 'forskriver_lopenr' },
          dispensed_date: shift('utleveringsdato', 'pasient_lopenr'),
          atc: { source: 'atc', transform: ['upper'] },
          packages: { source: 'antall_pakninger' },
          ddd: { source: 'ddd' },
        },
      },
      npr_contacts: {
        files: 'NPR_episoder_*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          sector: { source: 'sektor', transform: ['upper'] },
          care_level: { source: 'omsorgsniva', map: { '1': 'inpatient', '2': 'day', '3': 'outpatient' } },
          start_date: shift('inndato'),
          end_date: shift('utdato'),
          main_icd10: { source: 'hovedtilstand', transform: ['upper', 'icd10_dot'] },
          referral_date: shift('henvisningsdato'),
        },
      },
      sick_leave_periods: {
        files: 'NAV_sykmeldinger_*.csv',
        columns: {
          cert_id: { source: 'sykmelding_id' },
          person_id: { source: 'lopenr' },
          issuer_id: { source: 'sykmelder_lopenr' },
          diagnosis_system: { source: 'diagnosekodeverk', map: { '1': 'ICD-10', '2': 'ICPC-2' } },
          diagnosis: { source: 'diagnose', transform: ['upper', 'icd10_dot'] },
          from_date: shift('fom'),
          to_date: shift('tom'),
          grade: { source: 'grad' },
        },
      },
      benefit_spells: {
        files: 'FDTRYGD_ytelser*.csv',
        columns: {
          person_id: { source: 'lopenr' },
          benefit: {
            source: 'ytelse',
            transform: ['upper'],
            map: { SYKEPENGER: 'sickness_benefit', AAP: 'aap', UFORE: 'disability' },
          },
          from_date: shift('fom'),
          to_date: shift('tom'),
          grade: { source: 'grad' },
        },
      },
    },
  };
}
