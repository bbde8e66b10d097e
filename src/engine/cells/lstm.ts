// LSTM layer with PyTorch nn.LSTM's equations, gate order i, f, g, o and two bias vectors:
//   gates = x·Wihᵀ + bih + h·Whhᵀ + bhh            gates: (T, B, 4H), order i,f,g,o
//   i=σ  f=σ  g=tanh  o=σ;  c' = f⊙c + i⊙g;  h' = o⊙tanh(c')
// Shapes: x (T·B, D), Hs/Cs (T+1, B, H) with row 0 = h0/c0 so "previous state" is one contiguous block
// and the weight gradient dWhh is a single product over all steps.
// The LSTM variants (lstm-variants.ts) share everything here but the element-wise step (stepForward,
// stepBackward), the number of gate blocks and the trace.
import type { Arr } from '../backend.ts';
import { addBias, sigmoid, toArray, SequenceLayer, type LayerTrace, type RecurrentLayer } from './layer.ts';

export class LstmLayer extends SequenceLayer implements RecurrentLayer {
  /** Gate blocks per unit in the packed weights and in G / dG: i, f, g, o. */
  protected readonly blocks: number = 4;

  protected buffers(T: number, B: number) {
    const H = this.H;
    return {
      G: T * B * this.blocks * H, // activated gates
      Hs: (T + 1) * B * H,
      Cs: (T + 1) * B * H,
      TC: T * B * H, // tanh(c)
      dG: T * B * this.blocks * H,
      dx: T * B * this.D,
      dh: B * H,
      dc: B * H,
    };
  }

  forward(x: Arr, T: number, B: number, h0: Arr, c0: Arr | null): Arr {
    const { H, D, backend } = this;
    const { Wih, Whh, bih, bhh } = this.p;
    this.begin(x, T, B);
    const G = this.ws.get('G');
    const Hs = this.ws.get('Hs');
    const Cs = this.ws.get('Cs');
    const GH = this.blocks * H;
    Hs.set(h0.subarray(0, B * H));
    if (c0) Cs.set(c0.subarray(0, B * H));
    else Cs.fill(0, 0, B * H);
    // Input projection for all steps at once, then both biases.
    backend.gemm(false, true, T * B, GH, D, x, Wih, G, false);
    addBias(G, T * B, GH, bih, backend);
    addBias(G, T * B, GH, bhh, backend);
    const packed = this.packWhh('forward');
    // The whole recurrence as one job split by batch rows where the backend does that (the same bits); a
    // variant with its own step (lstm-variants.ts) makes the per-step calls.
    const own = this.stepForward === LstmLayer.prototype.stepForward;
    if (!(packed && own && backend.lstmRecurrence?.(T, B, H, Hs, packed, G, Cs, this.ws.get('TC')))) {
      for (let t = 0; t < T; t++) {
        const g = G.subarray(t * B * GH, (t + 1) * B * GH);
        const h = Hs.subarray(t * B * H, (t + 1) * B * H);
        backend.gemm(false, true, B, GH, H, h, Whh, g, true, packed);
        this.stepForward(g, t * B * H, B);
      }
    }
    return Hs.subarray(B * H, (T + 1) * B * H);
  }

  /**
   * One step's element-wise part: activates the pre-activations g (B × blocks·H) in place and writes c, tanh(c)
   * and h from the previous state rows at cp of Cs / Hs to the next rows (cp + B·H); tanh(c) goes to TC at cp.
   */
  protected stepForward(g: Arr, cp: number, B: number): void {
    const { H, backend } = this;
    const Hs = this.ws.get('Hs');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const H4 = 4 * H;
    const cn = cp + B * H;
    const rows = B * H;
    // The f32 kernel computes exactly this loop, with its own exp (≈1 ulp) in place of Math.exp.
    if (backend.lstmForward?.(g, Cs.subarray(cp, cp + rows), Cs.subarray(cn, cn + rows), TC.subarray(cp, cp + rows),
      Hs.subarray(cn, cn + rows), B, H)) return;
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

  lastC(): Arr {
    return this.ws.get('Cs').subarray(this.T * this.B * this.H, (this.T + 1) * this.B * this.H);
  }

  backward(dOut: Arr, dhT: Arr | null, dcT: Arr | null) {
    const { H, T, B, backend } = this;
    const { Whh } = this.p;
    const GH = this.blocks * H;
    const dG = this.ws.get('dG');
    const dh = this.carriedIn('dh', dhT);
    const dc = this.carriedIn('dc', dcT);
    const packed = this.packWhh('backward');
    const own = this.stepBackward === LstmLayer.prototype.stepBackward;
    const G = this.ws.get('G'), TC = this.ws.get('TC'), Cs = this.ws.get('Cs');
    if (!(packed && own && backend.lstmRecurrenceBackward?.(T, B, H, G, TC, Cs, dOut, dh, dc, dG, packed))) {
      for (let t = T - 1; t >= 0; t--) {
        const gOff = t * B * GH;
        this.stepBackward(gOff, t * B * H, dOut, dh, dc, B);
        // dh_{t-1} = dG_t · Whh   (B×G·H)·(G·H×H)
        backend.gemm(false, false, B, H, GH, dG.subarray(gOff, gOff + B * GH), Whh, dh, false, packed);
      }
    }
    return { dx: this.weightGradients(dG, dG, GH), dh0: dh, dc0: dc };
  }

  /**
   * Backward through one step's element-wise part: from the gates at gOff of G and the state rows at cp, with
   * dh = the gradient reaching h(t+1) through the recurrence and dc the one reaching c(t+1), writes the
   * pre-activation gradients at gOff of dG and replaces dc by the gradient reaching c(t).
   */
  protected stepBackward(gOff: number, cp: number, dOut: Arr, dh: Arr, dc: Arr, B: number): void {
    const { H, backend } = this;
    const H4 = 4 * H;
    const G = this.ws.get('G');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const dG = this.ws.get('dG');
    const rows = B * H;
    const gStep = G.subarray(gOff, gOff + B * H4);
    const dGStep = dG.subarray(gOff, gOff + B * H4);
    // The f32 kernel computes exactly the loop below.
    if (backend.lstmBackward?.(gStep, TC.subarray(cp, cp + rows), Cs.subarray(cp, cp + rows),
      dOut.subarray(cp, cp + rows), dh, dc, dGStep, B, H)) return;
    for (let b = 0; b < B; b++) {
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
  }

  trace(t: number, b: number): LayerTrace {
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
