/**
 * The XML reader for imported REFI-QDA files, on saxes (a maintained, strict, namespace-aware
 * XML 1.0 parser, the one jsdom uses), and the escaping the REFI-QDA writer needs.
 *
 * `parseXml` builds a small tree of elements with namespace-resolved names. Anything that is not
 * well-formed fails with saxes' message and its line and column. A DOCTYPE is refused outright:
 * an imported file must not define entities (no expansion, no external fetch). Whitespace-only
 * text between child elements is dropped; the text of an element without child elements is kept
 * exactly (PlainTextContent).
 */
import { SaxesParser } from 'saxes';

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

export function parseXml(source: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (message: string): never => {
    throw new XmlError(message, parser.line, parser.column);
  };
  // saxes reports a well-formedness error and would go on; the first one ends the parse.
  parser.on('error', (error) => fail(error.message.replace(/^(?:.*?:)?\d+:\d+: /, '')));
  parser.on('doctype', () => fail('a DOCTYPE is not accepted'));
  parser.on('opentag', (tag) => {
    const attributes = new Map<string, string>();
    for (const [name, attribute] of Object.entries(tag.attributes)) attributes.set(name, attribute.value);
    const element: XmlElement = { name: tag.local, ns: tag.uri, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element && element.children.length > 0 && element.text.trim() === '') element.text = '';
  });
  const addText = (text: string) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  if (!text.trimStart().startsWith('<')) fail('not XML: expected "<" at the start of the document');
  parser.write(text).close();
  if (!root) return fail('no root element');
  return root;
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
