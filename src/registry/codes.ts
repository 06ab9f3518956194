/**
 * Diagnosis code texts from NAV's published code lists (`@navikt/diagnosekoder`: ICPC-2 and
 * ICD-10 with Norwegian texts), so no code list is typed by hand.
 */
import { ICD10, ICPC2 } from '@navikt/diagnosekoder';

const icpc2 = new Map(ICPC2.map((c) => [c.code, c.text]));
const icd10 = new Map(ICD10.map((c) => [c.code, c.text]));

export type CodeSystem = 'ICPC-2' | 'ICD-10';

/** The Norwegian text of a code, or null when the code is not in the list. ICD-10 without the dot. */
export function diagnosisText(system: CodeSystem, code: string): string | null {
  return (system === 'ICPC-2' ? icpc2 : icd10).get(code.replace('.', '').toUpperCase()) ?? null;
}

/** "P76 Depresjon" — code and text, for reports; just the code when it is not in the list. */
export function codeWithText(system: CodeSystem, code: string): string {
  const text = diagnosisText(system, code);
  return text ? `${code} ${text}` : code;
}
