// Plain-text renderings of the demo results, shared by the CLI, the TUI and the bot (fixed-width tables,
// no colour, no trailing spaces).
import { textTable as table } from '../format.ts';
import type { DougJaneSpotReport } from './doug-jane-spot.ts';
import type { ArithmeticDemo, GapGradient, UnrollResult } from './gradients.ts';
import { TEST_SET_TITLES, type BucketResult } from './long-dependency.ts';
import type { MemoryCellReport } from './memory-cells.ts';
import type { PricesDemo } from './prices.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '-');
const num = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const sci = (x: number) => (x === 0 ? '0' : x.toExponential(2));

/**
 * One row per gap bucket, accuracy and mean probability per model side by side (a column per model name
 * without its "long-dep-", or per cell type for rows without one); one table per test set, each under its title.
 */
export function formatBucketTable(results: readonly BucketResult[]): string {
  const tests = [...new Set(results.map((r) => r.test))];
  const tables = tests.map((t) => {
    const rowsOf = results.filter((r) => r.test === t);
    const text = bucketTable(rowsOf);
    return t ? `${TEST_SET_TITLES[t]}\n${text}` : text;
  });
  const languages = results[0]?.languages ?? 0;
  return `${tables.join('\n\n')}\nacc: greedy completion of "I speak fluent " is the right language; p: mean probability of the language word; chance ${pct(1 / languages)} (1 of ${languages})`;
}

function bucketTable(results: readonly BucketResult[]): string {
  // "long-dep-prose-lstm" → "prose-lstm": six models side by side must still fit a terminal.
  const label = modelLabel;
  const models = [...new Set(results.map(label))];
  const buckets = [...new Map(results.map((r) => [`${r.gapMin}-${r.gapMax}`, r])).values()];
  const header = ['gap (chars)', 'n', ...models.flatMap((c) => [`${c} acc`, `${c} p`])];
  const rows = buckets.map((b) => {
    const row = [`${b.gapMin}-${b.gapMax}`, String(b.n)];
    for (const c of models) {
      const r = results.find((x) => label(x) === c && x.gapMin === b.gapMin && x.gapMax === b.gapMax);
      row.push(r ? pct(r.accuracy) : '-', r ? num(r.meanProb, 2) : '-');
    }
    return row;
  });
  return table([header, ...rows]);
}

export function formatMemoryCells(r: MemoryCellReport, top = 5): string {
  const rows = [['unit', 'η² end of gap', 'η² mid gap', 'mean forget'], ...r.units.slice(0, top).map((u) => [String(u.unit), num(u.eta2, 2), num(u.eta2MidGap, 2), num(u.meanForget, 3)])];
  return [
    `memory cells (${r.episodes} test episodes with gaps of 200+ characters):`,
    table(rows),
    `η²: share of a unit's cell-state variance explained by the country (correlation ratio) at the last filler character.`,
    `mean forget gate over the filler: ${num(r.meanForgetAll, 3)} for all units.`,
    `unit ${r.topUnit} alone names the country (nearest country mean of its cell state) in ${pct(r.topUnitAccuracy)} of held-out episodes; a linear probe on all cell states, in ${pct(r.probeAccuracy)} (chance ${pct(r.chance)}).`,
  ].join('\n');
}

function unrollLine(u: UnrollResult): string {
  return `  w = ${u.weight}: h0 = ${u.h0}, h${u.steps} = ${sci(u.hT)}, d(h${u.steps})/d(h0) = ${sci(u.gradient)}   (w^${u.steps} = ${sci(u.linear)})`;
}

export function formatArithmetic(d: ArithmeticDemo): string {
  const steps = d.linear[0]?.steps ?? 50;
  return [
    `(a) one tanh unit, recurrent weight w, unrolled ${steps} steps; the gradient comes from the engine's backward pass.`,
    `In tanh's linear range (tiny h0) every step multiplies the gradient by w:`,
    ...d.linear.map(unrollLine),
    `So a signal ${steps} steps back is amplified ${sci(d.linear[0]!.gradient)}-fold with w = 2 (exploding) or shrunk to ${sci(d.linear[1]!.gradient)} with w = 0.5 (vanishing).`,
    `With an ordinary starting state (h0 = 0.5) the w = 2 unit saturates, tanh' is tiny, and the gradient vanishes too:`,
    ...d.saturated.map(unrollLine),
  ].join('\n');
}

/** Column label of a model: its name without "long-dep-", or its cell type. */
export const modelLabel = (r: { model?: string; cell: string }) => r.model?.replace(/^long-dep-/, '') ?? r.cell;

export function formatGapGradients(rows: readonly GapGradient[]): string {
  const models = [...new Set(rows.map(modelLabel))];
  const gaps = [...new Set(rows.map((r) => r.gap))];
  const t = [['gap (chars)', ...models], ...gaps.map((g) => [String(g), ...models.map((m) => sci(rows.find((r) => modelLabel(r) === m && r.gap === g)?.norm ?? NaN))])];
  return [
    `(b) ‖∂ score of the language's first letter / ∂ state right after the country‖ (geometric mean over episodes):`,
    table(t),
    `A falling column is a vanishing gradient: the answer no longer depends on, and training can no longer reach, the country.`,
  ].join('\n');
}

export function formatPrices(d: PricesDemo): string {
  const out = [`one LSTM unit, trained ${d.steps} steps (mean squared error ${sci(d.lossBefore)} → ${sci(d.lossAfter)})`];
  for (const c of d.companies) {
    out.push('', `company ${c.name}: days 1-4 = ${c.days.map((x) => x.input).join(', ')}; day 5 should be ${c.target}`);
    out.push(
      table([
        ['day', 'price', 'forget', 'input', 'output', 'long-term (c)', 'short-term (h)'],
        ...c.days.map((x) => [String(x.day), String(x.input), num(x.forget), num(x.inputGate), num(x.outputGate), num(x.cell), num(x.hidden)]),
      ]),
    );
    out.push(`prediction for day 5: ${num(c.prediction)} (target ${c.target})`);
  }
  return out.join('\n');
}

export function formatDougJaneSpot(r: DougJaneSpotReport): string {
  const out = [
    `${r.model}: ${r.saw.sentences} sentences sampled at temperature ${r.temperature} (seed ${r.seed})`,
    `"X saw Y." sentences: ${r.saw.sawSentences}; of those "X saw X.": ${r.saw.selfSaw} (${(100 * r.saw.rate).toFixed(2)}%)`,
  ];
  if (r.saw.examples.length) out.push(`examples: ${r.saw.examples.join(' | ')}`);
  if (r.forget) {
    out.push(
      `mean forget gate at the first letter of the name after "saw" (${r.forget.names} names), by layer: ${r.forget.atName.map((x) => num(x)).join(', ')}`,
      `mean forget gate over all characters, by layer: ${r.forget.overall.map((x) => num(x)).join(', ')}`,
    );
  }
  return out.join('\n');
}
