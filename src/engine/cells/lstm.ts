// LSTM layer with PyTorch nn.LSTM's equations, gate order i, f, g, o and two bias vectors:
//   gates = x·Wihᵀ + bih + h·Whhᵀ + bhh            gates: (T, B, 4H), order i,f,g,o
//   i=σ  f=σ  g=tanh  o=σ;  c' = f⊙c + i⊙g;  h' = o⊙tanh(c')
// Shapes: x (T·B, D), Hs/Cs (T+1, B, H) with row 0 = h0/c0 so "previous state" is one contiguous block
// and the weight gradient dWhh is a single product over all steps.
import type { Arr } from '../backend.ts';
import { addBias, sigmoid, toArray, SequenceLayer, type RecurrentLayer } from './layer.ts';

export class LstmLayer extends SequenceLayer implements RecurrentLayer {
  private ensure(T: number, B: number) {
    const H = this.H;
    this.ws.ensure(T, B, {
      G: T * B * 4 * H, // activated gates
      Hs: (T + 1) * B * H,
      Cs: (T + 1) * B * H,
      TC: T * B * H, // tanh(c)
      dG: T * B * 4 * H,
      dx: T * B * this.D,
      dh: B * H,
      dc: B * H,
    });
  }

  forward(x: Arr, T: number, B: number, h0: Arr, c0: Arr | null): Arr {
    const { H, D, backend } = this;
    const { Wih, Whh, bih, bhh } = this.p;
    this.ensure(T, B);
    this.T = T;
    this.B = B;
    this.x = x;
    const G = this.ws.get('G');
    const Hs = this.ws.get('Hs');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const H4 = 4 * H;
    Hs.set(h0.subarray(0, B * H));
    if (c0) Cs.set(c0.subarray(0, B * H));
    else Cs.fill(0, 0, B * H);
    // Input projection for all steps at once, then both biases.
    backend.gemm(false, true, T * B, H4, D, x, Wih, G, false);
    addBias(G, T * B, H4, bih, backend);
    addBias(G, T * B, H4, bhh, backend);
    const packed = this.packWhh('forward');
    for (let t = 0; t < T; t++) {
      const g = G.subarray(t * B * H4, (t + 1) * B * H4);
      backend.gemm(false, true, B, H4, H, Hs.subarray(t * B * H, (t + 1) * B * H), Whh, g, true, packed);
      const cp = t * B * H; // previous state rows in Hs/Cs
      const cn = (t + 1) * B * H;
      const rows = B * H;
      // The f32 kernel computes exactly this loop, with its own exp (≈1 ulp) in place of Math.exp.
      if (backend.lstmForward?.(g, Cs.subarray(cp, cp + rows), Cs.subarray(cn, cn + rows), TC.subarray(cp, cp + rows),
        Hs.subarray(cn, cn + rows), B, H)) continue;
      for (let b = 0; b < B; b++) {
        const gb = b * H4;
        for (let j = 0; j < H; j++) {
          const i = sigmoid(g[gb + j]);
          const f = sigmoid(g[gb + H + j]);
          const gg = Math.tanh(g[gb + 2 * H + j]);
          const o = sigmoid(g[gb + 3 * H + j]);
          g[gb + j] = i;
          g[gb + H + j] = f;
          g[gb + 2 * H + j] = gg;
          g[gb + 3 * H + j] = o;
          const c = f * Cs[cp + b * H + j] + i * gg;
          const tc = Math.tanh(c);
          Cs[cn + b * H + j] = c;
          TC[cp + b * H + j] = tc;
          Hs[cn + b * H + j] = o * tc;
        }
      }
    }
    return Hs.subarray(B * H, (T + 1) * B * H);
  }

  lastC(): Arr {
    return this.ws.get('Cs').subarray(this.T * this.B * this.H, (this.T + 1) * this.B * this.H);
  }

  backward(dOut: Arr, dhT: Arr | null, dcT: Arr | null) {
    const { H, T, B, backend } = this;
    const { Whh } = this.p;
    const H4 = 4 * H;
    const G = this.ws.get('G');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const dG = this.ws.get('dG');
    const dh = this.ws.get('dh');
    const dc = this.ws.get('dc');
    if (dhT) dh.set(dhT.subarray(0, B * H));
    else dh.fill(0);
    if (dcT) dc.set(dcT.subarray(0, B * H));
    else dc.fill(0);
    const packed = this.packWhh('backward');
    for (let t = T - 1; t >= 0; t--) {
      const gOff = t * B * H4;
      const cp = t * B * H;
      const rows = B * H;
      const gStep = G.subarray(gOff, gOff + B * H4);
      const dGStep = dG.subarray(gOff, gOff + B * H4);
      // The f32 kernel computes exactly the loop below.
      if (!backend.lstmBackward?.(gStep, TC.subarray(cp, cp + rows), Cs.subarray(cp, cp + rows),
        dOut.subarray(cp, cp + rows), dh, dc, dGStep, B, H)) for (let b = 0; b < B; b++) {
        const gb = gOff + b * H4;
        for (let j = 0; j < H; j++) {
          const r = b * H + j;
          const i = G[gb + j];
          const f = G[gb + H + j];
          const gg = G[gb + 2 * H + j];
          const o = G[gb + 3 * H + j];
          const tc = TC[cp + r];
          const dhv = dOut[cp + r] + dh[r];
          const dcv = dc[r] + dhv * o * (1 - tc * tc);
          dG[gb + j] = dcv * gg * i * (1 - i);
          dG[gb + H + j] = dcv * Cs[cp + r] * f * (1 - f);
          dG[gb + 2 * H + j] = dcv * i * (1 - gg * gg);
          dG[gb + 3 * H + j] = dhv * tc * o * (1 - o);
          dc[r] = dcv * f;
        }
      }
      // dh_{t-1} = dG_t · Whh   (B×4H)·(4H×H)
      backend.gemm(false, false, B, H, H4, dGStep, Whh, dh, false, packed);
    }
    return { dx: this.weightGradients(dG, dG, H4), dh0: dh, dc0: dc };
  }

  trace(t: number, b: number) {
    const H = this.H;
    const G = this.ws.get('G');
    const gb = (t * this.B + b) * 4 * H;
    return {
      input: toArray(G, gb, H),
      forget: toArray(G, gb + H, H),
      output: toArray(G, gb + 3 * H, H),
      cell: toArray(this.ws.get('Cs'), ((t + 1) * this.B + b) * H, H),
    };
  }

}
