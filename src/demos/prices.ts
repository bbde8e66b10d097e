// The seeds' smallest example: one LSTM unit reads four days of a company's share price and its
// short-term memory (hidden state) on day 4 is the prediction for day 5.
//   company A: 0, 0.5, 0.25, 1 → 0        company B: 1, 0.5, 0.25, 1 → 1
// Days 2-4 are identical, so the unit must carry what it saw on day 1 in its long-term memory (cell state)
// to tell the two apart. Trained here with the engine's LstmLayer (D=1, H=1, f64) and Adam.
import { f64Backend } from '../engine/backend.ts';
import { LstmLayer } from '../engine/cells/lstm.ts';
import { Rng } from '../engine/rng.ts';
import { Adam } from '../training/optimizer.ts';

export const COMPANIES = [
  { name: 'A', days: [0, 0.5, 0.25, 1], next: 0 },
  { name: 'B', days: [1, 0.5, 0.25, 1], next: 1 },
] as const;

export interface DayState {
  day: number;
  input: number;
  forget: number;
  inputGate: number;
  outputGate: number;
  /** Long-term memory after this day. */
  cell: number;
  /** Short-term memory after this day. */
  hidden: number;
}

export interface CompanyResult {
  name: string;
  days: DayState[];
  target: number;
  /** The short-term memory after day 4. */
  prediction: number;
}

export interface PricesDemo {
  steps: number;
  /** Mean squared error over both companies before and after training. */
  lossBefore: number;
  lossAfter: number;
  companies: CompanyResult[];
  /** The 16 trained parameters: PyTorch's weight_ih, weight_hh, bias_ih and bias_hh (gate order i, f, g, o). */
  weights: { weightIh: number[]; weightHh: number[]; biasIh: number[]; biasHh: number[] };
}

/** A one-unit LSTM with its own parameter buffer (16 numbers) and gradient buffer. */
function makeUnit(seed: string) {
  const data = new Float64Array(16);
  const grad = new Float64Array(16);
  const rng = new Rng(seed);
  for (let i = 0; i < 16; i++) data[i] = rng.uniform(-1, 1);
  const v = (a: Float64Array, o: number) => a.subarray(o, o + 4);
  const layer = new LstmLayer(1, 1, {
    Wih: v(data, 0), Whh: v(data, 4), bih: v(data, 8), bhh: v(data, 12),
    dWih: v(grad, 0), dWhh: v(grad, 4), dbih: v(grad, 8), dbhh: v(grad, 12),
  }, f64Backend);
  return { data, grad, layer };
}

const T = 4;
const B = COMPANIES.length;

/** Both companies as one batch, time-major: x[t·B + b]. */
function inputs(): Float64Array {
  const x = new Float64Array(T * B);
  COMPANIES.forEach((c, b) => c.days.forEach((v, t) => (x[t * B + b] = v)));
  return x;
}

/** Forward over both companies; returns the mean squared error and fills dOut with its gradient. */
function lossAndGrad(layer: LstmLayer, x: Float64Array, dOut: Float64Array | null): number {
  const out = layer.forward(x, T, B, new Float64Array(B), new Float64Array(B));
  let loss = 0;
  dOut?.fill(0);
  COMPANIES.forEach((c, b) => {
    const e = out[(T - 1) * B + b] - c.next;
    loss += (e * e) / B;
    if (dOut) dOut[(T - 1) * B + b] = (2 * e) / B;
  });
  return loss;
}

export function pricesDemo(opts: { steps?: number; lr?: number; seed?: string } = {}): PricesDemo {
  const steps = opts.steps ?? 600;
  const lr = opts.lr ?? 0.05;
  const { data, grad, layer } = makeUnit(opts.seed ?? 'prices');
  const x = inputs();
  const dOut = new Float64Array(T * B);
  const adam = new Adam(16, f64Backend);
  const lossBefore = lossAndGrad(layer, x, null);
  for (let s = 0; s < steps; s++) {
    lossAndGrad(layer, x, dOut);
    grad.fill(0);
    layer.backward(dOut, null, null);
    adam.step(data, grad, lr);
  }
  const lossAfter = lossAndGrad(layer, x, null);
  const out = layer.forward(x, T, B, new Float64Array(B), new Float64Array(B));
  const companies = COMPANIES.map((c, b) => {
    const days: DayState[] = c.days.map((input, t) => {
      const tr = layer.trace(t, b);
      return {
        day: t + 1,
        input,
        forget: tr.forget![0]!,
        inputGate: tr.input![0]!,
        outputGate: tr.output![0]!,
        cell: tr.cell[0]!,
        hidden: out[t * B + b],
      };
    });
    return { name: c.name, days, target: c.next, prediction: days[T - 1]!.hidden };
  });
  return {
    steps,
    lossBefore,
    lossAfter,
    companies,
    weights: {
      weightIh: Array.from(data.subarray(0, 4)),
      weightHh: Array.from(data.subarray(4, 8)),
      biasIh: Array.from(data.subarray(8, 12)),
      biasHh: Array.from(data.subarray(12, 16)),
    },
  };
}
