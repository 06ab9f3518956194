/**
 * A small, strict XML 1.0 reader and the escaping the REFI-QDA writer needs.
 *
 * The reader builds a tree of elements with namespace-resolved names. It accepts the XML
 * declaration, comments, processing instructions, CDATA and the predefined and numeric character
 * references, and refuses a DOCTYPE (no entity expansion from an imported file) and anything that
 * is not well-formed, naming line and column. Whitespace-only text between elements is dropped;
 * text inside an element that has no child elements is kept exactly (PlainTextContent).
 */

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI ('' when none). */
  ns: string;
  /** Attributes by qualified name as written (`guid`, `xsi:schemaLocation`). */
  attributes: Map<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number
  ) {
    super(`${message} (line ${String(line)}, column ${String(column)})`);
    this.name = 'XmlError';
  }
}

const NAME =
  /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?/u;

function decodeEntities(raw: string, fail: (message: string) => never): string {
  return raw.replace(/&([^;&]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) fail(`"&" not followed by a character reference`);
    switch (body) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (!numeric) fail(`unknown entity &${body};`);
    const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (code > 0x10ffff || code === 0) fail(`invalid character reference &${body};`);
    return String.fromCodePoint(code);
  });
}

export function parseXml(source: string): XmlElement {
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const where = (at: number): [number, number] => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (source.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return [line, at - lineStart + 1];
  };
  const fail = (message: string, at = pos): never => {
    const [line, column] = where(at);
    throw new XmlError(message, line, column);
  };

  const skipMisc = (): void => {
    for (;;) {
      while (pos < source.length && /\s/.test(source[pos]!)) pos++;
      if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
      } else if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (source.startsWith('<!DOCTYPE', pos)) {
        fail('a DOCTYPE is not accepted');
      } else return;
    }
  };

  interface Open {
    element: XmlElement;
    qname: string;
    scope: Map<string, string>;
    start: number;
  }
  const resolve = (qname: string, scope: Map<string, string>, at: number): { name: string; ns: string } => {
    const colon = qname.indexOf(':');
    if (colon < 0) return { name: qname, ns: scope.get('') ?? '' };
    const prefix = qname.slice(0, colon);
    const ns = scope.get(prefix);
    if (ns === undefined) fail(`undeclared namespace prefix "${prefix}"`, at);
    return { name: qname.slice(colon + 1), ns: ns ?? '' };
  };

  skipMisc();
  if (source[pos] !== '<') fail('not XML: expected "<" at the start of the document');
  const stack: Open[] = [];
  let root: XmlElement | null = null;

  while (pos < source.length) {
    if (stack.length === 0 && root) {
      skipMisc();
      if (pos < source.length) fail('content after the root element');
      break;
    }
    if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos);
      if (end < 0) fail('unterminated comment');
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end < 0) fail('unterminated CDATA section');
      const top = stack.at(-1);
      if (!top) fail('character data outside the root element');
      top!.element.text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos);
      if (end < 0) fail('unterminated processing instruction');
      pos = end + 2;
    } else if (source.startsWith('<!', pos)) {
      fail('a DOCTYPE or declaration is not accepted');
    } else if (source.startsWith('</', pos)) {
      const match = NAME.exec(source.slice(pos + 2, pos + 2 + 400));
      const open = stack.pop();
      if (!match || !open) fail('unexpected closing tag');
      if (match![0] !== open!.qname) fail(`closing tag </${match![0]}> does not match <${open!.qname}>`);
      pos += 2 + match![0].length;
      while (/\s/.test(source[pos] ?? '')) pos++;
      if (source[pos] !== '>') fail('expected ">"');
      pos++;
      const el = open!.element;
      if (el.children.length > 0 && el.text.trim() === '') el.text = '';
    } else if (source[pos] === '<') {
      const start = pos;
      const match = NAME.exec(source.slice(pos + 1, pos + 1 + 400));
      if (!match) fail('expected an element name after "<"');
      const qname = match![0];
      pos += 1 + qname.length;
      const raw: [string, string, number][] = [];
      let selfClosing = false;
      for (;;) {
        const before = pos;
        while (/\s/.test(source[pos] ?? '')) pos++;
        if (source.startsWith('/>', pos)) {
          selfClosing = true;
          pos += 2;
          break;
        }
        if (source[pos] === '>') {
          pos++;
          break;
        }
        if (pos === before) fail('expected whitespace, ">" or "/>"');
        const at = pos;
        const attr = NAME.exec(source.slice(pos, pos + 400));
        if (!attr) fail('expected an attribute name');
        pos += attr![0].length;
        while (/\s/.test(source[pos] ?? '')) pos++;
        if (source[pos] !== '=') fail(`expected "=" after attribute ${attr![0]}`);
        pos++;
        while (/\s/.test(source[pos] ?? '')) pos++;
        const quote = source[pos];
        if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
        const end = source.indexOf(quote!, pos + 1);
        if (end < 0) fail('unterminated attribute value');
        const value = source.slice(pos + 1, end);
        if (value.includes('<')) fail('"<" in an attribute value');
        // Attribute-value normalisation: literal whitespace characters become spaces.
        raw.push([attr![0], decodeEntities(value.replace(/[\t\n\r]/g, ' '), (m) => fail(m, at)), at]);
        pos = end + 1;
      }
      const parentScope = stack.at(-1)?.scope ?? new Map<string, string>();
      const scope = new Map(parentScope);
      const attributes = new Map<string, string>();
      for (const [name, value, at] of raw) {
        if (attributes.has(name)) fail(`duplicate attribute ${name}`, at);
        attributes.set(name, value);
        if (name === 'xmlns') scope.set('', value);
        else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
      }
      const { name, ns } = resolve(qname, scope, start);
      const element: XmlElement = { name, ns, attributes, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.element.children.push(element);
      else if (root) fail('more than one root element', start);
      else root = element;
      if (!selfClosing) stack.push({ element, qname, scope, start });
    } else {
      const next = source.indexOf('<', pos);
      const end = next < 0 ? source.length : next;
      const chunk = source.slice(pos, end);
      const top = stack.at(-1);
      if (!top) {
        if (chunk.trim() !== '') fail('text outside the root element');
      } else {
        top.element.text += decodeEntities(chunk.replace(/\r\n?/g, '\n'), (m) => fail(m));
      }
      pos = end;
    }
  }
  if (stack.length > 0) fail(`unclosed element <${stack.at(-1)!.qname}>`, stack.at(-1)!.start);
  if (!root) fail('no root element');
  return root!;
}

/** Characters XML 1.0 cannot carry at all (controls other than tab, LF, CR; U+FFFE/F; lone surrogates). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** Escape character data (also CR, which a parser would otherwise turn into LF). */
export function escapeText(text: string): string {
  const bad = NOT_XML.exec(text);
  if (bad) {
    throw new RangeError(
      `character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at offset ${String(bad.index)} cannot be written in XML`
    );
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escape an attribute value so that it survives attribute-value normalisation unchanged. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
