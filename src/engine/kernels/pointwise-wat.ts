/**
 * WAT text of the element-wise kernels around the products (build-kernels.ts puts them in the same module):
 * the fused LSTM step forward and backward (and those of the three-gate and peephole LSTM variants), the GRU step forward, tanh in place (plain RNN), bias broadcast-add and row sums, softmax cross-entropy rows,
 * and Adam. Every function walks rows of contiguous floats, f32x4 at a time, and finishes a row's last
 * (width mod 4) elements one at a time through the very same vector code (splat in, lane 0 out), so an
 * element's result never depends on where the row boundary falls.
 *
 * exp is Cephes' expf (range reduction x = n·ln2 + r with ln2 split in two, degree-6 polynomial, 2^n by
 * building the exponent bits): about 1 ulp over the clamped range [-87, 88], where 2^n stays a normal number
 * and the result finite. σ(x) = 1/(1 + e^−x), which saturates cleanly at both ends. tanh uses Cephes' tanhf
 * odd polynomial below |x| = 0.625 (where 1 − 2/(e^2x + 1) would lose the low bits to cancellation) and that
 * formula above; e^2x clamps at e^88, so tanh reaches exactly ±1 instead of overflowing.
 *
 * bias_add and row_sums add in the same order as the JS loops and f32 addition rounds as JS's double
 * addition followed by a rounding to float does (53 ≥ 2·24 + 2), so they are bit-identical to the loops.
 * adam computes in f64x2 exactly the double expression the JS loop evaluates, so it is bit-identical too.
 */

const g = (n: string): string => `(local.get $${n})`;
const lit = (x: number): string => (x === -Infinity ? '-inf' : x === Infinity ? 'inf' : String(x));
const f4 = (x: number): string => `(v128.const f32x4 ${lit(x)} ${lit(x)} ${lit(x)} ${lit(x)})`;

/** Locals the math macros use; declare once in every function that uses them. */
const MATH_LOCALS = ['ex', 'ef', 'ez', 'ey', 'ta', 'tz', 'ts', 'tb', 'tq']
  .map((n) => `(local $${n} v128)`).join(' ');

/**
 * $dst = e^src (f32x4), Cephes expf. src may be dst. n = round(x·log2 e) comes from adding 1.5·2²³ (the
 * integer then sits in the low mantissa bits, so 2^n is those bits plus 127, shifted into the exponent):
 * cheaper than floor and a saturating conversion. Rounding to nearest keeps |r| ≤ ln2/2 as Cephes' floor(·+½).
 * The clamp uses pmin/pmax (one instruction each, unlike min/max) with x first, so NaN stays NaN.
 */
function exp4(dst: string, src: string): string {
  const poly = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
  let p = f4(poly[0]);
  for (const c of poly.slice(1)) p = `(f32x4.add (f32x4.mul ${p} ${g('ex')}) ${f4(c)})`;
  return `
    (local.set $ex (f32x4.pmin (f32x4.pmax ${src} ${f4(-87)}) ${f4(88)})) ;; operand order lets NaN through
    (local.set $ef (f32x4.add (f32x4.mul ${g('ex')} ${f4(1.44269504088896341)}) ${f4(12582912)}))
    (local.set $ez (f32x4.sub ${g('ef')} ${f4(12582912)}))
    (local.set $ex (f32x4.sub (f32x4.sub ${g('ex')} (f32x4.mul ${g('ez')} ${f4(0.693359375)})) (f32x4.mul ${g('ez')} ${f4(-2.12194440e-4)})))
    (local.set $ez (f32x4.mul ${g('ex')} ${g('ex')}))
    (local.set $ey (f32x4.add (f32x4.add (f32x4.mul ${p} ${g('ez')}) ${g('ex')}) ${f4(1)}))
    (local.set $${dst} (f32x4.mul ${g('ey')}
      (i32x4.shl (i32x4.add ${g('ef')} (v128.const i32x4 127 127 127 127)) (i32.const 23))))`;
}

/** $dst = σ(src) = 1/(1 + e^−src). */
function sigmoid4(dst: string, src: string): string {
  return `
    (local.set $ts (f32x4.neg ${src}))
    ${exp4('ts', g('ts'))}
    (local.set $${dst} (f32x4.div ${f4(1)} (f32x4.add ${f4(1)} ${g('ts')})))`;
}

/** $dst = tanh(src): odd polynomial for |x| < 0.625, 1 − 2/(e^2|x| + 1) above, sign restored. */
function tanh4(dst: string, src: string): string {
  const q = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1];
  let p = f4(q[0]);
  for (const c of q.slice(1)) p = `(f32x4.add (f32x4.mul ${p} ${g('tz')}) ${f4(c)})`;
  return `
    (local.set $tq ${src})
    (local.set $ta (f32x4.abs ${g('tq')}))
    (local.set $tz (f32x4.mul ${g('ta')} ${g('ta')}))
    (local.set $tb (f32x4.add (f32x4.mul (f32x4.mul ${p} ${g('tz')}) ${g('ta')}) ${g('ta')}))
    (local.set $ts (f32x4.add ${g('ta')} ${g('ta')}))
    ${exp4('ts', g('ts'))}
    (local.set $ts (f32x4.sub ${f4(1)} (f32x4.div ${f4(2)} (f32x4.add ${g('ts')} ${f4(1)}))))
    (local.set $ts (v128.bitselect ${g('tb')} ${g('ts')} (f32x4.lt ${g('ta')} ${f4(0.625)})))
    (local.set $${dst} (v128.or ${g('ts')} (v128.and ${g('tq')} (v128.const i32x4 -2147483648 -2147483648 -2147483648 -2147483648))))`;
}

