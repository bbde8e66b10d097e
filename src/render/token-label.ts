// Tokens as axis labels: whitespace made visible, control characters shown as '·', long words shortened.
// The bitmap font has glyphs for these symbols, so SVG and PNG show the same label.

const VISIBLE: Record<string, string> = { ' ': '␣', '\n': '↵', '\r': '↵', '\t': '⇥' };

/** A token as a short visible label: ' ' → '␣', '\n' → '↵', '\t' → '⇥', '' → '∅', cut to maxChars with '…'. */
export function visibleToken(token: string, maxChars = 12): string {
  if (token.length === 0) return '∅';
  const chars = [...token].map((ch) => VISIBLE[ch] ?? (/\p{Cc}/u.test(ch) ? '·' : ch));
  if (chars.length <= maxChars) return chars.join('');
  return chars.slice(0, Math.max(1, maxChars - 1)).join('') + '…';
}

/** Text shortened with '…' so that, in the bitmap font at `scale`, it fits within `width` pixels. */
export function fit(text: string, width: number, scale: number): string {
  const chars = [...text];
  const max = Math.max(1, Math.floor((width + scale) / (6 * scale)));
  return chars.length <= max ? text : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}
