/**
 * A strict RFC 4180 reader for the export's tests: CRLF between records (and after the last), a
 * field either plain (no comma, quote, CR or LF) or wholly quoted with doubled quotes inside, and
 * nothing between a closing quote and the next comma or CRLF. Anything else throws, so a test that
 * reads a file back also proves the file is well-formed.
 */
export function parseStrictCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  if (text.length === 0) return rows;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        const ch = text[i]!;
        if (ch === '"' || ch === '\n') throw new Error(`unquoted ${JSON.stringify(ch)} at ${i}`);
        field += ch;
        i++;
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      rows.push(row);
      row = [];
      i += 2;
      if (i === text.length) return rows;
      continue;
    }
    throw new Error(`expected comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 10))}`);
  }
}