interface Access {
  /** f32x4 at byte address `addr`: a full vector, or one float splatted (row tails). */
  load(addr: string): string;
  /** Stores lane 0 only in the tail. */
  store(addr: string, value: string): string;
}
const VEC: Access = {
  load: (a) => `(v128.load ${a})`,
  store: (a, v) => `(v128.store ${a} ${v})`,
};
const ONE: Access = {
  load: (a) => `(v128.load32_splat ${a})`,
  store: (a, v) => `(f32.store ${a} (f32x4.extract_lane 0 ${v}))`,
};

/**
 * Loop over R rows of `hb` bytes: `body(access)` for each f32x4 (byte column $j), then the tail floats.
 * `nextRow` advances the row pointers.
 */
function rowLoop(R: string, body: (a: Access) => string, nextRow: string): string {
  return `
    (local.set $w4 (i32.and ${g('hb')} (i32.const -16)))
    (local.set $r (i32.const 0))
    (block $Rd (loop $R
      (br_if $Rd (i32.ge_s ${g('r')} ${R}))
      (local.set $j (i32.const 0))
      (block $Vd (loop $V
        (br_if $Vd (i32.ge_u ${g('j')} ${g('w4')}))
        ${body(VEC)}
        (local.set $j (i32.add ${g('j')} (i32.const 16)))
        (br $V)))
      (block $Td (loop $T
        (br_if $Td (i32.ge_u ${g('j')} ${g('hb')}))
        ${body(ONE)}
        (local.set $j (i32.add ${g('j')} (i32.const 4)))
        (br $T)))
      ${nextRow}
      (local.set $r (i32.add ${g('r')} (i32.const 1)))
      (br $R)))`;
}

const at = (base: string, extra = ''): string =>
  extra ? `(i32.add (i32.add ${g(base)} ${g('j')}) ${extra})` : `(i32.add ${g(base)} ${g('j')})`;

// ---- LSTM step forward, B rows: gates g (B×4H: i f g o pre-activations, activated in place),
// cp (B×H previous c), then c' → cn, tanh(c') → tc, o·tanh(c') → hn.
const lstmFwd = `
  (func (export "lstm_fwd") (param $g i32) (param $cp i32) (param $cn i32) (param $tc i32) (param $hn i32)
                            (param $B i32) (param $H i32)
    (local $hb i32) (local $hb2 i32) (local $hb3 i32) (local $w4 i32) (local $r i32) (local $j i32)
    (local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $c v128) (local $t v128)
    ${MATH_LOCALS}
    (local.set $hb (i32.shl ${g('H')} (i32.const 2)))
    (local.set $hb2 (i32.shl ${g('hb')} (i32.const 1)))
    (local.set $hb3 (i32.mul ${g('hb')} (i32.const 3)))
    ${rowLoop(g('B'), (a) => `
        ${sigmoid4('i', a.load(at('g')))}
        ${sigmoid4('f', a.load(at('g', g('hb'))))}
        ${tanh4('gg', a.load(at('g', g('hb2'))))}
        ${sigmoid4('o', a.load(at('g', g('hb3'))))}
        ${a.store(at('g'), g('i'))}
        ${a.store(at('g', g('hb')), g('f'))}
        ${a.store(at('g', g('hb2')), g('gg'))}
        ${a.store(at('g', g('hb3')), g('o'))}
        (local.set $c (f32x4.add (f32x4.mul ${g('f')} ${a.load(at('cp'))}) (f32x4.mul ${g('i')} ${g('gg')})))
        ${tanh4('t', g('c'))}
        ${a.store(at('cn'), g('c'))}
        ${a.store(at('tc'), g('t'))}
        ${a.store(at('hn'), `(f32x4.mul ${g('o')} ${g('t')})`)}`, `
      (local.set $g (i32.add ${g('g')} (i32.shl ${g('hb')} (i32.const 2))))
      ${['cp', 'cn', 'tc', 'hn'].map((p) => `(local.set $${p} (i32.add ${g(p)} ${g('hb')}))`).join(' ')}`)})`;

// ---- LSTM step backward, B rows: from activated gates G (B×4H), tanh(c) tc, previous c cp, output gradient
// dOut and the carried dh, dc (all B×H), writes the pre-activation gradients dG (B×4H) and dc ← dc·f.
const one = f4(1);
const lstmBwd = `
  (func (export "lstm_bwd") (param $G i32) (param $tc i32) (param $cp i32) (param $dout i32) (param $dh i32)
                            (param $dc i32) (param $dG i32) (param $B i32) (param $H i32)
    (local $hb i32) (local $hb2 i32) (local $hb3 i32) (local $w4 i32) (local $r i32) (local $j i32)
    (local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $t v128) (local $dhv v128) (local $dcv v128)
    (local.set $hb (i32.shl ${g('H')} (i32.const 2)))
    (local.set $hb2 (i32.shl ${g('hb')} (i32.const 1)))
    (local.set $hb3 (i32.mul ${g('hb')} (i32.const 3)))
    ${rowLoop(g('B'), (a) => `
        (local.set $i ${a.load(at('G'))})
        (local.set $f ${a.load(at('G', g('hb')))})
        (local.set $gg ${a.load(at('G', g('hb2')))})
        (local.set $o ${a.load(at('G', g('hb3')))})
        (local.set $t ${a.load(at('tc'))})
        (local.set $dhv (f32x4.add ${a.load(at('dout'))} ${a.load(at('dh'))}))
        (local.set $dcv (f32x4.add ${a.load(at('dc'))}
          (f32x4.mul (f32x4.mul ${g('dhv')} ${g('o')}) (f32x4.sub ${one} (f32x4.mul ${g('t')} ${g('t')})))))
        ${a.store(at('dG'), `(f32x4.mul (f32x4.mul (f32x4.mul ${g('dcv')} ${g('gg')}) ${g('i')}) (f32x4.sub ${one} ${g('i')}))`)}
        ${a.store(at('dG', g('hb')), `(f32x4.mul (f32x4.mul (f32x4.mul ${g('dcv')} ${a.load(at('cp'))}) ${g('f')}) (f32x4.sub ${one} ${g('f')}))`)}
        ${a.store(at('dG', g('hb2')), `(f32x4.mul (f32x4.mul ${g('dcv')} ${g('i')}) (f32x4.sub ${one} (f32x4.mul ${g('gg')} ${g('gg')})))`)}
        ${a.store(at('dG', g('hb3')), `(f32x4.mul (f32x4.mul (f32x4.mul ${g('dhv')} ${g('t')}) ${g('o')}) (f32x4.sub ${one} ${g('o')}))`)}
        ${a.store(at('dc'), `(f32x4.mul ${g('dcv')} ${g('f')})`)}`, `
      (local.set $G (i32.add ${g('G')} (i32.shl ${g('hb')} (i32.const 2))))
      (local.set $dG (i32.add ${g('dG')} (i32.shl ${g('hb')} (i32.const 2))))
      ${['tc', 'cp', 'dout', 'dh', 'dc'].map((p) => `(local.set $${p} (i32.add ${g(p)} ${g('hb')}))`).join(' ')}`)})`;

