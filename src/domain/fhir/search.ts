/**
 * FHIR R4 search, the parts this API supports: `date` parameters with prefixes (eq, ne, lt, gt,
 * le, ge; a date means the whole day, month or year it names), token parameters (`system|code`,
 * `code`, `|code`, `system|`), `_count` and `_offset` paging with Bundle links, and errors as an
 * OperationOutcome. Pure; the server supplies the rows.
 */
import type { Bundle, BundleLink, FhirResource, OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;

export interface SearchProblem {
  /** The search parameter (or `resource id`) at fault. */
  field: string;
  reason: string;
}

type Prefix = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge' | 'sa' | 'eb';

export interface DateCondition {
  prefix: Prefix;
  /** The instant range the value names: [start, end). */
  start: number;
  end: number;
}

const DATE_VALUE =
  /^(eq|ne|lt|gt|le|ge|sa|eb)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Parses one `date` value; a problem names the parameter and why. */
export function parseDateCondition(param: string, value: string): DateCondition | SearchProblem {
  const m = DATE_VALUE.exec(value);
  if (!m) return { field: param, reason: `"${value}" is not a FHIR date (for example ge2026-01-31)` };
  const [, prefix = 'eq', y, mo, d, h, mi, s, tz] = m;
  const year = Number(y);
  const month = mo ? Number(mo) : null;
  const day = d ? Number(d) : null;
  if (month !== null && (month < 1 || month > 12))
    return { field: param, reason: `"${value}" has no such month` };
  if (day !== null) {
    const probe = new Date(Date.UTC(year, (month ?? 1) - 1, day));
    if (probe.getUTCDate() !== day) return { field: param, reason: `"${value}" has no such day` };
  }
  let start: number;
  let end: number;
  if (h !== undefined) {
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${tz ?? 'Z'}`;
    start = Date.parse(iso);
    if (Number.isNaN(start)) return { field: param, reason: `"${value}" is not a valid time` };
    end = start + (s === undefined ? 60_000 : 1000);
  } else if (day !== null) {
    start = Date.UTC(year, month! - 1, day);
    end = Date.UTC(year, month! - 1, day + 1);
  } else if (month !== null) {
    start = Date.UTC(year, month - 1, 1);
    end = Date.UTC(year, month, 1);
  } else {
    start = Date.UTC(year, 0, 1);
    end = Date.UTC(year + 1, 0, 1);
  }
  return { prefix: prefix as Prefix, start, end };
}

/** Whether an instant meets one parsed condition (FHIR R4 §3.1.1.5.x for a point in time). */
export function dateMatches(instant: number, c: DateCondition): boolean {
  switch (c.prefix) {
    case 'eq':
      return instant >= c.start && instant < c.end;
    case 'ne':
      return instant < c.start || instant >= c.end;
    case 'lt':
    case 'eb':
      return instant < c.start;
    case 'le':
      return instant < c.end;
    case 'gt':
    case 'sa':
      return instant >= c.end;
    case 'ge':
      return instant >= c.start;
  }
}

export function isProblem(x: unknown): x is SearchProblem {
  return typeof x === 'object' && x !== null && 'reason' in x && 'field' in x;
}

/** Every value of a repeatable parameter (`date=ge…&date=lt…`); a comma means "or" within one. */
export function values(raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

/** All the `date` conditions of a parameter, ANDed; problems for the ones that do not parse. */
export function parseDateParam(
  param: string,
  raw: string | string[] | undefined
): { conditions: DateCondition[]; problems: SearchProblem[] } {
  const conditions: DateCondition[] = [];
  const problems: SearchProblem[] = [];
  for (const value of values(raw)) {
    const parsed = parseDateCondition(param, value);
    if (isProblem(parsed)) problems.push(parsed);
    else conditions.push(parsed);
  }
  return { conditions, problems };
}

export interface TokenValue {
  /** undefined: any system; null: no system (`|code`). */
  system: string | null | undefined;
  /** undefined: any code (`system|`). */
  code: string | undefined;
}

/** `system|code`, `code`, `|code` or `system|`, each comma-separated value an alternative. */
export function parseToken(raw: string): TokenValue[] {
  return raw.split(',').map((part) => {
    const bar = part.indexOf('|');
    if (bar < 0) return { system: undefined, code: part };
    const system = part.slice(0, bar);
    const code = part.slice(bar + 1);
    return { system: system === '' ? null : system, code: code === '' ? undefined : code };
  });
}

export function tokenMatches(
  tokens: readonly TokenValue[],
  codings: readonly { system?: string; code?: string; value?: string }[]
): boolean {
  return tokens.some((t) =>
    codings.some((c) => {
      const code = c.code ?? c.value;
      if (t.code !== undefined && code !== t.code) return false;
      if (t.system === null) return c.system === undefined;
      if (t.system !== undefined && c.system !== t.system) return false;
      return true;
    })
  );
}

/** A reference parameter (`patient=abc`, `patient=Patient/abc`) → the id, or a problem. */
export function referenceId(param: string, raw: string, type: string): string | SearchProblem {
  const id = raw.startsWith(`${type}/`) ? raw.slice(type.length + 1) : raw;
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id))
    return { field: param, reason: `must be a ${type} id or ${type}/<id>` };
  return id;
}

export interface Paging {
  count: number;
  offset: number;
}

export function paging(count: number | undefined, offset: number | undefined): Paging {
  return { count: Math.min(count ?? DEFAULT_COUNT, MAX_COUNT), offset: offset ?? 0 };
}

/**
 * A searchset Bundle of one page of `matches` (already filtered and sorted), with `self`, `first`,
 * `previous` and `next` links that repeat the query with another `_offset`.
 */
export function searchsetBundle(args: {
  /** The absolute URL of the search, without query (e.g. https://host/fhir/R4/Observation). */
  url: string;
  /** The query as received, minus `_offset` and `_count` (they are set per link). */
  query: ReadonlyArray<[string, string]>;
  matches: readonly FhirResource[];
  /** Resources included because a match refers to them (search mode `include`). */
  included?: readonly FhirResource[];
  page: Paging;
  baseUrl: string;
}): Bundle {
  const { count, offset } = args.page;
  const pageItems = args.matches.slice(offset, offset + count);
  const link = (relation: string, at: number): BundleLink => {
    const params = new URLSearchParams();
    for (const [k, v] of args.query) if (k !== '_offset' && k !== '_count') params.append(k, v);
    params.set('_count', String(count));
    if (at > 0) params.set('_offset', String(at));
    return { relation, url: `${args.url}?${params.toString()}` };
  };
  const links: BundleLink[] = [link('self', offset), link('first', 0)];
  if (offset > 0) links.push(link('previous', Math.max(0, offset - count)));
  if (offset + count < args.matches.length) links.push(link('next', offset + count));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: args.matches.length,
    link: links,
    entry: [
      ...pageItems.map((resource) => ({
        fullUrl: `${args.baseUrl}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' as const },
      })),
      ...(args.included ?? []).map((resource) => ({
        fullUrl: `${args.baseUrl}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'include' as const },
      })),
    ],
  };
}

const ISSUE_CODE: Record<number, OperationOutcomeIssue['code']> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  429: 'throttled',
  503: 'transient',
};

/** An error as FHIR wants it: one issue per named field, else one for the whole request. */
export function operationOutcome(
  status: number,
  detail: string,
  fields: readonly SearchProblem[] = []
): OperationOutcome {
  const code = ISSUE_CODE[status] ?? (status >= 500 ? 'exception' : 'processing');
  const severity = status >= 500 ? 'fatal' : 'error';
  const issue: OperationOutcomeIssue[] =
    fields.length > 0
      ? fields.map((f) => ({
          severity,
          code,
          diagnostics: `${f.field} ${f.reason}`,
          expression: [f.field],
        }))
      : [{ severity, code, diagnostics: detail }];
  return { resourceType: 'OperationOutcome', issue };
}
