/**
 * Structural checks of load.do and load.sps for the export's tests (Stata and SPSS are not
 * installed): every column renamed or read, labelled and converted; names valid and unique; every
 * code in the data mapped to its documented integer and every integer labelled; missing values
 * declared; strings quoted so that no text can end them early or start a macro. The code →
 * integer → label chain is replayed on the CSV the script reads.
 */
import { expect } from 'vitest';
import { escapeFormula } from '../csv.js';
import type { ExportTable } from '../model.js';
import { isValidName } from '../names.js';
import { parseStrictCsv } from './strict-csv.js';

// ---------------------------------------------------------------------------------------------
// Stata

/** Stata compound-quoted strings `"…"' in a line; throws if one is unterminated or unsafe. */
export function stataStrings(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while ((i = line.indexOf('`"', i)) >= 0) {
    const end = line.indexOf(`"'`, i + 2);
    if (end < 0) throw new Error(`unterminated compound string: ${line}`);
    const body = line.slice(i + 2, end);
    // A $ or backquote not preceded by a backslash would start a macro.
    if (/(^|[^\\])[$`]/.test(body)) throw new Error(`unescaped macro character in ${body}`);
    out.push(body.replace(/\\([$`])/g, '$1').replace(/\\\\/g, '\\'));
    i = end + 2;
  }
  return out;
}

/** The do-file as logical lines (/// continuations joined, comments dropped). */
function stataLines(script: string): string[] {
  return script
    .replace(/ *\/\/\/\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('*'));
}

