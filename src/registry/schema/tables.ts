/**
 * The platform's schema for a linked registry extract (the GP-DEP linkage): one table per registry
 * as delivered, with pseudonymous ids. Every table is a Parquet file set `<table>/*.parquet` under
 * the data folder. Column names are snake_case; dates are DATE, timestamps TIMESTAMP.
 *
 * This definition is the single source: the generator writes it, the importer converts deliveries
 * to it, the analyses read it, and docs/registry/schema.md is generated from it
 * (`npm run registry:schema-doc`). Sources for each registry: docs/registry/analyses.md, Sources.
 */

export type ColumnType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  nullable: boolean;
  description: string;
}

export interface TableDef {
  name: string;
  registry: string;
  description: string;
  columns: readonly ColumnDef[];
  /**
   * Row order inside each Parquet file, when it matters for reading speed: rows sorted by these
   * columns give row groups narrow min/max statistics, so a filter on them (the depression codes,
   * the care tariffs) skips most of a table of 140 million rows. The generator and the importer
   * both write in this order.
   */
  clusterBy?: readonly string[];
}

const col = (name: string, type: ColumnType, description: string, nullable = false): ColumnDef => ({
  name,
  type,
  nullable,
  description,
});

export const REGISTRY_TABLES: readonly TableDef[] = [
  {
    name: 'persons',
    registry: 'SSB / Folkeregisteret',
    description: 'One row per person in the population, pseudonymous.',
    columns: [
      col('person_id', 'VARCHAR', 'Pseudonymous person id (project-specific).'),
      col('sex', 'VARCHAR', "'M' or 'F'."),
      col('birth_year', 'INTEGER', 'Year of birth.'),
      col(
        'municipality',
        'VARCHAR',
        'Municipality number of residence (4 digits) at the end of the extract (or at death or emigration); the history is in residences.'
      ),
      col(
        'centrality',
        'INTEGER',
        'SSB centrality index class 1 (most central) to 6 (least central) of that municipality.'
      ),
      col(
        'immigrant_category',
        'VARCHAR',
        "SSB category: 'none', 'immigrant', 'norwegian_born_to_immigrants'."
      ),
      col('death_date', 'DATE', 'Date of death.', true),
      col('emigration_date', 'DATE', 'Date of emigration.', true),
    ],
  },
  {
    name: 'residences',
    registry: 'SSB / Folkeregisteret',
    description:
      'Residence history: one row per period a person was registered as living in a municipality. The analyses take the residence on the index date (persons.municipality when a person has no row).',
    columns: [
      col('person_id', 'VARCHAR', 'Person.'),
      col('municipality', 'VARCHAR', 'Municipality number (4 digits).'),
      col('centrality', 'INTEGER', 'SSB centrality class 1-6 of the municipality.'),
      col('valid_from', 'DATE', 'Registered as living there from.'),
      col('valid_to', 'DATE', 'To; null if current.', true),
    ],
  },
  {
    name: 'education',
    registry: 'SSB (NUDB)',
    description: 'Highest completed education per person and year.',
    columns: [
      col('person_id', 'VARCHAR', 'Person.'),
      col('year', 'INTEGER', 'Calendar year (status 1 October).'),
      col('nus2000_level', 'VARCHAR', 'NUS2000 level digit (0-8).'),
      col('edu_group', 'VARCHAR', "'low' (NUS 0-2), 'medium' (3-5), 'high' (6-8)."),
    ],
  },
  {
    name: 'income',
    registry: 'SSB (tax register)',
    description: 'Income per person and year.',
    columns: [
      col('person_id', 'VARCHAR', 'Person.'),
      col('year', 'INTEGER', 'Calendar year.'),
      col('labour_income_nok', 'BIGINT', 'Labour income (yrkesinntekt), NOK.'),
      col(
        'household_eq_income_nok',
        'BIGINT',
        'Household equivalised income after tax (EU scale), NOK.',
        true
      ),
    ],
  },
  {
    name: 'employment',
    registry: 'NAV Aa-registeret (a-ordningen)',
    description:
      'Employment relationships (arbeidsforhold) as reported monthly by employers through a-ordningen: one row per period of a person with one employer.',
    columns: [
      col('person_id', 'VARCHAR', 'Person.'),
      col('employer_id', 'VARCHAR', 'Pseudonymous employer (organisation number of the enterprise).'),
      col('from_date', 'DATE', 'Start of the employment relationship.'),
      col('to_date', 'DATE', 'End; null if ongoing at the end of the extract.', true),
      col('fte_percent', 'INTEGER', 'Agreed position size (stillingsprosent), 1-100.'),
    ],
  },
  {
    name: 'gps',
    registry: 'Fastlegeregisteret (RGP register)',
    description: 'Regular GPs.',
    columns: [
      col('gp_id', 'VARCHAR', 'Pseudonymous GP id.'),
      col('sex', 'VARCHAR', "'M' or 'F'."),
      col('birth_year', 'INTEGER', 'Year of birth.'),
      col(
        'specialist_from',
        'DATE',
        'Date approved as specialist in general practice (HPR); null if not approved by the end of the extract. A specialist at the index date is one approved on or before it.',
        true
      ),
      col('practice_id', 'VARCHAR', 'Practice (legekontor).'),
      col('municipality', 'VARCHAR', 'Municipality of the practice.'),
      col('centrality', 'INTEGER', 'SSB centrality class 1-6 of the practice municipality.'),
    ],
  },
  {
    name: 'gp_contracts',
    registry: 'Fastlegeregisteret (RGP register)',
    description:
      "The GP's contract form (driftsform) by period: a GP who moves from a salaried post to their own practice has two rows.",
    columns: [
      col('gp_id', 'VARCHAR', 'GP.'),
      col('employment', 'VARCHAR', "'self_employed' (næringsdrivende) or 'salaried' (fastlønnet)."),
      col('valid_from', 'DATE', 'Start of the period.'),
      col('valid_to', 'DATE', 'End; null if current.', true),
    ],
  },
  {
    name: 'gp_lists',
    registry: 'Fastlegeregisteret (RGP register)',
    description: 'GP lists (a list can be without a GP for a period).',
    columns: [
      col('list_id', 'VARCHAR', 'List id.'),
      col('gp_id', 'VARCHAR', 'GP holding the list; null for a list without a GP.', true),
      col('list_ceiling', 'INTEGER', 'Maximum number of patients (listetak).'),
      col('valid_from', 'DATE', 'Start of this GP on the list.'),
      col('valid_to', 'DATE', 'End; null if current.', true),
    ],
  },
  {
    name: 'list_memberships',
    registry: 'Fastlegeregisteret (RGP register)',
    description: 'Periods a person is on a list.',
    columns: [
      col('person_id', 'VARCHAR', 'Person.'),
      col('list_id', 'VARCHAR', 'List.'),
      col('valid_from', 'DATE', 'From.'),
      col('valid_to', 'DATE', 'To; null if current.', true),
    ],
  },
  {
    name: 'kuhr_bills',
    registry: 'KUHR / KPR (GP claims)',
    description: 'One row per bill (regning) from a GP: one consultation or contact.',
    columns: [
      col('bill_id', 'BIGINT', 'Bill serial number (enkeltregning_lnr), unique within the extract.'),
      col('person_id', 'VARCHAR', 'Patient.'),
      col('gp_id', 'VARCHAR', 'GP who billed.'),
      col('practice_type', 'VARCHAR', "Practice type, e.g. 'FALE' (regular GP), 'LEVA' (out-of-hours)."),
      col('contact_time', 'TIMESTAMP', 'Date and time of the contact.'),
      col(
        'contact_type',
        'INTEGER',
        'KPR contact type: 1 consultation, 2 home visit, 3 simple contact, 4 interdisciplinary, 5 other.'
      ),
    ],
  },
  {
    name: 'kuhr_diagnoses',
    registry: 'KUHR / KPR (GP claims)',
    description: 'Diagnoses on a bill.',
    clusterBy: ['code_system', 'code'],
    columns: [
      col('bill_id', 'BIGINT', 'Bill.'),
      col('code_system', 'VARCHAR', "'ICPC-2' or 'ICD-10'."),
      col('code', 'VARCHAR', 'Diagnosis code, e.g. P76.'),
      col('is_main', 'BOOLEAN', 'Main diagnosis on the bill.'),
    ],
  },
  {
    name: 'kuhr_tariffs',
    registry: 'KUHR / KPR (GP claims)',
    description: 'Fee codes (takster) on a bill, e.g. 2ad, 2ae, 2cd, 615, 616, 1f, 14.',
    clusterBy: ['tariff_code'],
    columns: [
      col('bill_id', 'BIGINT', 'Bill.'),
      col('tariff_code', 'VARCHAR', 'Fee code.'),
      col('count', 'INTEGER', 'How many times on the bill.'),
    ],
  },
  {
    name: 'norpd_dispensings',
    registry: 'NorPD (Reseptregisteret)',
    description: 'Prescriptions dispensed at pharmacies.',
    columns: [
      col('person_id', 'VARCHAR', 'Patient.'),
      col('prescriber_id', 'VARCHAR', 'Prescriber (GP id when a GP prescribed).'),
      col('dispensed_date', 'DATE', 'Date dispensed.'),
      col('atc', 'VARCHAR', 'ATC code, e.g. N06AB06.'),
      col('packages', 'INTEGER', 'Number of packages.'),
      col('ddd', 'DOUBLE', 'Defined daily doses dispensed.'),
    ],
  },
  {
    name: 'npr_contacts',
    registry: 'NPR (Norsk pasientregister)',
    description: 'Specialist health care contacts.',
    columns: [
      col('person_id', 'VARCHAR', 'Patient.'),
      col(
        'sector',
        'VARCHAR',
        "'VOP' adult mental health, 'TSB' substance use, 'SOM' somatic, 'AVTSPES' contract specialists in psychiatry and psychology (NPR's mental-health data; somatic contract specialists are 'SOM')."
      ),
      col('care_level', 'VARCHAR', "'inpatient', 'day' or 'outpatient'."),
      col('start_date', 'DATE', 'Start of contact or stay.'),
      col('end_date', 'DATE', 'End of stay.', true),
      col('main_icd10', 'VARCHAR', 'Main ICD-10 diagnosis.'),
      col('referral_date', 'DATE', 'Date of the referral.', true),
    ],
  },
  {
    name: 'sick_leave_periods',
    registry: 'NAV (sykmeldingsregisteret / FD-Trygd)',
    description: 'Sick-leave certificates as periods with a grade.',
    columns: [
      col('cert_id', 'VARCHAR', 'Certificate.'),
      col('person_id', 'VARCHAR', 'Person.'),
      col('issuer_id', 'VARCHAR', 'Who issued it (GP id when a GP did).'),
      col('diagnosis_system', 'VARCHAR', "'ICPC-2' or 'ICD-10'."),
      col('diagnosis', 'VARCHAR', 'Main diagnosis on the certificate.'),
      col('from_date', 'DATE', 'First day.'),
      col('to_date', 'DATE', 'Last day.'),
      col('grade', 'INTEGER', 'Percent on sick leave, 20-100.'),
    ],
  },
  {
    name: 'benefit_spells',
    registry: 'NAV (FD-Trygd)',
    description: 'Spells of benefits.',
    columns: [
      col('person_id', 'VARCHAR', 'Person.'),
      col('benefit', 'VARCHAR', "'sickness_benefit', 'aap' (work assessment allowance), 'disability'."),
      col('from_date', 'DATE', 'Start.'),
      col('to_date', 'DATE', 'End; null if ongoing.', true),
      col('grade', 'INTEGER', 'Percent.', true),
    ],
  },
];

