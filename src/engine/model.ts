// The language model: embedding → stacked recurrent layers → linear decoder → softmax cross-entropy.
// Letters: T time steps, B batch rows (time-major: row t·B + b), E embedding, H hidden, V vocabulary.
//   tokens (T·B)  emb (T·B, E)  layer k: in (T·B, D_k) → out (T·B, H)  logits (T·B, V)
// Dropout (inverted) on the embedding, between layers and before the decoder, as in PyTorch's
// word_language_model; off when not training.
import type { Arr, Backend } from './backend.ts';
import { hasCellState, validateModelConfig, type ModelConfig } from './config.ts';
import { createLayer } from './cells/index.ts';
import { addBias, addRowSums, Workspace, type LayerParams, type LayerTrace, type RecurrentLayer } from './cells/layer.ts';
import { ParamSet, PEEPHOLES } from './params.ts';
import type { Rng } from './rng.ts';

/** Recurrent state of every layer for B rows: h[k] and (LSTM family) c[k], each (B, H). */
export interface ModelState {
  B: number;
  h: Arr[];
  c: Array<Arr | null>;
}

export class RnnModel {
  readonly params: ParamSet;
  readonly layers: RecurrentLayer[];
  private ws: Workspace;
  private T = 0;
  private B = 0;
  private tokens!: Int32Array;
  private train = false;

  constructor(
    readonly config: ModelConfig,
    readonly backend: Backend,
  ) {
    validateModelConfig(config);
    this.params = new ParamSet(config, backend);
    this.ws = new Workspace(backend);
    const P = this.params;
    this.layers = [];
    for (let k = 0; k < config.layers; k++) {
      const D = k === 0 ? config.embeddingSize : config.hiddenSize;
      const lp: LayerParams = {
        Wih: P.view(`rnn.weight_ih_l${k}`),
        Whh: P.view(`rnn.weight_hh_l${k}`),
        bih: P.view(`rnn.bias_ih_l${k}`),
        bhh: P.view(`rnn.bias_hh_l${k}`),
        dWih: P.gradView(`rnn.weight_ih_l${k}`),
        dWhh: P.gradView(`rnn.weight_hh_l${k}`),
        dbih: P.gradView(`rnn.bias_ih_l${k}`),
        dbhh: P.gradView(`rnn.bias_hh_l${k}`),
      };
      if (config.cell === 'lstm-peephole') {
        const [i, f, o] = PEEPHOLES.map((g) => P.view(`rnn.peephole_${g}_l${k}`));
        const [di, df, dO] = PEEPHOLES.map((g) => P.gradView(`rnn.peephole_${g}_l${k}`));
        lp.peephole = { i, f, o, di, df, do: dO };
      }
      this.layers.push(createLayer(config.cell, D, config.hiddenSize, lp, backend));
    }
  }

  get paramCount(): number {
    return this.params.size;
  }

  /** Recurrent state lives in ordinary arrays: it is only ever copied, never multiplied, and is made per story. */
  zeroState(B: number): ModelState {
    const { layers, hiddenSize: H, cell } = this.config;
    const make = () => (this.backend.dtype === 'f64' ? new Float64Array(B * H) : new Float32Array(B * H));
    return {
      B,
      h: Array.from({ length: layers }, make),
      c: Array.from({ length: layers }, () => (hasCellState(cell) ? make() : null)),
    };
  }

