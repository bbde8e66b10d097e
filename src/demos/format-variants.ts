// The LSTM family side by side: one row per model with its parameter count, its accuracy in each gap bucket
// of one test set and on the 2nd and later episodes of a stream (multi-episode), as a fixed-width text table
// for the terminal and as Markdown for docs/demos.md; the gradient-by-gap table as Markdown too.
import { textTable } from '../format.ts';
import { modelLabel } from './format.ts';
import type { GapGradient } from './gradients.ts';
import type { BucketResult, TestSetName } from './long-dependency.ts';
import type { StreamResult } from './multi-episode.ts';

const pct = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '-');
const sci = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x === 0 ? '0' : x.toExponential(2));
const count = (x: number | undefined) => (x === undefined ? '-' : x.toLocaleString('en'));
const growth = (s: StreamResult | undefined) => (s?.cellNorm?.length ? `${s.cellNorm[0]!.toFixed(2)} → ${s.cellNorm.at(-1)!.toFixed(2)}` : '-');

/** Header and rows of the side-by-side table: models in the order they first appear, buckets in order. */
export function variantRows(results: readonly BucketResult[], streams: readonly StreamResult[], test: TestSetName = 'generator'): string[][] {
  const rows = results.filter((r) => (r.test ?? 'generator') === test);
  const models = [...new Set([...rows.map(modelLabel), ...streams.map(modelLabel)])];
  const buckets = [...new Map(rows.map((r) => [`${r.gapMin}-${r.gapMax}`, r])).keys()];
  const K = streams[0]?.episodesPerStream ?? 0;
  const withStreams = streams.length > 0;
  const header = ['model', 'cell', 'params', ...buckets, ...(withStreams ? ['multi-episode', 'answers the previous', `mean |c| at question 1 → ${K}`] : [])];
  const body = models.map((m) => {
    const of = rows.filter((r) => modelLabel(r) === m);
    const s = streams.find((x) => modelLabel(x) === m);
    return [
      m,
      of[0]?.cell ?? s?.cell ?? '-',
      count(of[0]?.params ?? s?.params),
      ...buckets.map((b) => pct(of.find((r) => `${r.gapMin}-${r.gapMax}` === b)?.accuracy)),
      ...(withStreams ? [pct(s?.accuracy), pct(s?.previousLanguage), growth(s)] : []),
    ];
  });
  return [header, ...body];
}

function streamNote(streams: readonly StreamResult[]): string {
  const s = streams[0];
  if (!s) return 'multi-episode: not measured';
  return (
    `multi-episode: accuracy on episodes 2-${s.episodesPerStream} of ${s.streams} streams of ${s.episodesPerStream} episodes (${s.n} answers per model), ` +
    `each country different from the one before; "answers the previous": share of them answered with the previous episode's language; ` +
    `mean |c|: the cell state's mean absolute value over all units when each question is asked (LSTM family only)`
  );
}

/** The side-by-side table as text, for the terminal. */
export function formatVariantsTable(results: readonly BucketResult[], streams: readonly StreamResult[], test: TestSetName = 'generator'): string {
  const languages = results[0]?.languages ?? streams[0]?.languages ?? 0;
  return [
    `every cell side by side (${test} test set: accuracy by gap bucket, characters of filler):`,
    textTable(variantRows(results, streams, test)),
    streamNote(streams),
    `chance ${pct(1 / languages)} (1 of ${languages})`,
  ].join('\n');
}

/** Rows as a Markdown table; numeric columns (all but the first two) right-aligned. */
export function markdownTable(rows: readonly string[][], leftColumns = 1): string {
  const [header, ...body] = rows;
  if (!header) return '';
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const line = (r: readonly string[]) => `| ${r.map(esc).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i < leftColumns ? '---' : '---:')).join('|')}|`, ...body.map(line)].join('\n');
}

export function markdownVariantsTable(results: readonly BucketResult[], streams: readonly StreamResult[], test: TestSetName = 'generator'): string {
  const table = markdownTable(variantRows(results, streams, test), 2);
  return streams.length ? `${table}\n\n${streamNote(streams)}.` : table;
}

/** The gradient-by-gap table as Markdown: a row per model, a column per gap. */
export function markdownGapGradients(rows: readonly GapGradient[]): string {
  const models = [...new Set(rows.map(modelLabel))];
  const gaps = [...new Set(rows.map((r) => r.gap))];
  const t = [['gap (characters)', ...gaps.map(String)], ...models.map((m) => [m, ...gaps.map((g) => sci(rows.find((r) => modelLabel(r) === m && r.gap === g)?.norm))])];
  return markdownTable(t);
}