export function tableDef(name: string): TableDef {
  const def = REGISTRY_TABLES.find((t) => t.name === name);
  if (!def) throw new Error(`No registry table ${name}`);
  return def;
}

/**
 * The ORDER BY list a writer uses for a clustered table: the cluster columns, then every other
 * column, so the files are the same bytes on every run (a sort with ties is free to reorder them).
 * Null for tables written in the order their rows arrive.
 */
export function clusterOrder(def: TableDef): string[] | null {
  if (!def.clusterBy?.length) return null;
  const rest = def.columns.map((c) => c.name).filter((n) => !def.clusterBy!.includes(n));
  return [...def.clusterBy, ...rest].map((n) => `"${n}"`);
}

/**
 * SQL counting the rows of a clustered table's Parquet files (glob) that come before their
 * predecessor in the cluster order, file by file: 0 when every file is written as clusterBy says.
 */
export function clusterOrderViolationsSql(def: TableDef, parquetGlob: string): string {
  const key = `[${(def.clusterBy ?? []).map((n) => `"${n}"`).join(', ')}]`;
  return `SELECT count(*) AS n FROM (
    SELECT ${key} < lag(${key}) OVER (PARTITION BY filename ORDER BY file_row_number) AS before_previous
    FROM read_parquet('${parquetGlob.replaceAll("'", "''")}', filename = true, file_row_number = true)
  ) WHERE before_previous`;
}