  /** Frees parameter and activation memory (kernel memory is not garbage-collected). */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.ws.dispose();
    this.backend.free(this.params.data);
    this.backend.free(this.params.grad);
  }

  private ensure(T: number, B: number) {
    const { embeddingSize: E, hiddenSize: H, vocabSize: V, layers } = this.config;
    const sizes: Record<string, number> = { emb: T * B * E, logits: T * B * V, dTop: T * B * H, dEmb: T * B * E };
    for (let k = 0; k <= layers; k++) {
      sizes[`mask${k}`] = T * B * (k === 0 ? E : H);
      if (k > 0) sizes[`drop${k}`] = T * B * H;
    }
    this.ws.ensure(T, B, sizes);
  }

  /**
   * Runs the model over tokens (T·B, time-major) from `state`, which is updated to the final state.
   * Returns logits (T·B, V), a view valid until the next forward.
   */
  forward(tokens: Int32Array, T: number, B: number, state: ModelState, train = false, rng?: Rng): Arr {
    const { embeddingSize: E, hiddenSize: H, vocabSize: V, dropout } = this.config;
    this.ensure(T, B);
    this.T = T;
    this.B = B;
    this.tokens = tokens;
    this.train = train && dropout > 0;
    if (this.train && !rng) throw new Error('dropout needs an rng');
    const enc = this.params.view('encoder.weight');
    const emb = this.ws.get('emb');
    for (let r = 0; r < T * B; r++) {
      const id = tokens[r];
      if (!(id >= 0 && id < V)) throw new RangeError(`token id ${id} outside the vocabulary (V=${V})`);
      emb.set(enc.subarray(id * E, (id + 1) * E), r * E);
    }
    let input: Arr = this.train ? this.applyDropout(emb, 0, rng!) : emb;
    for (let k = 0; k < this.layers.length; k++) {
      const out = this.layers[k].forward(input, T, B, state.h[k], state.c[k]);
      input = this.train ? this.applyDropout(out, k + 1, rng!) : out;
    }
    for (let k = 0; k < this.layers.length; k++) {
      state.h[k].set(this.layers[k].lastH());
      const c = this.layers[k].lastC();
      if (c) state.c[k]!.set(c);
    }
    const logits = this.ws.get('logits');
    this.backend.gemm(false, true, T * B, V, H, input, this.params.view('decoder.weight'), logits, false);
    addBias(logits, T * B, V, this.params.view('decoder.bias'), this.backend);
    this.top = input;
    return logits;
  }
  private top!: Arr;

  /** Draws mask k (scaled by 1/(1−p)) and returns the masked copy of x (layer outputs stay intact for backward). */
  private applyDropout(x: Arr, k: number, rng: Rng): Arr {
    const p = this.config.dropout;
    const mask = this.ws.get(`mask${k}`);
    const out = k === 0 ? x : this.ws.get(`drop${k}`);
    const keep = 1 / (1 - p);
    for (let i = 0; i < mask.length; i++) {
      mask[i] = rng.next() < p ? 0 : keep;
      out[i] = x[i] * mask[i];
    }
    return out;
  }

  /**
   * Back-propagates dLogits (T·B, V) from the last forward, accumulating into params.grad.
   * dState, if given, is the gradient reaching the final state. Returns the gradient at the initial state.
   */
  backward(dLogits: Arr, dState?: ModelState): ModelState {
    const { T, B } = this;
    const { embeddingSize: E, hiddenSize: H, vocabSize: V } = this.config;
    const P = this.params;
    const TB = T * B;
    const dTop = this.ws.get('dTop');
    this.backend.gemm(true, false, V, H, TB, dLogits, this.top, P.gradView('decoder.weight'), true);
    addRowSums(dLogits, TB, V, P.gradView('decoder.bias'), this.backend);
    this.backend.gemm(false, false, TB, H, V, dLogits, P.view('decoder.weight'), dTop, false);
    let dOut: Arr = dTop;
    const d0: ModelState = { B, h: [], c: [] };
    for (let k = this.layers.length - 1; k >= 0; k--) {
      if (this.train) this.maskInPlace(dOut, k + 1);
      const g = this.layers[k].backward(dOut, dState?.h[k] ?? null, dState?.c[k] ?? null);
      d0.h[k] = g.dh0;
      d0.c[k] = g.dc0;
      dOut = g.dx;
    }
    if (this.train) this.maskInPlace(dOut, 0);
    const dEnc = P.gradView('encoder.weight');
    for (let r = 0; r < TB; r++) {
      const o = this.tokens[r] * E;
      for (let e = 0; e < E; e++) dEnc[o + e] += dOut[r * E + e];
    }
    return d0;
  }

  private maskInPlace(d: Arr, k: number) {
    const mask = this.ws.get(`mask${k}`);
    for (let i = 0; i < mask.length; i++) d[i] *= mask[i];
  }

  /** Gate activations of every layer at step t, row b, of the last forward. */
  trace(t: number, b: number): LayerTrace[] {
    return this.layers.map((l) => l.trace(t, b));
  }
}

/**
 * Softmax cross-entropy over rows of logits (N×V). Writes dLogits = (softmax − onehot)·scale into `grad`
 * (may alias logits) and returns the summed loss in nats. Max-subtraction keeps exp() finite.
 * Float32 logits in `backend`'s kernel memory take its softmax kernel (exp in f32, ≈1 ulp); the loop below is the
 * definition and the Float64 path.
 */
export function softmaxCrossEntropy(logits: Arr, targets: Int32Array, N: number, V: number, grad: Arr | null, scale: number,
                                    backend: Backend): number {
  if (backend.softmaxRows) {
    // Target logits first: grad may be logits itself.
    let total = 0;
    for (let r = 0; r < N; r++) total -= logits[r * V + targets[r]];
    const stats = backend.softmaxRows(logits, N, V, grad, scale);
    if (stats) {
      for (let r = 0; r < N; r++) {
        total += stats[2 * r] + Math.log(stats[2 * r + 1]);
        if (grad) grad[r * V + targets[r]] -= scale;
      }
      return total;
    }
  }
  let total = 0;
  for (let r = 0; r < N; r++) {
    const o = r * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (logits[o + v] > max) max = logits[o + v];
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[o + v] - max);
    const y = targets[r];
    const logZ = max + Math.log(sum);
    total += logZ - logits[o + y];
    if (grad) {
      for (let v = 0; v < V; v++) grad[o + v] = Math.exp(logits[o + v] - logZ) * scale;
      grad[o + y] -= scale;
    }
  }
  return total;
}