// ---- Three-block LSTM step forward (lstm-coupled, lstm-no-forget), B rows: gates g (B×3H: i g o
// pre-activations, activated in place), cp (B×H previous c); f = 1 − κ·i with κ = 1 (coupled, f = 1 − i) or
// κ = 0 (no forget gate: f is exactly 1); c' = f⊙cp + i⊙g → cn, tanh(c') → tc, o·tanh(c') → hn.
const lstm3Fwd = `
  (func (export "lstm3_fwd") (param $g i32) (param $cp i32) (param $cn i32) (param $tc i32) (param $hn i32)
                             (param $B i32) (param $H i32) (param $kappa f32)
    (local $hb i32) (local $hb2 i32) (local $w4 i32) (local $r i32) (local $j i32) (local $k v128)
    (local $i v128) (local $gg v128) (local $o v128) (local $c v128) (local $t v128)
    ${MATH_LOCALS}
    (local.set $k (f32x4.splat ${g('kappa')}))
    (local.set $hb (i32.shl ${g('H')} (i32.const 2)))
    (local.set $hb2 (i32.shl ${g('hb')} (i32.const 1)))
    ${rowLoop(g('B'), (a) => `
        ${sigmoid4('i', a.load(at('g')))}
        ${tanh4('gg', a.load(at('g', g('hb'))))}
        ${sigmoid4('o', a.load(at('g', g('hb2'))))}
        ${a.store(at('g'), g('i'))}
        ${a.store(at('g', g('hb')), g('gg'))}
        ${a.store(at('g', g('hb2')), g('o'))}
        (local.set $c (f32x4.add (f32x4.mul (f32x4.sub ${f4(1)} (f32x4.mul ${g('k')} ${g('i')})) ${a.load(at('cp'))})
          (f32x4.mul ${g('i')} ${g('gg')})))
        ${tanh4('t', g('c'))}
        ${a.store(at('cn'), g('c'))}
        ${a.store(at('tc'), g('t'))}
        ${a.store(at('hn'), `(f32x4.mul ${g('o')} ${g('t')})`)}`, `
      (local.set $g (i32.add ${g('g')} (i32.mul ${g('hb')} (i32.const 3))))
      ${['cp', 'cn', 'tc', 'hn'].map((p) => `(local.set $${p} (i32.add ${g(p)} ${g('hb')}))`).join(' ')}`)})`;

// ---- Three-block LSTM step backward, B rows: from activated gates G (B×3H: i g o), tanh(c) tc, previous c cp,
// dOut and the carried dh, dc (B×H), writes dG (B×3H): d_i = dc'·(g − κ·cp)·i(1−i), and dc ← dc'·(1 − κ·i).
const lstm3Bwd = `
  (func (export "lstm3_bwd") (param $G i32) (param $tc i32) (param $cp i32) (param $dout i32) (param $dh i32)
                             (param $dc i32) (param $dG i32) (param $B i32) (param $H i32) (param $kappa f32)
    (local $hb i32) (local $hb2 i32) (local $w4 i32) (local $r i32) (local $j i32) (local $k v128)
    (local $i v128) (local $gg v128) (local $o v128) (local $t v128) (local $dhv v128) (local $dcv v128)
    (local.set $k (f32x4.splat ${g('kappa')}))
    (local.set $hb (i32.shl ${g('H')} (i32.const 2)))
    (local.set $hb2 (i32.shl ${g('hb')} (i32.const 1)))
    ${rowLoop(g('B'), (a) => `
        (local.set $i ${a.load(at('G'))})
        (local.set $gg ${a.load(at('G', g('hb')))})
        (local.set $o ${a.load(at('G', g('hb2')))})
        (local.set $t ${a.load(at('tc'))})
        (local.set $dhv (f32x4.add ${a.load(at('dout'))} ${a.load(at('dh'))}))
        (local.set $dcv (f32x4.add ${a.load(at('dc'))}
          (f32x4.mul (f32x4.mul ${g('dhv')} ${g('o')}) (f32x4.sub ${one} (f32x4.mul ${g('t')} ${g('t')})))))
        ${a.store(at('dG'), `(f32x4.mul (f32x4.mul (f32x4.mul ${g('dcv')}
          (f32x4.sub ${g('gg')} (f32x4.mul ${g('k')} ${a.load(at('cp'))}))) ${g('i')}) (f32x4.sub ${one} ${g('i')}))`)}
        ${a.store(at('dG', g('hb')), `(f32x4.mul (f32x4.mul ${g('dcv')} ${g('i')}) (f32x4.sub ${one} (f32x4.mul ${g('gg')} ${g('gg')})))`)}
        ${a.store(at('dG', g('hb2')), `(f32x4.mul (f32x4.mul (f32x4.mul ${g('dhv')} ${g('t')}) ${g('o')}) (f32x4.sub ${one} ${g('o')}))`)}
        ${a.store(at('dc'), `(f32x4.mul ${g('dcv')} (f32x4.sub ${one} (f32x4.mul ${g('k')} ${g('i')})))`)}`, `
      (local.set $G (i32.add ${g('G')} (i32.mul ${g('hb')} (i32.const 3))))
      (local.set $dG (i32.add ${g('dG')} (i32.mul ${g('hb')} (i32.const 3))))
      ${['tc', 'cp', 'dout', 'dh', 'dc'].map((p) => `(local.set $${p} (i32.add ${g(p)} ${g('hb')}))`).join(' ')}`)})`;

