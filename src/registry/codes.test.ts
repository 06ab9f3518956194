import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { codeWithText, diagnosisText } from './codes.js';
import { generateRegistry } from './generate/generate.js';

describe('diagnosis codes from @navikt/diagnosekoder', () => {
  it('knows the depression codes', () => {
    expect(diagnosisText('ICPC-2', 'P76')).toMatch(/depressiv/i);
    expect(diagnosisText('ICD-10', 'F32.1')).not.toBeNull();
    expect(codeWithText('ICPC-2', 'Z99')).toBe('Z99');
  });

  it('every diagnosis code the generator writes is a real ICPC-2 or ICD-10 code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpdep-codes-'));
    try {
      await generateRegistry({
        persons: 5_000,
        firstYear: 2014,
        lastYear: 2016,
        seed: 3,
        out: dir,
        log: () => {},
      });
      expect(readdirSync(join(dir, 'kuhr_diagnoses')).length).toBeGreaterThan(0);
      const instance = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      const connection = await instance.connect();
      const reader = await connection.runAndReadAll(`
        SELECT DISTINCT code_system AS system, code FROM read_parquet('${dir}/kuhr_diagnoses/*.parquet')
        UNION SELECT DISTINCT diagnosis_system, diagnosis FROM read_parquet('${dir}/sick_leave_periods/*.parquet')
        UNION SELECT DISTINCT 'ICD-10', main_icd10 FROM read_parquet('${dir}/npr_contacts/*.parquet')`);
      const rows = reader.getRowObjects() as { system: string; code: string }[];
      expect(rows.length).toBeGreaterThan(5);
      const unknown = rows.filter((r) => diagnosisText(r.system as 'ICPC-2' | 'ICD-10', r.code) === null);
      expect(unknown).toEqual([]);
      connection.closeSync();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
