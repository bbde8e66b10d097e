// Text as the models see it: NFC code points, \n line endings, and (optionally) hard-wrapped lines
// joined so a paragraph is one line and paragraphs are separated by one blank line.

export function normalizeText(text: string, opts: { unwrap?: boolean } = {}): string {
  let s = text.replace(/^\uFEFF/, '').normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  if (opts.unwrap) {
    s = s
      .split(/\n[ \t]*\n+/)
      .map((p) => p.replace(/\s*\n\s*/g, ' ').replace(/ {2,}/g, ' ').trim())
      .filter((p) => p.length > 0)
      .join('\n\n');
  }
  return s;
}

/** Accent folding and typographic look-alikes: the "nearest known form" tried for unknown prompt text. */
export function foldCharacter(ch: string): string {
  const map: Record<string, string> = {
    '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u2032': "'",
    '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u00AB': '"', '\u00BB': '"',
    '\u2013': '-', '\u2014': '-', '\u2012': '-', '\u2212': '-',
    '\u2026': '...', '\u00A0': ' ', '\u00DF': 'ss', '\u00E6': 'ae', '\u00C6': 'AE', '\u0153': 'oe', '\u0152': 'OE',
  };
  if (map[ch] !== undefined) return map[ch];
  return ch.normalize('NFD').replace(/\p{M}/gu, '');
}