// ---- Peephole LSTM step forward, B rows: as lstm_fwd, with the diagonal peepholes pi, pf (on cp) and po (on c')
// (H each, the same for every row): i = σ(a_i + pi⊙cp), f = σ(a_f + pf⊙cp), o = σ(a_o + po⊙c').
const lstmpFwd = `
  (func (export "lstmp_fwd") (param $g i32) (param $cp i32) (param $cn i32) (param $tc i32) (param $hn i32)
                             (param $B i32) (param $H i32) (param $pi i32) (param $pf i32) (param $po i32)
    (local $hb i32) (local $hb2 i32) (local $hb3 i32) (local $w4 i32) (local $r i32) (local $j i32)
    (local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $c v128) (local $t v128) (local $cpv v128)
    ${MATH_LOCALS}
    (local.set $hb (i32.shl ${g('H')} (i32.const 2)))
    (local.set $hb2 (i32.shl ${g('hb')} (i32.const 1)))
    (local.set $hb3 (i32.mul ${g('hb')} (i32.const 3)))
    ${rowLoop(g('B'), (a) => `
        (local.set $cpv ${a.load(at('cp'))})
        ${sigmoid4('i', `(f32x4.add ${a.load(at('g'))} (f32x4.mul ${a.load(at('pi'))} ${g('cpv')}))`)}
        ${sigmoid4('f', `(f32x4.add ${a.load(at('g', g('hb')))} (f32x4.mul ${a.load(at('pf'))} ${g('cpv')}))`)}
        ${tanh4('gg', a.load(at('g', g('hb2'))))}
        (local.set $c (f32x4.add (f32x4.mul ${g('f')} ${g('cpv')}) (f32x4.mul ${g('i')} ${g('gg')})))
        ${sigmoid4('o', `(f32x4.add ${a.load(at('g', g('hb3')))} (f32x4.mul ${a.load(at('po'))} ${g('c')}))`)}
        ${a.store(at('g'), g('i'))}
        ${a.store(at('g', g('hb')), g('f'))}
        ${a.store(at('g', g('hb2')), g('gg'))}
        ${a.store(at('g', g('hb3')), g('o'))}
        ${tanh4('t', g('c'))}
        ${a.store(at('cn'), g('c'))}
        ${a.store(at('tc'), g('t'))}
        ${a.store(at('hn'), `(f32x4.mul ${g('o')} ${g('t')})`)}`, `
      (local.set $g (i32.add ${g('g')} (i32.shl ${g('hb')} (i32.const 2))))
      ${['cp', 'cn', 'tc', 'hn'].map((p) => `(local.set $${p} (i32.add ${g(p)} ${g('hb')}))`).join(' ')}`)})`;

