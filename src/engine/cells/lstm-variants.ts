// The LSTM variants drawn next to the standard cell, on LstmLayer's structure (packed gate products, time-major
// buffers, one weight-gradient pass); only the element-wise step, its backward and the trace differ.
//
// lstm-peephole (Gers & Schmidhuber 2000): the gates also look at the cell state through diagonal weights
//   i = σ(a_i + p_i⊙c)   f = σ(a_f + p_f⊙c)   g = tanh(a_g)   c' = f⊙c + i⊙g   o = σ(a_o + p_o⊙c')   h' = o⊙tanh(c')
// with a = x·Wihᵀ + bih + h·Whhᵀ + bhh in blocks i,f,g,o as the LSTM.
// lstm-coupled (CIFG) and lstm-no-forget (Hochreiter & Schmidhuber 1997) have three blocks i,g,o, no forget rows:
//   c' = f⊙c + i⊙g with f = 1 − i (coupled) or f = 1 (no forget gate: the cell only adds)   h' = o⊙tanh(c')
// On the Float32 fast path the element-wise steps run as WebAssembly kernels (kernels/pointwise-wat.ts) that
// compute exactly the loops below, with their own exp; the loops are the definition and the Float64 path.
import type { Arr } from '../backend.ts';
import { sigmoid, toArray, type LayerTrace } from './layer.ts';
import { LstmLayer } from './lstm.ts';

export class PeepholeLstmLayer extends LstmLayer {
  private peep() {
    const p = this.p.peephole;
    if (!p) throw new Error('lstm-peephole layer built without peephole weights');
    return p;
  }

  protected override stepForward(g: Arr, cp: number, B: number): void {
    const H = this.H;
    const peep = this.peep();
    const { i: pi, f: pf, o: po } = peep;
    const Hs = this.ws.get('Hs');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const cn = cp + B * H;
    const rows = B * H;
    if (this.backend.peepholeForward?.(g, Cs.subarray(cp, cp + rows), Cs.subarray(cn, cn + rows), TC.subarray(cp, cp + rows),
      Hs.subarray(cn, cn + rows), B, H, peep)) return;
    for (let b = 0; b < B; b++) {
      const gb = b * 4 * H;
      for (let j = 0; j < H; j++) {
        const r = b * H + j;
        const cPrev = Cs[cp + r];
        const i = sigmoid(g[gb + j] + pi[j] * cPrev);
        const f = sigmoid(g[gb + H + j] + pf[j] * cPrev);
        const gg = Math.tanh(g[gb + 2 * H + j]);
        const c = f * cPrev + i * gg;
        const o = sigmoid(g[gb + 3 * H + j] + po[j] * c);
        g[gb + j] = i;
        g[gb + H + j] = f;
        g[gb + 2 * H + j] = gg;
        g[gb + 3 * H + j] = o;
        const tc = Math.tanh(c);
        Cs[cn + r] = c;
        TC[cp + r] = tc;
        Hs[cn + r] = o * tc;
      }
    }
  }

  protected override stepBackward(gOff: number, cp: number, dOut: Arr, dh: Arr, dc: Arr, B: number): void {
    const H = this.H;
    const peep = this.peep();
    const { i: pi, f: pf, o: po, di: dpi, df: dpf, do: dpo } = peep;
    const G = this.ws.get('G');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const dG = this.ws.get('dG');
    const cn = cp + B * H;
    const rows = B * H;
    const n = B * 4 * H;
    if (this.backend.peepholeBackward?.(G.subarray(gOff, gOff + n), TC.subarray(cp, cp + rows), Cs.subarray(cp, cp + rows),
      Cs.subarray(cn, cn + rows), dOut.subarray(cp, cp + rows), dh, dc, dG.subarray(gOff, gOff + n), B, H, peep)) return;
    for (let b = 0; b < B; b++) {
      const gb = gOff + b * 4 * H;
      for (let j = 0; j < H; j++) {
        const r = b * H + j;
        const i = G[gb + j];
        const f = G[gb + H + j];
        const gg = G[gb + 2 * H + j];
        const o = G[gb + 3 * H + j];
        const tc = TC[cp + r];
        const cPrev = Cs[cp + r];
        const dhv = dOut[cp + r] + dh[r];
        const dao = dhv * tc * o * (1 - o);
        // c' reaches the loss through h' and through the output gate's peephole.
        const dcv = dc[r] + dhv * o * (1 - tc * tc) + dao * po[j];
        const dai = dcv * gg * i * (1 - i);
        const daf = dcv * cPrev * f * (1 - f);
        dG[gb + j] = dai;
        dG[gb + H + j] = daf;
        dG[gb + 2 * H + j] = dcv * i * (1 - gg * gg);
        dG[gb + 3 * H + j] = dao;
        dc[r] = dcv * f + dai * pi[j] + daf * pf[j];
        dpi[j] += dai * cPrev;
        dpf[j] += daf * cPrev;
        dpo[j] += dao * Cs[cn + r];
      }
    }
  }
}

