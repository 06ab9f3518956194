/**
 * A strict reader for the XML the export writes (no XML parser is a dependency of the project):
 * an optional XML declaration, one root element, elements with matching end tags, attributes
 * quoted with " and never repeated, character data in which `<` never appears and `&` only starts
 * one of the five predefined entities or a character reference, and no character XML 1.0 forbids.
 * Comments, CDATA, processing instructions and DTDs are refused (the export writes none). Returns
 * the element tree with entities decoded, so a test can read the values back.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element, decoded (whitespace between child elements included). */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`'<' in character data near ${where}`);
  return raw.replace(/&([^;]*);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare '&' near ${where}`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const hex = /^#x([0-9a-fA-F]+)$/.exec(body);
    const dec = /^#(\d+)$/.exec(body);
    const code = hex ? parseInt(hex[1]!, 16) : dec ? parseInt(dec[1]!, 10) : NaN;
    if (Number.isNaN(code)) throw new Error(`unknown entity ${match} near ${where}`);
    const ch = String.fromCodePoint(code);
    if (FORBIDDEN.test(ch)) throw new Error(`reference to a forbidden character ${match}`);
    return ch;
  });
}

export function parseStrictXml(source: string): XmlElement {
  if (FORBIDDEN.test(source)) throw new Error('a character XML 1.0 forbids');
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(source);
  if (decl) i = decl[0].length;
  else if (source.startsWith('<?')) throw new Error('malformed XML declaration');

  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };

  const element = (): XmlElement => {
    if (source[i] !== '<') throw new Error(`expected '<' at ${i}`);
    i++;
    const name = NAME.exec(source.slice(i))?.[0];
    if (!name) throw new Error(`bad element name at ${i}`);
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new Error(`expected whitespace before an attribute at ${i}`);
      const attribute = NAME.exec(source.slice(i))?.[0];
      if (!attribute) throw new Error(`bad attribute name at ${i}`);
      i += attribute.length;
      if (source[i] !== '=' || source[i + 1] !== '"')
        throw new Error(`expected ="…" after ${attribute} at ${i}`);
      const end = source.indexOf('"', i + 2);
      if (end < 0) throw new Error('unterminated attribute value');
      if (attribute in attributes) throw new Error(`repeated attribute ${attribute}`);
      attributes[attribute] = decode(source.slice(i + 2, end), i);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = source.indexOf('<', i);
      if (next < 0) throw new Error(`element ${name} is not closed`);
      text += decode(source.slice(i, next), i);
      i = next;
      if (source.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!source.startsWith(close, i)) throw new Error(`expected ${close} at ${i}`);
        i += close.length;
        return { name, attributes, children, text };
      }
      if (source.startsWith('<!', i) || source.startsWith('<?', i))
        throw new Error(`unexpected markup at ${i}`);
      children.push(element());
    }
  };

  const root = element();
  skipSpace();
  if (i !== source.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

/** Every element named `name` below `root`, in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    if (e.name === name) out.push(e);
    e.children.forEach(visit);
  };
  visit(root);
  return out;
}