// ---- Peephole LSTM step backward, B rows: as lstm_bwd, plus the peephole paths. c' also reaches the loss
// through o (dc' += d_o·po); dc ← dc'·f + d_i·pi + d_f·pf; the peephole gradients dpi, dpf (+= d·cp) and
// dpo (+= d_o·c', from cn) accumulate over the rows in order.
const lstmpBwd = `
  (func (export "lstmp_bwd") (param $G i32) (param $tc i32) (param $cp i32) (param $cn i32) (param $dout i32)
                             (param $dh i32) (param $dc i32) (param $dG i32) (param $B i32) (param $H i32)
                             (param $pi i32) (param $pf i32) (param $po i32) (param $dpi i32) (param $dpf i32) (param $dpo i32)
    (local $hb i32) (local $hb2 i32) (local $hb3 i32) (local $w4 i32) (local $r i32) (local $j i32)
    (local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $t v128) (local $dhv v128) (local $dcv v128)
    (local $cpv v128) (local $dao v128) (local $dai v128) (local $daf v128)
    (local.set $hb (i32.shl ${g('H')} (i32.const 2)))
    (local.set $hb2 (i32.shl ${g('hb')} (i32.const 1)))
    (local.set $hb3 (i32.mul ${g('hb')} (i32.const 3)))
    ${rowLoop(g('B'), (a) => `
        (local.set $i ${a.load(at('G'))})
        (local.set $f ${a.load(at('G', g('hb')))})
        (local.set $gg ${a.load(at('G', g('hb2')))})
        (local.set $o ${a.load(at('G', g('hb3')))})
        (local.set $t ${a.load(at('tc'))})
        (local.set $cpv ${a.load(at('cp'))})
        (local.set $dhv (f32x4.add ${a.load(at('dout'))} ${a.load(at('dh'))}))
        (local.set $dao (f32x4.mul (f32x4.mul (f32x4.mul ${g('dhv')} ${g('t')}) ${g('o')}) (f32x4.sub ${one} ${g('o')})))
        (local.set $dcv (f32x4.add (f32x4.add ${a.load(at('dc'))}
          (f32x4.mul (f32x4.mul ${g('dhv')} ${g('o')}) (f32x4.sub ${one} (f32x4.mul ${g('t')} ${g('t')}))))
          (f32x4.mul ${g('dao')} ${a.load(at('po'))})))
        (local.set $dai (f32x4.mul (f32x4.mul (f32x4.mul ${g('dcv')} ${g('gg')}) ${g('i')}) (f32x4.sub ${one} ${g('i')})))
        (local.set $daf (f32x4.mul (f32x4.mul (f32x4.mul ${g('dcv')} ${g('cpv')}) ${g('f')}) (f32x4.sub ${one} ${g('f')})))
        ${a.store(at('dG'), g('dai'))}
        ${a.store(at('dG', g('hb')), g('daf'))}
        ${a.store(at('dG', g('hb2')), `(f32x4.mul (f32x4.mul ${g('dcv')} ${g('i')}) (f32x4.sub ${one} (f32x4.mul ${g('gg')} ${g('gg')})))`)}
        ${a.store(at('dG', g('hb3')), g('dao'))}
        ${a.store(at('dc'), `(f32x4.add (f32x4.add (f32x4.mul ${g('dcv')} ${g('f')}) (f32x4.mul ${g('dai')} ${a.load(at('pi'))}))
          (f32x4.mul ${g('daf')} ${a.load(at('pf'))}))`)}
        ${a.store(at('dpi'), `(f32x4.add ${a.load(at('dpi'))} (f32x4.mul ${g('dai')} ${g('cpv')}))`)}
        ${a.store(at('dpf'), `(f32x4.add ${a.load(at('dpf'))} (f32x4.mul ${g('daf')} ${g('cpv')}))`)}
        ${a.store(at('dpo'), `(f32x4.add ${a.load(at('dpo'))} (f32x4.mul ${g('dao')} ${a.load(at('cn'))}))`)}`, `
      (local.set $G (i32.add ${g('G')} (i32.shl ${g('hb')} (i32.const 2))))
      (local.set $dG (i32.add ${g('dG')} (i32.shl ${g('hb')} (i32.const 2))))
      ${['tc', 'cp', 'cn', 'dout', 'dh', 'dc'].map((p) => `(local.set $${p} (i32.add ${g(p)} ${g('hb')}))`).join(' ')}`)})`;

// ---- GRU step forward, B rows: gx (B×3H, input side r z n incl. bih; activated in place), gh (B×3H, hidden
// side incl. bhh), hp (B×H previous h) → hn = (1−z)⊙n + z⊙hp.
const gruFwd = `
  (func (export "gru_fwd") (param $gx i32) (param $gh i32) (param $hp i32) (param $hn i32) (param $B i32) (param $H i32)
    (local $hb i32) (local $hb2 i32) (local $w4 i32) (local $r i32) (local $j i32)
    (local $rr v128) (local $z v128) (local $n v128)
    ${MATH_LOCALS}
    (local.set $hb (i32.shl ${g('H')} (i32.const 2)))
    (local.set $hb2 (i32.shl ${g('hb')} (i32.const 1)))
    ${rowLoop(g('B'), (a) => `
        ${sigmoid4('rr', `(f32x4.add ${a.load(at('gx'))} ${a.load(at('gh'))})`)}
        ${sigmoid4('z', `(f32x4.add ${a.load(at('gx', g('hb')))} ${a.load(at('gh', g('hb')))})`)}
        ${tanh4('n', `(f32x4.add ${a.load(at('gx', g('hb2')))} (f32x4.mul ${g('rr')} ${a.load(at('gh', g('hb2')))}))`)}
        ${a.store(at('gx'), g('rr'))}
        ${a.store(at('gx', g('hb')), g('z'))}
        ${a.store(at('gx', g('hb2')), g('n'))}
        ${a.store(at('hn'), `(f32x4.add (f32x4.mul (f32x4.sub ${f4(1)} ${g('z')}) ${g('n')}) (f32x4.mul ${g('z')} ${a.load(at('hp'))}))`)}`, `
      (local.set $gx (i32.add ${g('gx')} (i32.mul ${g('hb')} (i32.const 3))))
      (local.set $gh (i32.add ${g('gh')} (i32.mul ${g('hb')} (i32.const 3))))
      (local.set $hp (i32.add ${g('hp')} ${g('hb')}))
      (local.set $hn (i32.add ${g('hn')} ${g('hb')}))`)})`;

// ---- x (n) ← tanh(x), the plain RNN's squashing
const tanhInPlace = `
  (func (export "tanh_n") (param $x i32) (param $n i32)
    (local $hb i32) (local $w4 i32) (local $r i32) (local $j i32) (local $t v128)
    ${MATH_LOCALS}
    (local.set $hb (i32.shl ${g('n')} (i32.const 2)))
    ${rowLoop('(i32.const 1)', (a) => `
        ${tanh4('t', a.load(at('x')))}
        ${a.store(at('x'), g('t'))}`, '')})`;

// ---- rows of M (R×N) += bias (N)
const biasAdd = `
  (func (export "bias_add") (param $M i32) (param $R i32) (param $N i32) (param $bias i32)
    (local $hb i32) (local $w4 i32) (local $r i32) (local $j i32)
    (local.set $hb (i32.shl ${g('N')} (i32.const 2)))
    ${rowLoop(g('R'), (a) => a.store(at('M'), `(f32x4.add ${a.load(at('M'))} ${a.load(at('bias'))})`),
      `(local.set $M (i32.add ${g('M')} ${g('hb')}))`)})`;

