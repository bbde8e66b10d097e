// Doug, Jane and Spot: the early-reader corpus has many "X saw Y." sentences and never "X saw X.".
// A model that learned the rule rarely writes someone seeing themselves; the forget gate while it reads
// the name after "saw" shows what happens to its memory at the moment the rule matters.
import { sawSelfReport, type SawSelfReport } from '../corpus/saw-check.ts';
import { hasCellState } from '../engine/config.ts';
import { generateText, type LoadedModel } from '../generation/generator.ts';

export interface ForgetAtName {
  /** Names after "saw" that were measured. */
  names: number;
  /** Per layer: mean forget gate (over units) while reading the first letter of the name after "saw ". */
  atName: number[];
  /** Per layer: mean forget gate over every character of the text, for comparison. */
  overall: number[];
}

export interface DougJaneSpotReport {
  model: string;
  /** Characters sampled. */
  chars: number;
  temperature: number;
  seed: string;
  saw: SawSelfReport;
  forget: ForgetAtName | null;
}

// "X saw Y." with single names: the first letter of Y is where the rule applies.
const SAW_NAME = /\b\p{Lu}\p{L}* saw (\p{Lu})\p{L}*[.!?]/gu;

/**
 * Runs the model over text (one stream, chunks with carried state) and averages forget gates. Null for a word
 * model and for cells without an LSTM forget gate to read (GRU, RNN, lstm-no-forget, whose f is fixed at 1).
 */
export function forgetAtNames(lm: LoadedModel, text: string, chunk = 256): ForgetAtName | null {
  const { model, tokenizer } = lm;
  if (!hasCellState(model.config.cell) || model.config.cell === 'lstm-no-forget' || tokenizer.level !== 'char') return null;
  const chars = Array.from(text);
  const targets = new Set<number>();
  for (const m of text.matchAll(SAW_NAME)) {
    // Index in code points of the name's first letter.
    const at = m.index! + m[0].indexOf(' saw ') + ' saw '.length;
    targets.add(Array.from(text.slice(0, at)).length);
  }
  const L = model.config.layers;
  const atName = new Array(L).fill(0);
  const overall = new Array(L).fill(0);
  let nOverall = 0;
  const state = model.zeroState(1);
  const ids = chars.map((c) => tokenizer.idOf(c) ?? tokenizer.idOf(' ') ?? 0);
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  for (let start = 0; start < ids.length; start += chunk) {
    const part = Int32Array.from(ids.slice(start, start + chunk));
    model.forward(part, part.length, 1, state);
    for (let t = 0; t < part.length; t++) {
      const tr = model.trace(t, 0);
      const isName = targets.has(start + t);
      for (let k = 0; k < L; k++) {
        const f = mean(tr[k]!.forget!);
        overall[k] += f;
        if (isName) atName[k] += f;
      }
      nOverall++;
    }
  }
  const names = targets.size;
  return {
    names,
    atName: atName.map((s) => (names ? s / names : NaN)),
    overall: overall.map((s) => s / Math.max(1, nOverall)),
  };
}

/**
 * Samples at least `minSentences` sentences at the given temperature (seeded) and reports the "X saw X."
 * rate and the forget gate at the name after "saw".
 */
export function dougJaneSpotDemo(lm: LoadedModel, opts: { minSentences?: number; temperature?: number; seed?: string; maxChars?: number } = {}): DougJaneSpotReport {
  const minSentences = opts.minSentences ?? 1000;
  const temperature = opts.temperature ?? 1;
  const seed = opts.seed ?? 'doug-jane-spot/demo';
  const maxChars = opts.maxChars ?? 200_000;
  let text = '';
  let round = 0;
  // Sample in pieces, each starting a new story, until enough sentences are in hand.
  while (text.length < maxChars) {
    const piece = generateText(lm, { prime: '', length: 4000, temperature, seed: `${seed}/${round++}` }).text;
    text += (text ? '\n\n' : '') + piece;
    if (sawSelfReport(text).sentences >= minSentences) break;
  }
  return {
    model: lm.name,
    chars: text.length,
    temperature,
    seed,
    saw: sawSelfReport(text),
    forget: forgetAtNames(lm, text),
  };
}
