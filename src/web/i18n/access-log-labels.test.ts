/**
 * The patient's access log speaks plain Norwegian and English (issue 11 §6): every data category
 * and access basis the server writes to the audit log has words in both languages, so no internal
 * word ("worklist", "absence_cover") reaches a patient. The categories are read from the server's
 * source, so a new one without words fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './locales/en.json' with { type: 'json' };
import nb from './locales/nb.json' with { type: 'json' };
import { FHIR_AUDIT_CATEGORIES } from '../../domain/fhir/capability.js';
import { codeSlug } from './labels.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const source = sourceFiles('src/server')
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const found = (pattern: RegExp) => [...source.matchAll(pattern)].map((m) => m[1]!);

const categories = new Set([
  ...found(/dataCategory:\s*'([^']+)'/g),
  ...found(/dataCategory:\s*\w+\s*\?\s*'([^']+)'/g),
  ...found(/dataCategory:\s*\w+\s*\?\s*'[^']+'\s*:\s*'([^']+)'/g),
  ...found(/\baudit\(request, '[a-z]+', '([^']+)'/g),
  ...found(/auditShownIn\(\s*ctx,\s*'([^']+)'/g),
  ...found(/submit\(request, reply, '([^']+)'/g),
  ...found(/\?\s*'([^']+)'\s*:\s*'invitation used, password set'/g),
  'invitation used, password set',
  // The FHIR API names its categories in one list (typed, so no other can be written).
  ...FHIR_AUDIT_CATEGORIES,
]);
const bases = new Set([
  ...found(/accessBasis:\s*'([^']+)'/g),
  ...found(/basis:\s*'([^']+)'/g),
  ...found(/accessBasis:\s*\w+\s*\?\s*'([^']+)'/g),
  'self',
  'gp_list',
  'absence_cover',
  'urgent_escalation',
  'assigned_guide',
]);

describe("the patient's access log in plain words", () => {
  it('finds the categories the server writes (a sanity check of the scan)', () => {
    expect(categories.size).toBeGreaterThan(30);
    expect(categories).toContain('worklist');
    expect(categories).toContain('follow-up card');
    expect(bases).toContain('password+device');
  });

  for (const [language, catalog] of [
    ['nb', nb],
    ['en', en],
  ] as const) {
    it(`has ${language} words for every category and basis`, () => {
      const missingCategories = [...categories].filter((c) => !(codeSlug(c) in catalog.accessLog.categories));
      const missingBases = [...bases].filter((b) => !(codeSlug(b) in catalog.accessLog.bases));
      expect(missingCategories).toEqual([]);
      expect(missingBases).toEqual([]);
    });
  }
});