// ---- out (N) += Σ_r M[r, :], rows added one after another as the JS loop does
const rowSums = `
  (func (export "row_sums") (param $M i32) (param $R i32) (param $N i32) (param $out i32)
    (local $hb i32) (local $w4 i32) (local $r i32) (local $j i32)
    (local.set $hb (i32.shl ${g('N')} (i32.const 2)))
    ${rowLoop(g('R'), (a) => a.store(at('out'), `(f32x4.add ${a.load(at('out'))} ${a.load(at('M'))})`),
      `(local.set $M (i32.add ${g('M')} ${g('hb')}))`)})`;

// ---- softmax rows: for each row of L (N×V) its max m and s = Σ e^(x−m) go to stats[2r], stats[2r+1];
// when grad ≠ 0, grad row = e^(x−m)·(scale/s) (grad may be L itself). The caller adds the log and the target.
const hsum = (v: string): string =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v})) (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;
const hmax = (v: string): string =>
  `(f32.max (f32.max (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v})) (f32.max (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;
const softmaxRows = `
  (func $softmax_rows (export "softmax_rows") (param $L i32) (param $N i32) (param $V i32) (param $grad i32) (param $scale f32)
                                (param $stats i32)
    (local $hb i32) (local $w4 i32) (local $r i32) (local $j i32) (local $m f32) (local $s f32)
    (local $vm v128) (local $vs v128) (local $e v128) (local $k v128)
    ${MATH_LOCALS}
    (local.set $hb (i32.shl ${g('V')} (i32.const 2)))
    (local.set $w4 (i32.and ${g('hb')} (i32.const -16)))
    (local.set $r (i32.const 0))
    (block $Rd (loop $R
      (br_if $Rd (i32.ge_s ${g('r')} ${g('N')}))
      ;; max
      (local.set $vm ${f4(-Infinity)})
      (local.set $j (i32.const 0))
      (block $Md (loop $Mx
        (br_if $Md (i32.ge_u ${g('j')} ${g('w4')}))
        (local.set $vm (f32x4.max ${g('vm')} (v128.load ${at('L')})))
        (local.set $j (i32.add ${g('j')} (i32.const 16)))
        (br $Mx)))
      (local.set $m ${hmax(g('vm'))})
      (block $MTd (loop $MT
        (br_if $MTd (i32.ge_u ${g('j')} ${g('hb')}))
        (local.set $m (f32.max ${g('m')} (f32.load ${at('L')})))
        (local.set $j (i32.add ${g('j')} (i32.const 4)))
        (br $MT)))
      (local.set $vm (f32x4.splat ${g('m')}))
      ;; exponentials and their sum
      (local.set $vs (v128.const f32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $Ed (loop $Ex
        (br_if $Ed (i32.ge_u ${g('j')} ${g('w4')}))
        ${exp4('e', `(f32x4.sub (v128.load ${at('L')}) ${g('vm')})`)}
        (if ${g('grad')} (then (v128.store ${at('grad')} ${g('e')})))
        (local.set $vs (f32x4.add ${g('vs')} ${g('e')}))
        (local.set $j (i32.add ${g('j')} (i32.const 16)))
        (br $Ex)))
      (local.set $s ${hsum(g('vs'))})
      (block $ETd (loop $ET
        (br_if $ETd (i32.ge_u ${g('j')} ${g('hb')}))
        ${exp4('e', `(f32x4.sub (v128.load32_splat ${at('L')}) ${g('vm')})`)}
        (if ${g('grad')} (then (f32.store ${at('grad')} (f32x4.extract_lane 0 ${g('e')}))))
        (local.set $s (f32.add ${g('s')} (f32x4.extract_lane 0 ${g('e')})))
        (local.set $j (i32.add ${g('j')} (i32.const 4)))
        (br $ET)))
      (f32.store ${g('stats')} ${g('m')})
      (f32.store offset=4 ${g('stats')} ${g('s')})
      ;; normalise the gradient row
      (if ${g('grad')} (then
        (local.set $k (f32x4.splat (f32.div ${g('scale')} ${g('s')})))
        (local.set $j (i32.const 0))
        (block $Nd (loop $Nx
          (br_if $Nd (i32.ge_u ${g('j')} ${g('w4')}))
          (v128.store ${at('grad')} (f32x4.mul (v128.load ${at('grad')}) ${g('k')}))
          (local.set $j (i32.add ${g('j')} (i32.const 16)))
          (br $Nx)))
        (block $NTd (loop $NT
          (br_if $NTd (i32.ge_u ${g('j')} ${g('hb')}))
          (f32.store ${at('grad')} (f32.mul (f32.load ${at('grad')}) (f32x4.extract_lane 0 ${g('k')})))
          (local.set $j (i32.add ${g('j')} (i32.const 4)))
          (br $NT)))
        (local.set $grad (i32.add ${g('grad')} ${g('hb')}))))
      (local.set $L (i32.add ${g('L')} ${g('hb')}))
      (local.set $stats (i32.add ${g('stats')} (i32.const 8)))
      (local.set $r (i32.add ${g('r')} (i32.const 1)))
      (br $R))))`;

// ---- Adam over n floats, in doubles exactly as the JS loop evaluates it:
//   m ← f32(b1·m + (1−b1)·g)   v ← f32(b2·v + ((1−b2)·g)·g)   p ← f32(p − (lr·(m/c1)) / (√(v/c2) + eps))
// two elements per f64x2 step, the odd last one with scalar f64 (same operations, same roundings).
function adamBody(w: 2 | 1): string {
  if (w === 2) {
    const ld = (a: string): string => `(f64x2.promote_low_f32x4 (v128.load64_zero ${a}))`;
    const st = (a: string, v: string): string => `(i64.store ${a} (i64x2.extract_lane 0 (f32x4.demote_f64x2_zero ${v})))`;
    const sp = (x: string): string => `(f64x2.splat ${g(x)})`;
    return `
        (local.set $vg ${ld(at('gp'))})
        (local.set $vm (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul ${sp('b1')} ${ld(at('mp'))}) (f64x2.mul ${sp('omb1')} ${g('vg')}))))
        (local.set $vv (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul ${sp('b2')} ${ld(at('vp'))}) (f64x2.mul (f64x2.mul ${sp('omb2')} ${g('vg')}) ${g('vg')}))))
        (i64.store ${at('mp')} (i64x2.extract_lane 0 ${g('vm')}))
        (i64.store ${at('vp')} (i64x2.extract_lane 0 ${g('vv')}))
        ${st(at('pp'), `(f64x2.sub ${ld(at('pp'))} (f64x2.div
          (f64x2.mul ${sp('lr')} (f64x2.div (f64x2.promote_low_f32x4 ${g('vm')}) ${sp('c1')}))
          (f64x2.add (f64x2.sqrt (f64x2.div (f64x2.promote_low_f32x4 ${g('vv')}) ${sp('c2')})) ${sp('eps')})))`)}`;
  }
  const ld = (a: string): string => `(f64.promote_f32 (f32.load ${a}))`;
  return `
        (local.set $sg ${ld(at('gp'))})
        (local.set $sm (f32.demote_f64 (f64.add (f64.mul ${g('b1')} ${ld(at('mp'))}) (f64.mul ${g('omb1')} ${g('sg')}))))
        (local.set $sv (f32.demote_f64 (f64.add (f64.mul ${g('b2')} ${ld(at('vp'))}) (f64.mul (f64.mul ${g('omb2')} ${g('sg')}) ${g('sg')}))))
        (f32.store ${at('mp')} ${g('sm')})
        (f32.store ${at('vp')} ${g('sv')})
        (f32.store ${at('pp')} (f32.demote_f64 (f64.sub ${ld(at('pp'))} (f64.div
          (f64.mul ${g('lr')} (f64.div (f64.promote_f32 ${g('sm')}) ${g('c1')}))
          (f64.add (f64.sqrt (f64.div (f64.promote_f32 ${g('sv')}) ${g('c2')})) ${g('eps')})))))`;
}
const adam = `
  (func $adam (export "adam") (param $pp i32) (param $gp i32) (param $mp i32) (param $vp i32) (param $n i32)
                        (param $lr f64) (param $b1 f64) (param $omb1 f64) (param $b2 f64) (param $omb2 f64)
                        (param $c1 f64) (param $c2 f64) (param $eps f64)
    (local $j i32) (local $nb i32) (local $w2 i32) (local $vg v128) (local $vm v128) (local $vv v128)
    (local $sg f64) (local $sm f32) (local $sv f32)
    (local.set $nb (i32.shl ${g('n')} (i32.const 2)))
    (local.set $w2 (i32.and ${g('nb')} (i32.const -8)))
    (local.set $j (i32.const 0))
    (block $Vd (loop $V
      (br_if $Vd (i32.ge_u ${g('j')} ${g('w2')}))
      ${adamBody(2)}
      (local.set $j (i32.add ${g('j')} (i32.const 8)))
      (br $V)))
    (if (i32.lt_u ${g('j')} ${g('nb')}) (then ${adamBody(1)})))`;
// ---- The forms the helper threads call, whose job arguments are 32-bit integers: Adam and a scaling with
// their doubles read from memory ($par: lr, b1, 1−b1, b2, 1−b2, c1, c2, eps for Adam; the factor for scale),
// softmax rows with the f32 scale passed as its bits.
const byAddress = `
  (func (export "adam_at") (param $pp i32) (param $gp i32) (param $mp i32) (param $vp i32) (param $n i32) (param $par i32)
    (call $adam ${g('pp')} ${g('gp')} ${g('mp')} ${g('vp')} ${g('n')}
      ${[0, 8, 16, 24, 32, 40, 48, 56].map((o) => `(f64.load offset=${o} ${g('par')})`).join(' ')}))
  (func (export "softmax_rows_b") (param $L i32) (param $N i32) (param $V i32) (param $grad i32) (param $scale i32)
                                  (param $stats i32)
    (call $softmax_rows ${g('L')} ${g('N')} ${g('V')} ${g('grad')} (f32.reinterpret_i32 ${g('scale')}) ${g('stats')}))`;

// ---- x (n) ← f32(x·s) with s a double at $par, as the JS loop \`x[i] *= s\` rounds; two elements per f64x2 step.
const scaleAt = `
  (func (export "scale_at") (param $x i32) (param $n i32) (param $par i32)
    (local $j i32) (local $nb i32) (local $w2 i32) (local $s f64)
    (local.set $s (f64.load ${g('par')}))
    (local.set $nb (i32.shl ${g('n')} (i32.const 2)))
    (local.set $w2 (i32.and ${g('nb')} (i32.const -8)))
    (local.set $j (i32.const 0))
    (block $Vd (loop $V
      (br_if $Vd (i32.ge_u ${g('j')} ${g('w2')}))
      (i64.store ${at('x')} (i64x2.extract_lane 0 (f32x4.demote_f64x2_zero
        (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero ${at('x')})) (f64x2.splat ${g('s')})))))
      (local.set $j (i32.add ${g('j')} (i32.const 8)))
      (br $V)))
    (if (i32.lt_u ${g('j')} ${g('nb')}) (then
      (f32.store ${at('x')} (f32.demote_f64 (f64.mul (f64.promote_f32 (f32.load ${at('x')})) ${g('s')}))))))`;

// ---- Σ x² in doubles for each block of $blk floats of x (n floats; blk a multiple of 4) → out[k] (f64).
// Within a block element i goes to lane i mod 4 (f64x2 pairs (0, 1) and (2, 3)), lanes add as (l0 + l1) + (l2 + l3):
// the order of sumSquares in training/optimizer.ts, so the blocks' sums are bit-identical to its loop.
const sq = (a: string): string => `(f64.mul (f64.promote_f32 (f32.load ${a})) (f64.promote_f32 (f32.load ${a})))`;
const sumsqBlocks = `
  (func (export "sumsq_blocks") (param $x i32) (param $n i32) (param $blk i32) (param $out i32)
    (local $len i32) (local $e i32) (local $w4 i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local $l0 f64) (local $l1 f64) (local $l2 f64)
    (block $Bd (loop $B
      (br_if $Bd (i32.le_s ${g('n')} (i32.const 0)))
      (local.set $len (select ${g('blk')} ${g('n')} (i32.lt_s ${g('blk')} ${g('n')})))
      (local.set $e (i32.add ${g('x')} (i32.shl ${g('len')} (i32.const 2))))
      (local.set $w4 (i32.add ${g('x')} (i32.shl (i32.and ${g('len')} (i32.const -4)) (i32.const 2))))
      (local.set $lo (v128.const f64x2 0 0))
      (local.set $hi (v128.const f64x2 0 0))
      (block $Vd (loop $V
        (br_if $Vd (i32.ge_u ${g('x')} ${g('w4')}))
        (local.set $v (v128.load ${g('x')}))
        (local.set $lo (f64x2.add ${g('lo')} (f64x2.mul (f64x2.promote_low_f32x4 ${g('v')}) (f64x2.promote_low_f32x4 ${g('v')}))))
        (local.set $v (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${g('v')} ${g('v')}))
        (local.set $hi (f64x2.add ${g('hi')} (f64x2.mul (f64x2.promote_low_f32x4 ${g('v')}) (f64x2.promote_low_f32x4 ${g('v')}))))
        (local.set $x (i32.add ${g('x')} (i32.const 16)))
        (br $V)))
      (local.set $l0 (f64x2.extract_lane 0 ${g('lo')}))
      (local.set $l1 (f64x2.extract_lane 1 ${g('lo')}))
      (local.set $l2 (f64x2.extract_lane 0 ${g('hi')}))
      (if (i32.lt_u ${g('x')} ${g('e')}) (then (local.set $l0 (f64.add ${g('l0')} ${sq(g('x'))}))))
      (if (i32.lt_u (i32.add ${g('x')} (i32.const 4)) ${g('e')}) (then (local.set $l1 (f64.add ${g('l1')} ${sq('offset=4 ' + g('x'))}))))
      (if (i32.lt_u (i32.add ${g('x')} (i32.const 8)) ${g('e')}) (then (local.set $l2 (f64.add ${g('l2')} ${sq('offset=8 ' + g('x'))}))))
      (f64.store ${g('out')} (f64.add (f64.add ${g('l0')} ${g('l1')}) (f64.add ${g('l2')} (f64x2.extract_lane 1 ${g('hi')}))))
      (local.set $x ${g('e')})
      (local.set $n (i32.sub ${g('n')} ${g('len')}))
      (local.set $out (i32.add ${g('out')} (i32.const 8)))
      (br $B))))`;

export function generatePointwiseWat(): string {
  return [lstmFwd, lstmBwd, lstm3Fwd, lstm3Bwd, lstmpFwd, lstmpBwd, gruFwd, tanhInPlace, biasAdd, rowSums, softmaxRows, adam,
    byAddress, scaleAt, sumsqBlocks].join('\n');
}

/** Signatures of the exports above (byte addresses, counts). */
export interface PointwiseExports {
  lstm_fwd(g: number, cp: number, cn: number, tc: number, hn: number, B: number, H: number): void;
  lstm_bwd(G: number, tc: number, cp: number, dout: number, dh: number, dc: number, dG: number, B: number, H: number): void;
  lstm3_fwd(g: number, cp: number, cn: number, tc: number, hn: number, B: number, H: number, kappa: number): void;
  lstm3_bwd(G: number, tc: number, cp: number, dout: number, dh: number, dc: number, dG: number, B: number, H: number, kappa: number): void;
  lstmp_fwd(g: number, cp: number, cn: number, tc: number, hn: number, B: number, H: number, pi: number, pf: number, po: number): void;
  lstmp_bwd(G: number, tc: number, cp: number, cn: number, dout: number, dh: number, dc: number, dG: number, B: number, H: number,
            pi: number, pf: number, po: number, dpi: number, dpf: number, dpo: number): void;
  gru_fwd(gx: number, gh: number, hp: number, hn: number, B: number, H: number): void;
  tanh_n(x: number, n: number): void;
  bias_add(M: number, R: number, N: number, bias: number): void;
  row_sums(M: number, R: number, N: number, out: number): void;
  softmax_rows(L: number, N: number, V: number, grad: number, scale: number, stats: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, omb1: number, b2: number,
       omb2: number, c1: number, c2: number, eps: number): void;
  /** adam with lr, b1, 1−b1, b2, 1−b2, c1, c2, eps as 8 doubles at par. */
  adam_at(p: number, g: number, m: number, v: number, n: number, par: number): void;
  /** softmax_rows with the scale as the bits of an f32. */
  softmax_rows_b(L: number, N: number, V: number, grad: number, scaleBits: number, stats: number): void;
  /** x (n) ← x·s, s a double at par. */
  scale_at(x: number, n: number, par: number): void;
  /** out[k] (f64) = Σ x² over block k of blk floats. */
  sumsq_blocks(x: number, n: number, blk: number, out: number): void;
}