export function checkStata(table: ExportTable, script: string, csv: string): void {
  const lines = stataLines(script);
  const header = parseStrictCsv(csv)[0]!;
  const data = parseStrictCsv(csv).slice(1);
  const names = table.variables.map((v) => v.name);

  // Quoting: every line's compound strings are well-formed, and no plain string is left open.
  for (const line of lines) {
    stataStrings(line);
    const outside = line.replace(/`"[^]*?"'/g, '');
    expect((outside.match(/"/g) ?? []).length % 2, line).toBe(0);
  }

  expect(
    lines.some((l) => l.startsWith('import delimited using "data.csv"') && l.includes('stringcols(_all)'))
  ).toBe(true);
  expect(lines).toContain(`if c(k) != ${header.length} {`);
  const rename = lines.find((l) => l.startsWith('rename ('))!;
  const [from, to] = [...rename.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.trim().split(/\s+/));
  expect(from).toEqual(header.map((_, i) => `v${i + 1}`));
  expect(to).toEqual(names);
  for (const name of names) expect(isValidName(name), name).toBe(true);
  expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  expect(lines.find((l) => l.startsWith('order '))).toBe(`order ${names.join(' ')}`);

  table.variables.forEach((v, j) => {
    const x = v.name;
    const labelLines = lines.filter((l) => l.startsWith(`label variable ${x} `));
    expect(labelLines, x).toHaveLength(1);
    const [label] = stataStrings(labelLines[0]!);
    expect([...label!].length).toBeLessThanOrEqual(80);

    const defined = (labelName: string) =>
      new Map(
        lines
          .filter((l) => l.startsWith(`label define ${labelName} `))
          .map((l) => {
            const value = l.split(' ')[3]!;
            return [value, stataStrings(l)[0]!] as const;
          })
      );
    if (v.kind === 'text') {
      expect(lines).toContain(`quietly replace ${x} = usubstr(${x}, 2, .) if usubstr(${x}, 1, 1) == "'"`);
    }
    if (v.kind === 'categorical') {
      // The code list encode reads (value → code as written in the CSV): the `label define __c`
      // lines between the last `capture label drop __c` and this variable's encode.
      const encodeAt = lines.indexOf(`encode ${x}, generate(__t) label(__c) noextend`);
      expect(encodeAt, x).toBeGreaterThan(0);
      const dropAt = lines.lastIndexOf('capture label drop __c', encodeAt);
      const codeList = new Map(
        lines
          .slice(dropAt, encodeAt)
          .filter((l) => l.startsWith('label define __c '))
          .map((l) => [stataStrings(l)[0]!, Number(l.split(' ')[3])] as const)
      );
      const labels = defined(x);
      expect(lines).toContain(`label values ${x} ${x}`);
      expect(labels.get('.a'), x).toBe(
        v.role === 'meta' ? undefined : table.language === 'nb' ? 'Ikke besvart' : 'No answer'
      );
      for (const c of v.categories) {
        expect(codeList.get(escapeFormula(c.code)), `${x} ${c.code}`).toBe(c.value);
        expect(labels.get(String(c.value)), `${x} ${c.value}`).toBe(c.label[table.language]);
      }
      // Replay encode on the data: every cell but empty and the no-answer code must be in the code list.
      for (const row of data) {
        const cell = row[j]!;
        if (cell === '' || cell === table.noAnswerCode) continue;
        expect(codeList.has(cell), `${x}: ${cell}`).toBe(true);
      }
    }
    if (v.binaryLabels) {
      const labels = defined(x);
      expect(labels.get('0')).toBe(v.binaryLabels[0][table.language]);
      expect(labels.get('1')).toBe(v.binaryLabels[1][table.language]);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// SPSS

/** SPSS string literals ("…" with "" inside, or '…'); throws when a quote is left unbalanced. */
export function spssLiterals(line: string): string[] {
  const out: string[] = [];
  const rest = line.replace(
    /"((?:[^"]|"")*)"|'((?:[^']|'')*)'/g,
    (_, dq: string | undefined, sq: string | undefined) => {
      out.push(dq !== undefined ? dq.replaceAll('""', '"') : sq!.replaceAll("''", "'"));
      return '';
    }
  );
  if (/["']/.test(rest)) throw new Error(`unbalanced quote: ${line}`);
  return out;
}

/** SPSS commands: comment lines dropped, lines joined up to a line that ends with a period. */
function spssCommands(script: string): string[] {
  const commands: string[] = [];
  let current: string[] = [];
  for (const line of script.split('\n')) {
    if (line.trim() === '') continue;
    current.push(line);
    if (/\.\s*$/.test(line)) {
      commands.push(current.join('\n'));
      current = [];
    }
  }
  if (current.length > 0) throw new Error(`a command without its closing period: ${current.join('\n')}`);
  return commands;
}

const SPSS_COMMANDS =
  /^(\* |(?:GET DATA|IF|RECODE|FORMATS|NUMERIC|DO IF|COMPUTE|END IF|EXECUTE|MATCH FILES|VARIABLE LABELS|VALUE LABELS|MISSING VALUES|VARIABLE LEVEL)\b)/;

/** Joins `"a" + "b"` pieces into one literal, for reading labels back. */
export function joinedLiteral(text: string): string {
  return spssLiterals(text.replace(/"\s*\+\s*\n?\s*"/g, '')).join('');
}

export function checkSpss(table: ExportTable, script: string, csv: string): void {
  const na = table.noAnswerCode;
  const names = table.variables.map((v) => v.name);
  const rows = parseStrictCsv(csv);
  for (const line of script.split('\n')) {
    expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(256);
    spssLiterals(line);
  }
  const commands = spssCommands(script);
  for (const c of commands) expect(c, c).toMatch(SPSS_COMMANDS);

  // GET DATA lists every column in order, with a width that holds every cell.
  const getData = commands.find((c) => c.startsWith('GET DATA'))!;
  const declared = getData
    .split('/VARIABLES=')[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '.')
    .map((l) => l.split(' ') as [string, string]);
  expect(declared).toHaveLength(rows[0]!.length);
  table.variables.forEach((v, j) => {
    const [readName, format] = declared[j]!;
    expect(readName === v.name || readName.endsWith(v.name), readName).toBe(true);
    expect(Buffer.byteLength(readName)).toBeLessThanOrEqual(64);
    const text = /^A(\d+)$/.exec(format);
    if (text) {
      const widest = Math.max(0, ...rows.slice(1).map((r) => Buffer.byteLength(r[j]!, 'utf8')));
      expect(Number(text[1]), v.column).toBeGreaterThanOrEqual(widest);
    } else {
      expect(format).toMatch(/^F\d+\.0$/);
      expect(['integer', 'decimal', 'boolean', 'indicator']).toContain(v.kind);
    }
  });
  for (const name of names) expect(isValidName(name), name).toBe(true);

  // RECODE maps every code cell to its integer; VALUE LABELS label every integer.
  const valueLabels = commands.find((c) => c.startsWith('VALUE LABELS'))!;
  const labelsOf = (name: string): Map<string, string> => {
    const block = valueLabels.split(/\n\s*\/?/).join('\n');
    const lines = block.split('\n');
    const start = lines.findIndex((l) => l.trim() === name || l.trim() === `/${name}`);
    const out = new Map<string, string>();
    if (start < 0) return out;
    let entry = '';
    for (const l of lines.slice(start + 1)) {
      if (/^\s*[a-z][a-z0-9_]*\s*$/.test(l)) break;
      entry += `${l}\n`;
    }
    for (const m of entry.matchAll(/^\s*(-?\d+) ((?:"(?:[^"]|"")*"\s*\+?\s*)+)\.?$/gm))
      out.set(m[1]!, joinedLiteral(m[2]!));
    return out;
  };
  table.variables.forEach((v, j) => {
    if (v.kind === 'categorical') {
      const recode = commands.find(
        (c) => c.startsWith('RECODE ') && c.trimEnd().endsWith(` INTO ${v.name}.`)
      )!;
      expect(recode, v.name).toBeDefined();
      const pairs = new Map(
        [...recode.matchAll(/\("((?:[^"]|"")*)"=(-?\d+)\)/g)].map((m) => [
          m[1]!.replaceAll('""', '"'),
          Number(m[2]),
        ])
      );
      expect(pairs.get(na)).toBe(Number(na));
      for (const row of rows.slice(1)) {
        const cell = row[j]!;
        if (cell !== '') expect(pairs.has(cell), `${v.name}: ${cell}`).toBe(true);
      }
      const labels = labelsOf(v.name);
      for (const c of v.categories) {
        expect(pairs.get(escapeFormula(c.code))).toBe(c.value);
        expect(labels.get(String(c.value)), `${v.name} ${c.value}`).toBe(c.label[table.language]);
      }
    }
    if (v.binaryLabels) {
      const labels = labelsOf(v.name);
      expect(labels.get('0')).toBe(v.binaryLabels[0][table.language]);
      expect(labels.get('1')).toBe(v.binaryLabels[1][table.language]);
      expect(labels.get(na)).toBe(table.language === 'nb' ? 'Ikke besvart' : 'No answer');
    }
  });

  const variableLabels = commands.find((c) => c.startsWith('VARIABLE LABELS'))!;
  for (const v of table.variables) {
    const match = new RegExp(`^\\s*/?${v.name} ((?:"(?:[^"]|"")*"\\s*\\+?\\s*)+)\\.?$`, 'm').exec(
      variableLabels
    );
    expect(match, v.name).not.toBeNull();
    const label = joinedLiteral(match![1]!);
    expect(Buffer.byteLength(label, 'utf8')).toBeLessThanOrEqual(255);
    expect(v.label[table.language].startsWith(label.replace(/…$/, '')), v.name).toBe(true);
  }

  const missing = commands.find((c) => c.startsWith('MISSING VALUES'))!;
  const missingNames = missing.replace('MISSING VALUES', '').replace(`(${na}).`, '').trim().split(/\s+/);
  expect(missingNames).toEqual(
    table.variables
      .filter(
        (v) =>
          v.role !== 'meta' && ['categorical', 'integer', 'decimal', 'boolean', 'indicator'].includes(v.kind)
      )
      .map((v) => v.name)
  );
  const keep = commands.find((c) => c.startsWith('MATCH FILES'))!;
  expect(keep.replace('MATCH FILES FILE=* /KEEP=', '').replace(/\.$/, '').trim().split(/\s+/)).toEqual(names);
}
