// Text formatting for the story and training screens (number formatters are in src/format.ts).

/** Replaces characters that would break the terminal layout (tabs, carriage returns, other controls). */
export function printable(text: string): string {
  return text.replace(/\t/g, ' ').replace(/\r/g, '').replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '·');
}
