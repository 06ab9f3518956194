/**
 * Text the platform can store: PostgreSQL cannot hold U+0000 in text or jsonb, and a lone UTF-16
 * surrogate (U+D800–U+DFFF not in a high/low pair) is not Unicode at all — the database drivers
 * would silently turn it into U+FFFD. Such text is refused, never repaired, so what a patient wrote
 * is either stored exactly or not at all. Used by the server (every request field) and the web
 * forms (so the patient sees it before sending).
 */
import type { FieldProblem } from '../instruments/phq9.js';

export const NUL_REASON = 'contains a NUL character';
export const LONE_SURROGATE_REASON = 'contains invalid Unicode (a lone surrogate)';

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this text cannot be stored, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return NUL_REASON;
  if (LONE_SURROGATE.test(value)) return LONE_SURROGATE_REASON;
  return null;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Every string (and property name) in a parsed JSON value that cannot be stored, named the way
 * validation errors name fields: `note`, `answers.thoughts`, `items[3].text`. `root` names a
 * top-level value that is itself a string (`body`).
 */
export function findUnsafeText(value: unknown, path = '', root = 'body'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (v: unknown, p: string, depth: number): void => {
    // No route takes anything this deep; refusing it keeps every string below checked.
    if (depth > 64) {
      problems.push({ field: p || root, reason: 'is nested too deeply' });
      return;
    }
    if (typeof v === 'string') {
      const reason = textProblem(v);
      if (reason) problems.push({ field: p || root, reason });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, childPath(p, i), depth + 1));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const keyReason = textProblem(key);
        // The bad name itself is not echoed back: it is the part that cannot be shown or stored.
        if (keyReason) problems.push({ field: p || root, reason: `has a property name that ${keyReason}` });
        else walk(item, childPath(p, key), depth + 1);
      }
    }
  };
  walk(value, path, 0);
  return problems;
}
