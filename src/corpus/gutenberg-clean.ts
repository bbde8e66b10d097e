// Turns a Project Gutenberg plain-text ebook into just the book: the licence header and footer,
// the producers' credits and the encoding noise (BOM, CRLF, decomposed accents) would otherwise be
// learned by a model as if they were part of the story.

export interface CleanedBook {
  /** From the "Title:" field, else the "The Project Gutenberg eBook of X, by Y" line, else the START marker. */
  title: string;
  text: string;
}

// "*** START OF THE PROJECT GUTENBERG EBOOK ALICE ***", "*** START OF THIS PROJECT GUTENBERG EBOOK ...",
// "***START OF THE PROJECT GUTENBERG EBOOK..." and the "E-TEXT"/"ETEXT" variants of older files.
const START = /^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b(.*?)\*{3}\s*$/im;
// Etexts from the 1990s end their licence with "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*...*END*".
const SMALL_PRINT_END = /^\*END\*\s*THE SMALL PRINT!.*$/im;
const END = /^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b.*$/im;
// "End of the Project Gutenberg EBook of ...", "End of Project Gutenberg's ...", "End of this Project Gutenberg Etext".
const END_LINE = /^End of (?:the |this )?Project Gutenberg(?:'s|’s)?\b.*$/im;
// Credits for the volunteers who digitised the book: useful to keep in SOURCES.md, noise to a model.
const CREDIT = /^(?:Produced by|E-?text prepared by|This e-?(?:book|text) was produced by|Transcribed from)\b/i;

const TITLE_FIELD = /^Title:[ \t]*(.+(?:\n[ \t]+\S.*)*)/m;
// "The Project Gutenberg eBook of Peter Pan, by J. M. Barrie" (modern) or
// "Project Gutenberg's Peter Pan, by James M. Barrie" / "...Etext of ..." (older files).
const EBOOK_OF = /^[ \t*]*(?:The )?Project Gutenberg(?:'s|’s)? E-?(?:Book|text) of (.+?)(?:, by .*?)?[ \t*]*$/im;
const POSSESSIVE = /^[ \t*]*Project Gutenberg(?:'s|’s) (.+?)(?:, by .*?)?[ \t*]*$/im;

function titleCase(upper: string): string {
  return upper.toLowerCase().replace(/(^|[\s(\-"'])(\p{L})/gu, (_m, lead: string, ch: string) => lead + ch.toUpperCase());
}

function findTitle(header: string, startMarkerRest: string | undefined): string {
  const field = TITLE_FIELD.exec(header);
  if (field) return field[1]!.replace(/\s+/g, ' ').trim();
  const ebookOf = EBOOK_OF.exec(header) ?? POSSESSIVE.exec(header);
  if (ebookOf) return ebookOf[1]!.trim();
  // The START marker repeats the title in capitals: "*** START OF THE PROJECT GUTENBERG EBOOK PETER PAN ***".
  const fromMarker = startMarkerRest?.replace(/^[\s,:]+|[\s,:]+$/g, '');
  if (fromMarker) return titleCase(fromMarker);
  return '';
}

/** Removes the Gutenberg header/footer and credits; see the module comment for why. */
export function cleanGutenberg(raw: string): CleanedBook {
  let text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC');

  let header = '';
  let startMarkerRest: string | undefined;
  const start = START.exec(text);
  if (start) {
    header = text.slice(0, start.index);
    startMarkerRest = start[1];
    text = text.slice(start.index + start[0].length);
  } else {
    const smallPrint = SMALL_PRINT_END.exec(text);
    if (smallPrint) {
      header = text.slice(0, smallPrint.index);
      text = text.slice(smallPrint.index + smallPrint[0].length);
    }
  }

  for (const footer of [END, END_LINE]) {
    const match = footer.exec(text);
    if (match) text = text.slice(0, match.index);
  }

  const paragraphs = text.split(/\n[ \t]*\n/).filter((p) => !CREDIT.test(p.trim()));
  text = paragraphs.join('\n\n').trim();

  // Books without a recognisable header still get a title: their first line is usually it.
  const title = findTitle(header, startMarkerRest) || text.split('\n', 1)[0]!.trim();
  return { title, text };
}
