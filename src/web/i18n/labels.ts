/**
 * Labels for codes the server sends. Known enums are typed keys; open-ended codes (access-log
 * actions, data categories, bases) fall back to the raw code when the catalog has no entry.
 */
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import type { ProgramStatus, Role, Severity } from '../api/client.js';

export function severityLabel(t: TFunction, severity: Severity): string {
  return t(`severity.${severity}`);
}

export function programStatusLabel(t: TFunction, status: ProgramStatus): string {
  return t(`programStatus.${status}`);
}

export function roleLabel(t: TFunction, role: string): string {
  return openCodeLabel(t, 'roles', role);
}

export function isRole(value: string): value is Role {
  return (
    value === 'patient' ||
    value === 'gp' ||
    value === 'researcher' ||
    value === 'admin' ||
    value === 'user_group' ||
    value === 'guide'
  );
}

type OpenCodeGroup = 'roles' | 'accessLog.actions' | 'accessLog.categories' | 'accessLog.bases';

/**
 * Codes are looked up as slugs ("PHQ-9 responses" → `phq_9_responses`), so free-text categories
 * from the audit log can have catalog entries without i18next reading ':' or '.' as separators.
 */
export function codeSlug(code: string): string {
  return code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A code without words in the catalog, shown as plain words: "absence_cover" → "absence cover". */
export function readableCode(code: string): string {
  return code.replace(/_+/g, ' ').trim() || code;
}

export function openCodeLabel(t: TFunction, group: OpenCodeGroup, code: string): string {
  const slug = codeSlug(code);
  if (!slug) return code;
  const key = `${group}.${slug}`;
  if (!i18next.exists(key)) return readableCode(code);
  return (t as unknown as (k: string) => string)(key);
}