/** Three gate blocks i, g, o; the forget gate is 1 − i when coupled, else fixed at 1. */
abstract class ThreeGateLstmLayer extends LstmLayer {
  protected override readonly blocks = 3;
  protected abstract readonly coupled: boolean;

  protected override stepForward(g: Arr, cp: number, B: number): void {
    const H = this.H;
    const coupled = this.coupled;
    const Hs = this.ws.get('Hs');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const cn = cp + B * H;
    const rows = B * H;
    if (this.backend.lstm3Forward?.(g, Cs.subarray(cp, cp + rows), Cs.subarray(cn, cn + rows), TC.subarray(cp, cp + rows),
      Hs.subarray(cn, cn + rows), B, H, coupled)) return;
    for (let b = 0; b < B; b++) {
      const gb = b * 3 * H;
      for (let j = 0; j < H; j++) {
        const r = b * H + j;
        const i = sigmoid(g[gb + j]);
        const gg = Math.tanh(g[gb + H + j]);
        const o = sigmoid(g[gb + 2 * H + j]);
        g[gb + j] = i;
        g[gb + H + j] = gg;
        g[gb + 2 * H + j] = o;
        const c = coupled ? (1 - i) * Cs[cp + r] + i * gg : Cs[cp + r] + i * gg;
        const tc = Math.tanh(c);
        Cs[cn + r] = c;
        TC[cp + r] = tc;
        Hs[cn + r] = o * tc;
      }
    }
  }

  protected override stepBackward(gOff: number, cp: number, dOut: Arr, dh: Arr, dc: Arr, B: number): void {
    const H = this.H;
    const coupled = this.coupled;
    const G = this.ws.get('G');
    const Cs = this.ws.get('Cs');
    const TC = this.ws.get('TC');
    const dG = this.ws.get('dG');
    const rows = B * H;
    const n = B * 3 * H;
    if (this.backend.lstm3Backward?.(G.subarray(gOff, gOff + n), TC.subarray(cp, cp + rows), Cs.subarray(cp, cp + rows),
      dOut.subarray(cp, cp + rows), dh, dc, dG.subarray(gOff, gOff + n), B, H, coupled)) return;
    for (let b = 0; b < B; b++) {
      const gb = gOff + b * 3 * H;
      for (let j = 0; j < H; j++) {
        const r = b * H + j;
        const i = G[gb + j];
        const gg = G[gb + H + j];
        const o = G[gb + 2 * H + j];
        const tc = TC[cp + r];
        const dhv = dOut[cp + r] + dh[r];
        const dcv = dc[r] + dhv * o * (1 - tc * tc);
        // ∂c'/∂i is g − c when f = 1 − i, and g when f = 1.
        dG[gb + j] = dcv * (coupled ? gg - Cs[cp + r] : gg) * i * (1 - i);
        dG[gb + H + j] = dcv * i * (1 - gg * gg);
        dG[gb + 2 * H + j] = dhv * tc * o * (1 - o);
        dc[r] = coupled ? dcv * (1 - i) : dcv;
      }
    }
  }

  override trace(t: number, b: number): LayerTrace {
    const H = this.H;
    const G = this.ws.get('G');
    const gb = (t * this.B + b) * 3 * H;
    const input = toArray(G, gb, H);
    const cell = toArray(this.ws.get('Cs'), ((t + 1) * this.B + b) * H, H);
    const output = toArray(G, gb + 2 * H, H);
    return this.coupled
      ? { input, forget: input.map((i) => 1 - i), output, cell, forgetIs: 'coupled' }
      : { input, output, cell, forgetIs: 'fixed' };
  }
}

/** f = 1 − i: the cell forgets exactly as much as it writes (CIFG). */
export class CoupledLstmLayer extends ThreeGateLstmLayer {
  protected readonly coupled = true;
}

/** f ≡ 1: the original LSTM, whose cell state can only add. */
export class NoForgetLstmLayer extends ThreeGateLstmLayer {
  protected readonly coupled = false;
}
