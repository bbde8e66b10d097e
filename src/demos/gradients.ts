// Vanishing and exploding gradients, measured with the engine's own backward pass.
// (a) A one-unit tanh RNN with recurrent weight w unrolled 50 steps: back-propagation multiplies the
//     gradient by w·tanh'(·) once per step, so d(h_50)/d(h_0) is w^50 while the unit stays in tanh's linear
//     range: 2^50 ≈ 1.1e15 (explodes) and 0.5^50 ≈ 8.9e-16 (vanishes).
// (b) On trained language models: how strongly the answer depends on the state at the country's time
//     step, as the gap grows — the gradient that would teach the model to remember.
import { f64Backend, type Arr } from '../engine/backend.ts';
import type { LayerParams } from '../engine/cells/layer.ts';
import { RnnLayer } from '../engine/cells/rnn.ts';
import type { LoadedModel } from '../generation/generator.ts';
import { INTRO, QUESTION, type Episode } from './long-dependency-corpus.ts';

export interface UnrollResult {
  weight: number;
  steps: number;
  /** Starting hidden state. */
  h0: number;
  /** Hidden state after the last step (forward pass). */
  hT: number;
  /** d(h_T)/d(h_0) from RnnLayer.backward (dh0 with dh_T = 1). */
  gradient: number;
  /** weight^steps: what the gradient would be for a purely linear unit. */
  linear: number;
}

function oneUnitParams(weight: number): LayerParams {
  const a = (v: number) => Float64Array.of(v);
  return { Wih: a(1), Whh: a(weight), bih: a(0), bhh: a(0), dWih: a(0), dWhh: a(0), dbih: a(0), dbhh: a(0) };
}

/**
 * Runs a one-unit RnnLayer (f64, zero inputs and biases) for `steps` steps from h0 and back-propagates
 * a gradient of 1 from the last hidden state to the first.
 */
export function unrollOneUnit(weight: number, steps = 50, h0 = 1e-20): UnrollResult {
  const layer = new RnnLayer(1, 1, oneUnitParams(weight), f64Backend);
  const x = new Float64Array(steps);
  const out = layer.forward(x, steps, 1, Float64Array.of(h0));
  const hT = out[steps - 1];
  const { dh0 } = layer.backward(new Float64Array(steps), Float64Array.of(1));
  return { weight, steps, h0, hT, gradient: dh0[0], linear: weight ** steps };
}

export interface ArithmeticDemo {
  /** Tiny h0: tanh is linear, so the gradient is w^50 exactly as the seeds compute it. */
  linear: UnrollResult[];
  /** Ordinary h0 = 0.5: with w = 2 the unit saturates near ±0.96 and tanh' ≈ 0.08 cancels the growth. */
  saturated: UnrollResult[];
}

export function arithmeticDemo(steps = 50): ArithmeticDemo {
  return {
    linear: [2, 0.5].map((w) => unrollOneUnit(w, steps, 1e-20)),
    saturated: [2, 0.5].map((w) => unrollOneUnit(w, steps, 0.5)),
  };
}

export interface GapGradient {
  cell: string;
  /** The model's name (two models may share a cell type). */
  model?: string;
  gap: number;
  n: number;
  /** Geometric mean over episodes of ‖∂ score / ∂ state at the country‖ (h and, for the LSTM family, c together). */
  norm: number;
}

function encode(lm: LoadedModel, text: string): number[] {
  return lm.tokenizer.encodePrompt(text, 'replace').ids;
}

/**
 * ‖∂z/∂s‖ where s is the recurrent state right after the model has read the country's name and z is the
 * logit the model gives the language's first letter after "I speak fluent ". The logit (not the loss) is
 * used so that a model that is already sure of the answer still shows how much the answer depends on
 * that distant state; a model that has forgotten shows a gradient near zero.
 */
export function countryGradientNorm(lm: LoadedModel, episode: Episode): number {
  const { model } = lm;
  const V = model.config.vocabSize;
  const nl = lm.tokenizer.idOf('\n');
  const countryEnd = INTRO(episode.country).length - 1; // text index of the "." after the country
  const q = episode.text.lastIndexOf(QUESTION) + QUESTION.length;
  const head = Int32Array.from([...(nl === undefined ? [] : [nl]), ...encode(lm, episode.text.slice(0, countryEnd))]);
  const tail = Int32Array.from(encode(lm, episode.text.slice(countryEnd, q)));
  const state = model.zeroState(1);
  model.forward(head, head.length, 1, state);
  model.forward(tail, tail.length, 1, state);
  const dLogits: Arr = model.backend.alloc(tail.length * V);
  const target = lm.tokenizer.idOf(episode.language[0]!);
  if (target === undefined) throw new RangeError(`the model does not know the letter ${episode.language[0]}`);
  dLogits[(tail.length - 1) * V + target] = 1;
  model.params.zeroGrad();
  const d0 = model.backward(dLogits);
  model.params.zeroGrad();
  let sq = 0;
  for (const a of [...d0.h, ...d0.c]) if (a) for (let i = 0; i < a.length; i++) sq += a[i] * a[i];
  return Math.sqrt(sq);
}

/** Geometric-mean gradient norm at each gap, per model, over episodes grouped by gap. */
export function gradientByGap(models: LoadedModel[], sets: Array<{ gap: number; episodes: Episode[] }>): GapGradient[] {
  return models.flatMap((lm) =>
    sets.map(({ gap, episodes }) => {
      let logSum = 0;
      let n = 0;
      for (const e of episodes) {
        const g = countryGradientNorm(lm, e);
        if (g > 0 && Number.isFinite(g)) {
          logSum += Math.log(g);
          n++;
        }
      }
      return { cell: lm.model.config.cell, ...(lm.name ? { model: lm.name } : {}), gap, n, norm: n ? Math.exp(logSum / n) : 0 };
    }),
  );
}
