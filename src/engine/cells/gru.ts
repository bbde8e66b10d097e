// GRU layer with PyTorch nn.GRU's equations, gate order r, z, n; the reset gate multiplies the hidden
// product inside the candidate (PyTorch's variant, not the original paper's):
//   r = σ(Wir x + bir + Whr h + bhr)   z = σ(Wiz x + biz + Whz h + bhz)
//   n = tanh(Win x + bin + r⊙(Whn h + bhn))   h' = (1−z)⊙n + z⊙h
// Shapes: Gx (T·B, 3H) input side incl. bih; Gh (T·B, 3H) hidden side incl. bhh; Hs (T+1, B, H), row 0 = h0.
import type { Arr } from '../backend.ts';
import { addBias, sigmoid, toArray, SequenceLayer, type RecurrentLayer } from './layer.ts';

export class GruLayer extends SequenceLayer implements RecurrentLayer {
  protected buffers(T: number, B: number) {
    const H = this.H;
    return {
      Gx: T * B * 3 * H, // after forward: r, z, n activated in place
      Gh: T * B * 3 * H, // hidden products incl. bhh (the n part is needed by backward)
      Hs: (T + 1) * B * H,
      dGx: T * B * 3 * H,
      dGh: T * B * 3 * H,
      dx: T * B * this.D,
      dh: B * H,
    };
  }

  forward(x: Arr, T: number, B: number, h0: Arr): Arr {
    const { H, D, backend } = this;
    const { Wih, Whh, bih, bhh } = this.p;
    this.begin(x, T, B);
    const H3 = 3 * H;
    const Gx = this.ws.get('Gx');
    const Gh = this.ws.get('Gh');
    const Hs = this.ws.get('Hs');
    Hs.set(h0.subarray(0, B * H));
    backend.gemm(false, true, T * B, H3, D, x, Wih, Gx, false);
    addBias(Gx, T * B, H3, bih, backend);
    const packed = this.packWhh('forward');
    for (let t = 0; t < T; t++) {
      const off = t * B * H3;
      const gh = Gh.subarray(off, off + B * H3);
      backend.gemm(false, true, B, H3, H, Hs.subarray(t * B * H, (t + 1) * B * H), Whh, gh, false, packed);
      addBias(gh, B, H3, bhh, backend);
      const hp = t * B * H;
      const hn = (t + 1) * B * H;
      // The f32 kernel computes exactly this loop, with its own exp (≈1 ulp) in place of Math.exp.
      if (backend.gruForward?.(Gx.subarray(off, off + B * H3), gh, Hs.subarray(hp, hp + B * H), Hs.subarray(hn, hn + B * H), B, H)) continue;
      for (let b = 0; b < B; b++) {
        const o = off + b * H3;
        for (let j = 0; j < H; j++) {
          const r = sigmoid(Gx[o + j] + Gh[o + j]);
          const z = sigmoid(Gx[o + H + j] + Gh[o + H + j]);
          const n = Math.tanh(Gx[o + 2 * H + j] + r * Gh[o + 2 * H + j]);
          Gx[o + j] = r;
          Gx[o + H + j] = z;
          Gx[o + 2 * H + j] = n;
          Hs[hn + b * H + j] = (1 - z) * n + z * Hs[hp + b * H + j];
        }
      }
    }
    return Hs.subarray(B * H, (T + 1) * B * H);
  }

  lastC(): null {
    return null;
  }

  backward(dOut: Arr, dhT: Arr | null) {
    const { H, T, B, backend } = this;
    const { Whh } = this.p;
    const H3 = 3 * H;
    const Gx = this.ws.get('Gx');
    const Gh = this.ws.get('Gh');
    const Hs = this.ws.get('Hs');
    const dGx = this.ws.get('dGx');
    const dGh = this.ws.get('dGh');
    const dh = this.carriedIn('dh', dhT);
    const packed = this.packWhh('backward');
    for (let t = T - 1; t >= 0; t--) {
      const off = t * B * H3;
      const hp = t * B * H;
      for (let b = 0; b < B; b++) {
        const o = off + b * H3;
        for (let j = 0; j < H; j++) {
          const row = b * H + j;
          const r = Gx[o + j];
          const z = Gx[o + H + j];
          const n = Gx[o + 2 * H + j];
          const hprev = Hs[hp + row];
          const dhv = dOut[hp + row] + dh[row];
          const dnPre = dhv * (1 - z) * (1 - n * n);
          const dzPre = dhv * (hprev - n) * z * (1 - z);
          const drPre = dnPre * Gh[o + 2 * H + j] * r * (1 - r);
          dGx[o + j] = drPre;
          dGx[o + H + j] = dzPre;
          dGx[o + 2 * H + j] = dnPre;
          dGh[o + j] = drPre;
          dGh[o + H + j] = dzPre;
          dGh[o + 2 * H + j] = dnPre * r;
          dh[row] = dhv * z; // direct path; the product through Whh is added below
        }
      }
      backend.gemm(false, false, B, H, H3, dGh.subarray(off, off + B * H3), Whh, dh, true, packed);
    }
    return { dx: this.weightGradients(dGx, dGh, H3), dh0: dh, dc0: null };
  }

  trace(t: number, b: number) {
    const H = this.H;
    const o = (t * this.B + b) * 3 * H;
    const Gx = this.ws.get('Gx');
    const z = toArray(Gx, o + H, H);
    return {
      forget: z,
      input: z.map((v) => 1 - v),
      output: toArray(Gx, o, H),
      cell: toArray(this.ws.get('Hs'), ((t + 1) * this.B + b) * H, H),
    };
  }

}
