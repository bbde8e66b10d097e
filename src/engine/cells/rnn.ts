// Vanilla tanh RNN layer, PyTorch nn.RNN's equations:  h' = tanh(x·Wihᵀ + bih + h·Whhᵀ + bhh)
// Shapes: x (T·B, D), Hs (T+1, B, H) with row 0 = h0.
import type { Arr } from '../backend.ts';
import { addBias, toArray, SequenceLayer, type RecurrentLayer } from './layer.ts';

export class RnnLayer extends SequenceLayer implements RecurrentLayer {
  protected buffers(T: number, B: number) {
    const H = this.H;
    return { Hs: (T + 1) * B * H, dP: T * B * H, dx: T * B * this.D, dh: B * H };
  }

  forward(x: Arr, T: number, B: number, h0: Arr): Arr {
    const { H, D, backend } = this;
    const { Wih, Whh, bih, bhh } = this.p;
    this.begin(x, T, B);
    const Hs = this.ws.get('Hs');
    Hs.set(h0.subarray(0, B * H));
    // Pre-activations are built directly in the output rows Hs[1..T], then squashed step by step.
    const P = Hs.subarray(B * H, (T + 1) * B * H);
    backend.gemm(false, true, T * B, H, D, x, Wih, P, false);
    addBias(P, T * B, H, bih, backend);
    addBias(P, T * B, H, bhh, backend);
    const packed = this.packWhh('forward');
    for (let t = 0; t < T; t++) {
      const cur = Hs.subarray((t + 1) * B * H, (t + 2) * B * H);
      backend.gemm(false, true, B, H, H, Hs.subarray(t * B * H, (t + 1) * B * H), Whh, cur, true, packed);
      if (!backend.tanhInPlace?.(cur)) for (let k = 0; k < cur.length; k++) cur[k] = Math.tanh(cur[k]);
    }
    return P;
  }

  lastC(): null {
    return null;
  }

  backward(dOut: Arr, dhT: Arr | null) {
    const { H, T, B, backend } = this;
    const { Whh } = this.p;
    const Hs = this.ws.get('Hs');
    const dP = this.ws.get('dP');
    const dh = this.carriedIn('dh', dhT);
    const packed = this.packWhh('backward');
    for (let t = T - 1; t >= 0; t--) {
      const o = t * B * H;
      const hn = (t + 1) * B * H;
      for (let r = 0; r < B * H; r++) {
        const h = Hs[hn + r];
        dP[o + r] = (dOut[o + r] + dh[r]) * (1 - h * h);
      }
      backend.gemm(false, false, B, H, H, dP.subarray(o, o + B * H), Whh, dh, false, packed);
    }
    return { dx: this.weightGradients(dP, dP, H), dh0: dh, dc0: null };
  }

  trace(t: number, b: number) {
    return { cell: toArray(this.ws.get('Hs'), ((t + 1) * this.B + b) * this.H, this.H) };
  }

}
