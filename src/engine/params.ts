// All parameters live in one flat buffer with named views (and a twin buffer for gradients), so the
// optimizer, clipping, NaN checks and checkpoint I/O are single loops over one array.
// Names and shapes follow PyTorch's word_language_model RNNModel, so our weights load there unchanged:
//   encoder.weight (V, E); rnn.weight_ih_l{k} (G·H, D_k); rnn.weight_hh_l{k} (G·H, H);
//   rnn.bias_ih_l{k} (G·H); rnn.bias_hh_l{k} (G·H); decoder.weight (V, H); decoder.bias (V)
// G is 4 (LSTM: i,f,g,o), 3 (GRU: r,z,n) or 1 (RNN). With tied weights decoder.weight is the encoder view.
// The LSTM variants keep these names: the peephole cell has G = 4 (i,f,g,o) and after each layer's biases
// its diagonal peephole weights rnn.peephole_i_l{k}, rnn.peephole_f_l{k} (on c(t−1)) and rnn.peephole_o_l{k}
// (on c(t)), each (H); the coupled and no-forget cells have G = 3 (i,g,o: no forget-gate rows).
import type { Arr, Backend } from './backend.ts';
import { GATES, type CellType, type ModelConfig } from './config.ts';
import type { Rng } from './rng.ts';

/** How recurrent weight matrices start: PyTorch's uniform ±1/√H, or one random orthogonal matrix per gate. */
export type RecurrentInit = 'uniform' | 'orthogonal';

export interface ParamSpec {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** The peephole vectors of lstm-peephole, in stored order: i and f look at c(t−1), o at c(t). */
export const PEEPHOLES = ['i', 'f', 'o'] as const;

/**
 * Where the forget-gate bias shift goes, as [start, end) in a layer's bias_ih and its sign: the forget slice
 * of i,f,g,o for the LSTM and peephole LSTM; for the coupled cell, f = 1 − i = σ(−a_i), so raising f's bias is
 * lowering the input gate's; the no-forget and non-LSTM cells have nothing to shift.
 */
function forgetBiasSlice(cell: CellType, H: number): { from: number; to: number; sign: number } | null {
  if (cell === 'lstm' || cell === 'lstm-peephole') return { from: H, to: 2 * H, sign: 1 };
  if (cell === 'lstm-coupled') return { from: 0, to: H, sign: -1 };
  return null;
}

export function paramSpecs(c: ModelConfig): ParamSpec[] {
  const G = GATES[c.cell];
  const H = c.hiddenSize;
  const specs: ParamSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    specs.push({ name, shape, offset, size });
    offset += size;
  };
  add('encoder.weight', [c.vocabSize, c.embeddingSize]);
  for (let k = 0; k < c.layers; k++) {
    const D = k === 0 ? c.embeddingSize : H;
    add(`rnn.weight_ih_l${k}`, [G * H, D]);
    add(`rnn.weight_hh_l${k}`, [G * H, H]);
    add(`rnn.bias_ih_l${k}`, [G * H]);
    add(`rnn.bias_hh_l${k}`, [G * H]);
    if (c.cell === 'lstm-peephole') for (const gate of PEEPHOLES) add(`rnn.peephole_${gate}_l${k}`, [H]);
  }
  if (!c.tieWeights) add('decoder.weight', [c.vocabSize, H]);
  add('decoder.bias', [c.vocabSize]);
  return specs;
}

export class ParamSet {
  readonly specs: ParamSpec[];
  readonly data: Arr;
  readonly grad: Arr;
  readonly size: number;
  private readonly byName = new Map<string, ParamSpec>();

  constructor(
    readonly config: ModelConfig,
    readonly backend: Backend,
  ) {
    this.specs = paramSpecs(config);
    this.size = this.specs.reduce((a, s) => a + s.size, 0);
    this.data = backend.alloc(this.size);
    this.grad = backend.alloc(this.size);
    for (const s of this.specs) this.byName.set(s.name, s);
  }

  spec(name: string): ParamSpec {
    const s = this.byName.get(name === 'decoder.weight' && this.config.tieWeights ? 'encoder.weight' : name);
    if (!s) throw new Error(`no parameter ${name}`);
    return s;
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  view(name: string): Arr {
    const s = this.spec(name);
    return this.data.subarray(s.offset, s.offset + s.size);
  }
  gradView(name: string): Arr {
    const s = this.spec(name);
    return this.grad.subarray(s.offset, s.offset + s.size);
  }
  zeroGrad(): void {
    this.grad.fill(0);
  }

  /**
   * PyTorch's defaults, so a recipe trains here as it would there: embedding ~ unit variance (nn.Embedding),
   * recurrent and decoder weights and biases uniform ±1/√H (nn.LSTM, nn.Linear; peephole weights too). Two
   * departures: the LSTM forget-gate bias starts `forgetBias` higher (the trainer's default is 1, so early
   * training keeps memory instead of wiping it, Jozefowicz et al. 2015; 0 is PyTorch exactly; the coupled cell
   * gets it as an input-gate bias `forgetBias` lower, see forgetBiasSlice), and a tied embedding/decoder matrix
   * starts at ±0.1 as in word_language_model, since unit-variance decoder weights would make the first
   * predictions wildly overconfident.
   * With `recurrent: 'orthogonal'` each gate's H×H block of weight_hh is then replaced by a random orthogonal
   * matrix (Saxe et al. 2014; Keras's default for recurrent kernels): every direction of the state passes
   * through a step with gain 1 at the start, so early gradients neither fade nor blow up along any of them.
   * Everything else is the same draw as with 'uniform'.
   */
  init(rng: Rng, forgetBias = 1, recurrent: RecurrentInit = 'uniform'): void {
    const H = this.config.hiddenSize;
    const k = 1 / Math.sqrt(H);
    const unit = Math.sqrt(3); // uniform ±√3 has variance 1
    const shift = forgetBiasSlice(this.config.cell, H);
    for (const s of this.specs) {
      const v = this.data.subarray(s.offset, s.offset + s.size);
      const bound = s.name === 'encoder.weight' ? (this.config.tieWeights ? 0.1 : unit) : k;
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-bound, bound);
      if (shift && s.name.startsWith('rnn.bias_ih')) for (let i = shift.from; i < shift.to; i++) v[i] += shift.sign * forgetBias;
    }
    if (recurrent === 'orthogonal') {
      for (let l = 0; l < this.config.layers; l++) {
        const w = this.view(`rnn.weight_hh_l${l}`);
        for (let g = 0; g < GATES[this.config.cell]; g++) w.set(randomOrthogonal(H, rng), g * H * H);
      }
    }
  }
}

/** An n×n orthogonal matrix (row-major), uniformly distributed: Gram-Schmidt on the rows of a Gaussian matrix. */
export function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let r = 0; r < n; r++) {
    const row = q.subarray(r * n, (r + 1) * n);
    // Modified Gram-Schmidt: remove the parts along the rows already done, one at a time.
    for (let p = 0; p < r; p++) {
      const prev = q.subarray(p * n, (p + 1) * n);
      let dot = 0;
      for (let j = 0; j < n; j++) dot += row[j] * prev[j];
      for (let j = 0; j < n; j++) row[j] -= dot * prev[j];
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += row[j] * row[j];
    norm = Math.sqrt(norm);
    for (let j = 0; j < n; j++) row[j] /= norm;
  }
  return q;
}
