// A strict little XML well-formedness checker for the SVG tests: balanced tags, quoted attributes, no raw
// '<' or stray '&' in text or attribute values, known entities only. Returns the element tree for queries.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text content directly inside this element, entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw '<' in ${where}`);
  return raw.replace(/&([^;]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated entity in ${where}: ${m}`);
    if (name in ENTITIES) return ENTITIES[name]!;
    const num = /^#(x[0-9a-f]+|[0-9]+)$/i.exec(name);
    if (num) return String.fromCodePoint(parseInt(num[1]!.replace(/^x/i, ''), /^x/i.test(num[1]!) ? 16 : 10));
    throw new Error(`unknown entity &${name}; in ${where}`);
  });
}

export function parseXml(xml: string): XmlElement {
  let pos = 0;
  if (xml.startsWith('<?xml')) pos = xml.indexOf('?>') + 2;
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt < 0 ? xml.length : lt;
    const text = xml.slice(pos, textEnd);
    stack.at(-1)!.text += decode(text, `text of <${stack.at(-1)!.name}>`);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      pos = xml.indexOf('-->', lt) + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    pos = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop()!;
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const m = /^([A-Za-z_][\w:.-]*)([\s\S]*?)\/?$/.exec(tag);
    if (!m) throw new Error(`bad tag <${tag.slice(0, 40)}>`);
    const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: '' };
    let rest = m[2]!;
    const attrRe = /^\s+([A-Za-z_][\w:.-]*)="([^"]*)"/;
    for (let am = attrRe.exec(rest); am; am = attrRe.exec(rest)) {
      if (am[1]! in el.attrs) throw new Error(`duplicate attribute ${am[1]} on <${el.name}>`);
      el.attrs[am[1]!] = decode(am[2]!, `attribute ${am[1]} of <${el.name}>`);
      rest = rest.slice(am[0].length);
    }
    if (rest.trim() !== '') throw new Error(`malformed attributes on <${el.name}>: ${rest.slice(0, 40)}`);
    stack.at(-1)!.children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  const elements = root.children;
  if (elements.length !== 1) throw new Error(`expected one root element, found ${elements.length}`);
  return elements[0]!;
}

/** All descendants (depth first) with the given tag name. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
