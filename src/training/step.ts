// One optimisation step of truncated BPTT, shared by the trainer and the benchmark so that what is
// measured is exactly what trains the models.
import type { Arr } from '../engine/backend.ts';
import { GATES, type CellType } from '../engine/config.ts';
import { RnnModel, softmaxCrossEntropy, type ModelState } from '../engine/model.ts';
import type { Rng } from '../engine/rng.ts';
import { clipGradNorm, type Optimizer } from './optimizer.ts';

export interface StepResult {
  /** Mean cross-entropy in nats per token. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/**
 * forward (T·B tokens from `state`, which moves on to the final state) → loss → backward → clip → update.
 * The gradient does not flow into the carried state: that is what makes the BPTT truncated.
 */
export function trainStep(
  model: RnnModel,
  x: Int32Array,
  y: Int32Array,
  T: number,
  B: number,
  state: ModelState,
  opt: { optimizer: Optimizer; lr: number; gradClip: number; rng: Rng; dLogits: Arr; weights?: Float32Array | null },
): StepResult {
  const V = model.config.vocabSize;
  const P = model.params;
  P.zeroGrad();
  const logits = model.forward(x, T, B, state, true, opt.rng);
  const N = T * B;
  // Unscored targets (weight 0: padding) are left out of the loss reported, read before the softmax.
  const unscored = opt.weights ? unscoredLoss(logits, y, opt.weights, V, model.backend) : { total: 0, rows: 0 };
  const total = softmaxCrossEntropy(logits, y, N, V, opt.dLogits, 1 / N, model.backend);
  const loss = (total - unscored.total) / Math.max(1, N - unscored.rows);
  if (!Number.isFinite(loss)) return { loss, gradNorm: NaN };
  // Weighted tokens pull harder; the loss reported stays the plain mean, comparable with validation.
  if (opt.weights) scaleRows(opt.dLogits, opt.weights, V);
  model.backward(opt.dLogits);
  const gradNorm = clipGradNorm(P.grad, opt.gradClip, model.backend);
  if (Number.isFinite(gradNorm)) opt.optimizer.step(P.data, P.grad, opt.lr);
  return { loss, gradNorm };
}

/** Cross-entropy summed over the rows of weight 0 (padding), each row measured as the loss itself measures it. */
function unscoredLoss(logits: Arr, y: Int32Array, w: Float32Array, V: number, backend: RnnModel['backend']): { total: number; rows: number } {
  let total = 0;
  let rows = 0;
  for (let r = 0; r < w.length; r++) {
    if (w[r] !== 0) continue;
    total += softmaxCrossEntropy(logits.subarray(r * V, (r + 1) * V), y.subarray(r, r + 1), 1, V, null, 1, backend);
    rows++;
  }
  return { total, rows };
}

function scaleRows(g: Arr, w: Float32Array, V: number): void {
  for (let r = 0; r < w.length; r++) {
    const k = w[r];
    if (k === 1) continue;
    for (let o = r * V, end = o + V; o < end; o++) g[o] *= k;
  }
}

/** Multiply-accumulates per token of a forward pass: recurrent layers plus decoder (embedding is a lookup). */
export function forwardMacsPerToken(c: { cell: CellType; layers: number; hiddenSize: number; embeddingSize: number; vocabSize: number }): number {
  const G = GATES[c.cell];
  let macs = c.vocabSize * c.hiddenSize;
  for (let k = 0; k < c.layers; k++) macs += G * c.hiddenSize * ((k === 0 ? c.embeddingSize : c.hiddenSize) + c.hiddenSize);
  return macs;
}
