/**
 * Generates the WebAssembly SIMD kernels (WAT text, compiled with wabt) and writes them as base64 into
 * gemm-wasm.generated.ts, so users need neither a compiler nor a download. Run: `npm run build:kernels`
 * (npx tsx src/engine/kernels/build-kernels.ts). The WAT is generated rather than hand-written because the
 * micro-kernel is a fully unrolled MR×NR register tile.
 *
 * Algorithm (the BLIS scheme): for each NC-wide column block of C and each KC-deep slice of K, op(B) is packed
 * into NR-wide panels (k-major, zero-padded), then for each MC-tall row block op(A) is packed into MR-tall
 * panels; the micro-kernel keeps an MR×NR tile of C in MR·NR/4 f32x4 registers while it walks the slice.
 * Every element of C is summed in the same order whatever tile, block or thread it lands in (zero padding adds
 * exact zeros), so splitting C between threads never changes a bit of the result.
 *
 * The default shape was chosen by measurement on the 2-core Zen 5 dev machine (Node 20, V8 11.3, which gives
 * wasm 16 xmm registers): a 2×16 tile (8 accumulators + 4 B vectors + 1 broadcast) ran ~60 GFLOP/s, close to
 * the 4 f32x4 mul/add per cycle the core can issue; tiles with 12 or more accumulators spill and run at half
 * that. Relaxed SIMD (f32x4.relaxed_madd) is off: Node 20 needs --experimental-wasm-relaxed-simd for it, it
 * measured no faster (two FMA pipes do what four mul/add pipes do), and without it results are the same on
 * every x86/ARM machine.
 *
 * Usage (experiments): tsx build-kernels.ts [--relaxed] [--unroll 2] [--gemv ROWS ACCS] [--out FILE]
 *                                           [MR NR [KC [MC [NC]]]]   (--wat prints the text instead)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { generatePointwiseWat } from './pointwise-wat.ts';

export interface KernelShape {
  MR: number; NR: number; KC: number; MC: number; NC: number;
  /** Use f32x4.relaxed_madd (fused multiply-add where the machine has it) instead of mul then add. */
  relaxed: boolean;
  /** Unroll the micro-kernel's k loop this many times (1 or 2). */
  unroll: number;
  /** Matrix-vector W·x: rows per pass, and f32x4 accumulators per row (k groups of 4 interleaved). */
  gemvRows: number; gemvAccs: number;
  /** Columns of x·B summed per pass of gemv_n; its running sums need this many floats of scratch. */
  gemvNBlock: number;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** 32-bit-lane shuffle as the byte-index list i8x16.shuffle wants. */
function shuf(lanes: number[]): string {
  return lanes.flatMap((l) => [0, 1, 2, 3].map((b) => l * 4 + b)).join(' ');
}

export function generateWat(s: KernelShape): string {
  const { MR, NR, relaxed } = s;
  if (NR % 4 !== 0) throw new Error('NR must be a multiple of 4');
  const NV = NR / 4;
  const madd = (acc: string, a: string, b: string): string => relaxed
    ? `(f32x4.relaxed_madd ${a} ${b} ${acc})`
    : `(f32x4.add ${acc} (f32x4.mul ${a} ${b}))`;
  const g = (n: string): string => `(local.get $${n})`;

  // ---- micro-kernel: C[MR×NR tile] (+)= Ap(MR×kc panel) · Bp(kc×NR panel)
  // one k step of the tile: NV vectors of B, then each row's broadcast A element times them
  const step = (u: number): string => `
      ${range(NV).map((j) => `(local.set $b${j} (v128.load offset=${16 * j + u * NR * 4} ${g('pb')}))`).join('\n      ')}
      ${range(MR).map((i) => `(local.set $a (v128.load32_splat offset=${4 * i + u * MR * 4} ${g('pa')}))
      ${range(NV).map((j) => `(local.set $c${i}_${j} ${madd(g(`c${i}_${j}`), g('a'), g(`b${j}`))})`).join('\n      ')}`).join('\n      ')}`;
  const accs = range(MR).flatMap((i) => range(NV).map((j) => `c${i}_${j}`));
  const kern = `
  (func $kern (param $kc i32) (param $pa i32) (param $pb i32) (param $pc i32) (param $ldc i32)
              (param $accm i32) (param $mv i32) (param $nv i32)
    ${accs.map((c) => `(local $${c} v128)`).join(' ')}
    ${range(NV).map((j) => `(local $b${j} v128)`).join(' ')} (local $a v128)
    (local $p i32) (local $i i32) (local $j i32) (local $t i32) (local $x f32)
    ${s.unroll === 2 ? `
    (if (i32.and ${g('kc')} (i32.const 1)) (then
      ${step(0)}
      (local.set $pa (i32.add ${g('pa')} (i32.const ${MR * 4})))
      (local.set $pb (i32.add ${g('pb')} (i32.const ${NR * 4})))))
    (if (local.tee $kc (i32.shr_u ${g('kc')} (i32.const 1))) (then
      (loop $L
        ${step(0)}
        ${step(1)}
        (local.set $pa (i32.add ${g('pa')} (i32.const ${MR * 8})))
        (local.set $pb (i32.add ${g('pb')} (i32.const ${NR * 8})))
        (br_if $L (local.tee $kc (i32.sub ${g('kc')} (i32.const 1)))))))` : `
    (loop $L
      ${step(0)}
      (local.set $pa (i32.add ${g('pa')} (i32.const ${MR * 4})))
      (local.set $pb (i32.add ${g('pb')} (i32.const ${NR * 4})))
      (br_if $L (local.tee $kc (i32.sub ${g('kc')} (i32.const 1)))))`}
    (if (i32.and (i32.eq ${g('mv')} (i32.const ${MR})) (i32.eq ${g('nv')} (i32.const ${NR})))
      (then
        (if ${g('accm')}
          (then
            (local.set $p ${g('pc')})
            ${range(MR).map((i) => range(NV).map((j) =>
              `(v128.store offset=${16 * j} ${g('p')} (f32x4.add (v128.load offset=${16 * j} ${g('p')}) ${g(`c${i}_${j}`)}))`).join(' ')
              + ` (local.set $p (i32.add ${g('p')} ${g('ldc')}))`).join('\n            ')})
          (else
            (local.set $p ${g('pc')})
            ${range(MR).map((i) => range(NV).map((j) =>
              `(v128.store offset=${16 * j} ${g('p')} ${g(`c${i}_${j}`)})`).join(' ')
              + ` (local.set $p (i32.add ${g('p')} ${g('ldc')}))`).join('\n            ')}))
        (return)))
    ;; partial tile: spill to this thread's tmp, then copy the valid part
    (local.set $t (global.get $tmp))
    ${range(MR).map((i) => range(NV).map((j) =>
      `(v128.store offset=${(i * NR + 4 * j) * 4} ${g('t')} ${g(`c${i}_${j}`)})`).join(' ')).join('\n    ')}
    (local.set $i (i32.const 0))
    (loop $R
      (local.set $j (i32.const 0))
      (loop $C
        (local.set $p (i32.add ${g('pc')} (i32.shl ${g('j')} (i32.const 2))))
        (local.set $x (f32.load (i32.add ${g('t')} (i32.shl (i32.add (i32.mul ${g('i')} (i32.const ${NR})) ${g('j')}) (i32.const 2)))))
        (if ${g('accm')} (then (local.set $x (f32.add (f32.load ${g('p')}) ${g('x')}))))
        (f32.store ${g('p')} ${g('x')})
        (br_if $C (i32.lt_u (local.tee $j (i32.add ${g('j')} (i32.const 1))) ${g('nv')})))
      (local.set $pc (i32.add ${g('pc')} ${g('ldc')}))
      (br_if $R (i32.lt_u (local.tee $i (i32.add ${g('i')} (i32.const 1))) ${g('mv')}))))`;

  // ---- pack op(B)[k0:k0+kc, n0:n0+nc] into NR-wide panels: dst[(panel*kc + k)*NR + jj], zero-padded.
  // op(B)[k, n] = transB ? B[n*ldb + k] : B[k*ldb + n]   (ldb in elements)
  const transposeGroup = (gi: number): string => `
          ${range(4).map((q) => `(local.set $r${q} (v128.load (i32.add ${g('src')} (i32.mul ${g('ldb4')} (i32.const ${4 * gi + q})))))`).join('\n          ')}
          (local.set $t0 (i8x16.shuffle ${shuf([0, 4, 1, 5])} ${g('r0')} ${g('r1')}))
          (local.set $t1 (i8x16.shuffle ${shuf([2, 6, 3, 7])} ${g('r0')} ${g('r1')}))
          (local.set $t2 (i8x16.shuffle ${shuf([0, 4, 1, 5])} ${g('r2')} ${g('r3')}))
          (local.set $t3 (i8x16.shuffle ${shuf([2, 6, 3, 7])} ${g('r2')} ${g('r3')}))
          (v128.store offset=${16 * gi} ${g('d')} (i8x16.shuffle ${shuf([0, 1, 4, 5])} ${g('t0')} ${g('t2')}))
          (v128.store offset=${16 * gi + NR * 4} ${g('d')} (i8x16.shuffle ${shuf([2, 3, 6, 7])} ${g('t0')} ${g('t2')}))
          (v128.store offset=${16 * gi + NR * 8} ${g('d')} (i8x16.shuffle ${shuf([0, 1, 4, 5])} ${g('t1')} ${g('t3')}))
          (v128.store offset=${16 * gi + NR * 12} ${g('d')} (i8x16.shuffle ${shuf([2, 3, 6, 7])} ${g('t1')} ${g('t3')}))`;
  const packB = `
  (func $pack_b (param $tb i32) (param $B i32) (param $ldb i32) (param $k0 i32) (param $kc i32)
                (param $n0 i32) (param $nc i32) (param $dst i32)
    (local $jp i32) (local $cols i32) (local $col0 i32) (local $k i32) (local $jj i32) (local $src i32)
    (local $d i32) (local $ldb4 i32) (local $v f32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $ldb4 (i32.shl ${g('ldb')} (i32.const 2)))
    (local.set $d ${g('dst')})
    (local.set $jp (i32.const 0))
    (block $done (loop $P
      (br_if $done (i32.ge_s ${g('jp')} ${g('nc')}))
      (local.set $cols (i32.sub ${g('nc')} ${g('jp')}))
      (if (i32.gt_s ${g('cols')} (i32.const ${NR})) (then (local.set $cols (i32.const ${NR}))))
      (local.set $col0 (i32.add ${g('n0')} ${g('jp')}))
      (local.set $k (i32.const 0))
      (if (i32.eq ${g('cols')} (i32.const ${NR}))
        (then
          (if (i32.eqz ${g('tb')})
            (then
              ;; rows of B are contiguous in n: copy NR floats per k
              (local.set $src (i32.add ${g('B')} (i32.shl (i32.add (i32.mul ${g('k0')} ${g('ldb')}) ${g('col0')}) (i32.const 2))))
              (loop $K
                ${range(NV).map((j) => `(v128.store offset=${16 * j} ${g('d')} (v128.load offset=${16 * j} ${g('src')}))`).join(' ')}
                (local.set $src (i32.add ${g('src')} ${g('ldb4')}))
                (local.set $d (i32.add ${g('d')} (i32.const ${NR * 4})))
                (br_if $K (i32.lt_s (local.tee $k (i32.add ${g('k')} (i32.const 1))) ${g('kc')}))))
            (else
              ;; B is N×K: transpose 4×4 blocks (4 columns × 4 k) with shuffles
              (local.set $src (i32.add ${g('B')} (i32.shl (i32.add (i32.mul ${g('col0')} ${g('ldb')}) ${g('k0')}) (i32.const 2))))
              (block $K4done (loop $K4
                (br_if $K4done (i32.gt_s (i32.add ${g('k')} (i32.const 4)) ${g('kc')}))
                ${range(NV).map(transposeGroup).join('\n')}
                (local.set $src (i32.add ${g('src')} (i32.const 16)))
                (local.set $d (i32.add ${g('d')} (i32.const ${NR * 16})))
                (local.set $k (i32.add ${g('k')} (i32.const 4)))
                (br $K4)))
              (block $K1done (loop $K1
                (br_if $K1done (i32.ge_s ${g('k')} ${g('kc')}))
                ${range(NR).map((jj) => `(f32.store offset=${4 * jj} ${g('d')} (f32.load (i32.add ${g('src')} (i32.mul ${g('ldb4')} (i32.const ${jj})))))`).join('\n                ')}
                (local.set $src (i32.add ${g('src')} (i32.const 4)))
                (local.set $d (i32.add ${g('d')} (i32.const ${NR * 4})))
                (local.set $k (i32.add ${g('k')} (i32.const 1)))
                (br $K1))))))
        (else
          ;; last, partial panel: scalar with zero padding
          (loop $KE
            (local.set $jj (i32.const 0))
            (loop $JE
              (local.set $v (f32.const 0))
              (if (i32.lt_s ${g('jj')} ${g('cols')})
                (then
                  (if ${g('tb')}
                    (then (local.set $v (f32.load (i32.add ${g('B')} (i32.shl
                      (i32.add (i32.mul (i32.add ${g('col0')} ${g('jj')}) ${g('ldb')}) (i32.add ${g('k0')} ${g('k')})) (i32.const 2))))))
                    (else (local.set $v (f32.load (i32.add ${g('B')} (i32.shl
                      (i32.add (i32.mul (i32.add ${g('k0')} ${g('k')}) ${g('ldb')}) (i32.add ${g('col0')} ${g('jj')})) (i32.const 2)))))))))
              (f32.store ${g('d')} ${g('v')})
              (local.set $d (i32.add ${g('d')} (i32.const 4)))
              (br_if $JE (i32.lt_s (local.tee $jj (i32.add ${g('jj')} (i32.const 1))) (i32.const ${NR}))))
            (br_if $KE (i32.lt_s (local.tee $k (i32.add ${g('k')} (i32.const 1))) ${g('kc')})))))
      (local.set $jp (i32.add ${g('jp')} (i32.const ${NR})))
      (br $P))))`;

  // ---- pack op(A)[i0:i0+mc, k0:k0+kc] into MR-tall panels: dst[(panel*kc + k)*MR + ii], zero-padded.
  // op(A)[i, k] = transA ? A[k*lda + i] : A[i*lda + k]
  const copyRowT = (): string => {
    // transA: the MR values for one k are contiguous in A; move them in the widest pieces available
    const parts: string[] = [];
    let o = 0;
    while (MR - o >= 4) { parts.push(`(v128.store offset=${o * 4} ${g('d')} (v128.load offset=${o * 4} ${g('src')}))`); o += 4; }
    while (MR - o >= 2) { parts.push(`(i64.store offset=${o * 4} ${g('d')} (i64.load offset=${o * 4} ${g('src')}))`); o += 2; }
    while (MR - o >= 1) { parts.push(`(f32.store offset=${o * 4} ${g('d')} (f32.load offset=${o * 4} ${g('src')}))`); o += 1; }
    return parts.join(' ');
  };
  const packA = `
  (func $pack_a (param $ta i32) (param $A i32) (param $lda i32) (param $i0 i32) (param $mc i32)
                (param $k0 i32) (param $kc i32) (param $dst i32)
    (local $ip i32) (local $rows i32) (local $row0 i32) (local $k i32) (local $ii i32) (local $src i32)
    (local $d i32) (local $lda4 i32) (local $v f32) (local $r0 v128) (local $r1 v128)
    (local.set $lda4 (i32.shl ${g('lda')} (i32.const 2)))
    (local.set $d ${g('dst')})
    (local.set $ip (i32.const 0))
    (block $done (loop $P
      (br_if $done (i32.ge_s ${g('ip')} ${g('mc')}))
      (local.set $rows (i32.sub ${g('mc')} ${g('ip')}))
      (if (i32.gt_s ${g('rows')} (i32.const ${MR})) (then (local.set $rows (i32.const ${MR}))))
      (local.set $row0 (i32.add ${g('i0')} ${g('ip')}))
      (local.set $k (i32.const 0))
      (if (i32.eq ${g('rows')} (i32.const ${MR}))
        (then
          (if ${g('ta')}
            (then
              (local.set $src (i32.add ${g('A')} (i32.shl (i32.add (i32.mul ${g('k0')} ${g('lda')}) ${g('row0')}) (i32.const 2))))
              (loop $K
                ${copyRowT()}
                (local.set $src (i32.add ${g('src')} ${g('lda4')}))
                (local.set $d (i32.add ${g('d')} (i32.const ${MR * 4})))
                (br_if $K (i32.lt_s (local.tee $k (i32.add ${g('k')} (i32.const 1))) ${g('kc')}))))
            (else
              (local.set $src (i32.add ${g('A')} (i32.shl (i32.add (i32.mul ${g('row0')} ${g('lda')}) ${g('k0')}) (i32.const 2))))
              ${MR === 2 ? `
              ;; two rows: interleave 4 k at a time with shuffles (a copy, so results are unchanged)
              (block $K4d (loop $K4
                (br_if $K4d (i32.gt_s (i32.add ${g('k')} (i32.const 4)) ${g('kc')}))
                (local.set $r0 (v128.load ${g('src')}))
                (local.set $r1 (v128.load (i32.add ${g('src')} ${g('lda4')})))
                (v128.store ${g('d')} (i8x16.shuffle ${shuf([0, 4, 1, 5])} ${g('r0')} ${g('r1')}))
                (v128.store offset=16 ${g('d')} (i8x16.shuffle ${shuf([2, 6, 3, 7])} ${g('r0')} ${g('r1')}))
                (local.set $src (i32.add ${g('src')} (i32.const 16)))
                (local.set $d (i32.add ${g('d')} (i32.const 32)))
                (local.set $k (i32.add ${g('k')} (i32.const 4)))
                (br $K4)))` : ''}
              (block $K1d (loop $K
                (br_if $K1d (i32.ge_s ${g('k')} ${g('kc')}))
                ${range(MR).map((ii) => `(f32.store offset=${4 * ii} ${g('d')} (f32.load (i32.add ${g('src')} (i32.mul ${g('lda4')} (i32.const ${ii})))))`).join('\n                ')}
                (local.set $src (i32.add ${g('src')} (i32.const 4)))
                (local.set $d (i32.add ${g('d')} (i32.const ${MR * 4})))
                (local.set $k (i32.add ${g('k')} (i32.const 1)))
                (br $K))))))
        (else
          (loop $KE
            (local.set $ii (i32.const 0))
            (loop $IE
              (local.set $v (f32.const 0))
              (if (i32.lt_s ${g('ii')} ${g('rows')})
                (then
                  (if ${g('ta')}
                    (then (local.set $v (f32.load (i32.add ${g('A')} (i32.shl
                      (i32.add (i32.mul (i32.add ${g('k0')} ${g('k')}) ${g('lda')}) (i32.add ${g('row0')} ${g('ii')})) (i32.const 2))))))
                    (else (local.set $v (f32.load (i32.add ${g('A')} (i32.shl
                      (i32.add (i32.mul (i32.add ${g('row0')} ${g('ii')}) ${g('lda')}) (i32.add ${g('k0')} ${g('k')})) (i32.const 2)))))))))
              (f32.store ${g('d')} ${g('v')})
              (local.set $d (i32.add ${g('d')} (i32.const 4)))
              (br_if $IE (i32.lt_s (local.tee $ii (i32.add ${g('ii')} (i32.const 1))) (i32.const ${MR}))))
            (br_if $KE (i32.lt_s (local.tee $k (i32.add ${g('k')} (i32.const 1))) ${g('kc')})))))
      (local.set $ip (i32.add ${g('ip')} (i32.const ${MR})))
      (br $P))))`;

  // ---- driver for the sub-rectangle C[m0:m1, n0:n1]; sa/sb are this thread's packing buffers.
  // gemm packs each KC×NC block of op(B) into sb as it goes; gemm_pb reads the blocks from PB, the whole of
  // op(B) packed once by pack_b_all (for a recurrent weight used at every time step): the same panels in
  // the same order, so both give bit-identical results. n0 must be a multiple of NR (thread chunks are).
  const driver = (pre: boolean): string => `
  (func $${pre ? 'gemm_pb' : 'gemm'} (export "${pre ? 'gemm_pb' : 'gemm'}") (param $ta i32) (param $tb i32) (param $M i32) (param $N i32) (param $K i32)
              (param $A i32) (param $B i32) (param $C i32) (param $acc i32)
              (param $m0 i32) (param $m1 i32) (param $n0 i32) (param $n1 i32) (param $sa i32) (param $sb i32)
    (local $lda i32) (local $ldb i32) (local $ldc4 i32) (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32)
    (local $ic i32) (local $mc i32) (local $accm i32) (local $jr i32) (local $ir i32) (local $cblk i32) (local $npad i32)
    (local.set $npad (i32.and (i32.add ${g('N')} (i32.const ${NR - 1})) (i32.const ${-NR})))
    (local.set $lda (select ${g('M')} ${g('K')} ${g('ta')}))
    (local.set $ldb (select ${g('K')} ${g('N')} ${g('tb')}))
    (local.set $ldc4 (i32.shl ${g('N')} (i32.const 2)))
    (local.set $jc ${g('n0')})
    (block $Jd (loop $J
      (br_if $Jd (i32.ge_s ${g('jc')} ${g('n1')}))
      (local.set $nc (i32.sub ${g('n1')} ${g('jc')}))
      (if (i32.gt_s ${g('nc')} (i32.const ${s.NC})) (then (local.set $nc (i32.const ${s.NC}))))
      (local.set $pc (i32.const 0))
      (block $Pd (loop $Pl
        (br_if $Pd (i32.ge_s ${g('pc')} ${g('K')}))
        (local.set $kc (i32.sub ${g('K')} ${g('pc')}))
        (if (i32.gt_s ${g('kc')} (i32.const ${s.KC})) (then (local.set $kc (i32.const ${s.KC}))))
        (local.set $accm (i32.or ${g('acc')} (i32.ne ${g('pc')} (i32.const 0))))
        ${pre
          ? `(local.set $sb (i32.add ${g('B')} (i32.shl (i32.add (i32.mul ${g('pc')} ${g('npad')}) (i32.mul ${g('jc')} ${g('kc')})) (i32.const 2))))`
          : `(call $pack_b ${g('tb')} ${g('B')} ${g('ldb')} ${g('pc')} ${g('kc')} ${g('jc')} ${g('nc')} ${g('sb')})`}
        (local.set $ic ${g('m0')})
        (block $Id (loop $I
          (br_if $Id (i32.ge_s ${g('ic')} ${g('m1')}))
          (local.set $mc (i32.sub ${g('m1')} ${g('ic')}))
          (if (i32.gt_s ${g('mc')} (i32.const ${s.MC})) (then (local.set $mc (i32.const ${s.MC}))))
          (call $pack_a ${g('ta')} ${g('A')} ${g('lda')} ${g('ic')} ${g('mc')} ${g('pc')} ${g('kc')} ${g('sa')})
          ;; macro-kernel: each B panel (L1) against every A panel of the block (L2)
          (local.set $jr (i32.const 0))
          (block $JRd (loop $JR
            (br_if $JRd (i32.ge_s ${g('jr')} ${g('nc')}))
            (local.set $ir (i32.const 0))
            (block $IRd (loop $IR
              (br_if $IRd (i32.ge_s ${g('ir')} ${g('mc')}))
              (local.set $cblk (i32.add ${g('C')} (i32.add
                (i32.mul (i32.add ${g('ic')} ${g('ir')}) ${g('ldc4')})
                (i32.shl (i32.add ${g('jc')} ${g('jr')}) (i32.const 2)))))
              (call $kern ${g('kc')}
                (i32.add ${g('sa')} (i32.shl (i32.mul ${g('ir')} ${g('kc')}) (i32.const 2)))
                (i32.add ${g('sb')} (i32.shl (i32.mul ${g('jr')} ${g('kc')}) (i32.const 2)))
                ${g('cblk')} ${g('ldc4')} ${g('accm')}
                (select (i32.const ${MR}) (i32.sub ${g('mc')} ${g('ir')}) (i32.gt_s (i32.sub ${g('mc')} ${g('ir')}) (i32.const ${MR})))
                (select (i32.const ${NR}) (i32.sub ${g('nc')} ${g('jr')}) (i32.gt_s (i32.sub ${g('nc')} ${g('jr')}) (i32.const ${NR}))))
              (local.set $ir (i32.add ${g('ir')} (i32.const ${MR})))
              (br $IR)))
            (local.set $jr (i32.add ${g('jr')} (i32.const ${NR})))
            (br $JR)))
          (local.set $ic (i32.add ${g('ic')} ${g('mc')}))
          (br $I)))
        (local.set $pc (i32.add ${g('pc')} ${g('kc')}))
        (br $Pl)))
      (local.set $jc (i32.add ${g('jc')} ${g('nc')}))
      (br $J))))`;

  // ---- the whole of op(B) (K×N) packed for gemm_pb: KC-deep slices one after the other, each N rounded up
  // to whole NR panels. Packs columns [n0, n1) of it (n0 a multiple of NR), so threads can share the work.
  const packBAll = `
  (func $pack_b_all (export "pack_b_all") (param $tb i32) (param $B i32) (param $K i32) (param $N i32) (param $dst i32)
                                          (param $n0 i32) (param $n1 i32)
    (local $pc i32) (local $kc i32) (local $npad i32)
    (local.set $npad (i32.and (i32.add ${g('N')} (i32.const ${NR - 1})) (i32.const ${-NR})))
    (block $Pd (loop $Pl
      (br_if $Pd (i32.ge_s ${g('pc')} ${g('K')}))
      (local.set $kc (i32.sub ${g('K')} ${g('pc')}))
      (if (i32.gt_s ${g('kc')} (i32.const ${s.KC})) (then (local.set $kc (i32.const ${s.KC}))))
      (call $pack_b ${g('tb')} ${g('B')} (select ${g('K')} ${g('N')} ${g('tb')}) ${g('pc')} ${g('kc')} ${g('n0')} (i32.sub ${g('n1')} ${g('n0')})
        (i32.add ${g('dst')} (i32.shl (i32.add (i32.mul ${g('pc')} ${g('npad')}) (i32.mul ${g('kc')} ${g('n0')})) (i32.const 2))))
      (local.set $pc (i32.add ${g('pc')} ${g('kc')}))
      (br $Pl))))`;

  // ---- y[n0:n1] (+)= W[n0:n1, :]·x  (W is rows×K, row-major): dot products, 4 rows at a time.
  // Each row's sum: two f32x4 accumulators over k (even/odd groups of 4), added, reduced lanes (0+1)+(2+3),
  // then the scalar tail. The order depends only on K, never on which rows are grouped.
  const U = s.gemvAccs;
  const acc = (r: number, u: number): string => `a${r}_${u}`;
  const wAt = (r: number, off: number): string =>
    r === 0 ? `(v128.load offset=${off} ${g('wp')})` : `(v128.load offset=${off} (i32.add ${g('wp')} ${g(`o${r}`)}))`;
  const dotRows = (R: number): string => `
          ${range(R).flatMap((r) => range(U).map((u) => `(local.set $${acc(r, u)} (v128.const f32x4 0 0 0 0))`)).join(' ')}
          (local.set $xp ${g('x')})
          (local.set $wp ${g('w')})
          (local.set $k (i32.const 0))
          (block $KUd (loop $KU
            (br_if $KUd (i32.gt_s (i32.add ${g('k')} (i32.const ${4 * U})) ${g('K')}))
            ${range(U).map((u) => `(local.set $x${u} (v128.load offset=${16 * u} ${g('xp')}))`).join(' ')}
            ${range(R).flatMap((r) => range(U).map((u) => `(local.set $${acc(r, u)} ${madd(g(acc(r, u)), wAt(r, 16 * u), g(`x${u}`))})`)).join('\n            ')}
            (local.set $xp (i32.add ${g('xp')} (i32.const ${16 * U})))
            (local.set $wp (i32.add ${g('wp')} (i32.const ${16 * U})))
            (local.set $k (i32.add ${g('k')} (i32.const ${4 * U})))
            (br $KU)))
          (block $K4d (loop $K4
            (br_if $K4d (i32.gt_s (i32.add ${g('k')} (i32.const 4)) ${g('K')}))
            (local.set $x0 (v128.load ${g('xp')}))
            ${range(R).map((r) => `(local.set $${acc(r, 0)} ${madd(g(acc(r, 0)), wAt(r, 0), g('x0'))})`).join('\n            ')}
            (local.set $xp (i32.add ${g('xp')} (i32.const 16)))
            (local.set $wp (i32.add ${g('wp')} (i32.const 16)))
            (local.set $k (i32.add ${g('k')} (i32.const 4)))
            (br $K4)))
          ${range(R).map((r) => `${range(U - 1).map((u) => `(local.set $${acc(r, 0)} (f32x4.add ${g(acc(r, 0))} ${g(acc(r, u + 1))}))`).join(' ')}
          (local.set $s${r} (f32.add
            (f32.add (f32x4.extract_lane 0 ${g(acc(r, 0))}) (f32x4.extract_lane 1 ${g(acc(r, 0))}))
            (f32.add (f32x4.extract_lane 2 ${g(acc(r, 0))}) (f32x4.extract_lane 3 ${g(acc(r, 0))}))))`).join('\n          ')}
          (block $KTd (loop $KT
            (br_if $KTd (i32.ge_s ${g('k')} ${g('K')}))
            (local.set $xs (f32.load ${g('xp')}))
            ${range(R).map((r) => `(local.set $s${r} (f32.add ${g(`s${r}`)} (f32.mul (f32.load (i32.add ${g('wp')} ${r === 0 ? '(i32.const 0)' : g(`o${r}`)})) ${g('xs')})))`).join('\n            ')}
            (local.set $xp (i32.add ${g('xp')} (i32.const 4)))
            (local.set $wp (i32.add ${g('wp')} (i32.const 4)))
            (local.set $k (i32.add ${g('k')} (i32.const 1)))
            (br $KT)))
          ${range(R).map((r) => `(f32.store offset=${4 * r} ${g('yp')} (select (f32.add (f32.load offset=${4 * r} ${g('yp')}) ${g(`s${r}`)}) ${g(`s${r}`)} ${g('acc')}))`).join('\n          ')}`;
  const gemvT = `
  (func $gemv_t (export "gemv_t") (param $K i32) (param $W i32) (param $ldw i32) (param $x i32) (param $y i32)
                (param $acc i32) (param $n0 i32) (param $n1 i32)
    (local $n i32) (local $k i32) (local $w i32) (local $wp i32) (local $xp i32) (local $yp i32) (local $ldw4 i32)
    ${range(U).map((u) => `(local $x${u} v128)`).join(' ')} (local $xs f32)
    ${range(s.gemvRows).map((r) => `(local $o${r} i32)`).join(' ')}
    ${range(s.gemvRows).map((r) => `${range(U).map((u) => `(local $${acc(r, u)} v128)`).join(' ')} (local $s${r} f32)`).join(' ')}
    (local.set $ldw4 (i32.shl ${g('ldw')} (i32.const 2)))
    ${range(s.gemvRows).slice(1).map((r) => `(local.set $o${r} (i32.mul ${g('ldw4')} (i32.const ${r})))`).join(' ')}
    (local.set $n ${g('n0')})
    (block $N4d (loop $N4
      (br_if $N4d (i32.gt_s (i32.add ${g('n')} (i32.const ${s.gemvRows})) ${g('n1')}))
      (local.set $w (i32.add ${g('W')} (i32.mul ${g('n')} ${g('ldw4')})))
      (local.set $yp (i32.add ${g('y')} (i32.shl ${g('n')} (i32.const 2))))
      ${dotRows(s.gemvRows)}
      (local.set $n (i32.add ${g('n')} (i32.const ${s.gemvRows})))
      (br $N4)))
    (block $N1d (loop $N1
      (br_if $N1d (i32.ge_s ${g('n')} ${g('n1')}))
      (local.set $w (i32.add ${g('W')} (i32.mul ${g('n')} ${g('ldw4')})))
      (local.set $yp (i32.add ${g('y')} (i32.shl ${g('n')} (i32.const 2))))
      ${dotRows(1)}
      (local.set $n (i32.add ${g('n')} (i32.const 1)))
      (br $N1))))`;

  // ---- y[n0:n1] (+)= x·B[:, n0:n1]  (B is K×ldb row-major). Rows of B are streamed contiguously into a
  // running sum t (this thread's scratch, up to GEMV_N_BLOCK columns at a time), four rows per pass:
  // t = (((t + x0·b0) + x1·b1) + x2·b2) + x3·b3, so each element is still summed sequentially over k from 0,
  // exactly as a scalar loop would, whichever block or thread it falls in.
  const GB = s.gemvNBlock;
  const rowsPass = (R: number): string => `
          ${range(R).map((r) => `(local.set $x${r} (v128.load32_splat offset=${4 * r} ${g('xp')}))`).join(' ')}
          (local.set $j (i32.const 0))
          (block $Vd (loop $V
            (br_if $Vd (i32.ge_u ${g('j')} ${g('w4')}))
            (local.set $p (i32.add ${g('bp')} ${g('j')}))
            (local.set $v (v128.load (i32.add ${g('t')} ${g('j')})))
            ${range(R).map((r) => `(local.set $v ${madd(g('v'), g(`x${r}`), r === 0 ? `(v128.load ${g('p')})` : `(v128.load (i32.add ${g('p')} ${g(`o${r}`)}))`)})`).join('\n            ')}
            (v128.store (i32.add ${g('t')} ${g('j')}) ${g('v')})
            (local.set $j (i32.add ${g('j')} (i32.const 16)))
            (br $V)))
          (block $Sd (loop $S
            (br_if $Sd (i32.ge_u ${g('j')} ${g('wb')}))
            (local.set $p (i32.add ${g('bp')} ${g('j')}))
            (local.set $s (f32.load (i32.add ${g('t')} ${g('j')})))
            ${range(R).map((r) => `(local.set $s (f32.add ${g('s')} (f32.mul (f32x4.extract_lane 0 ${g(`x${r}`)}) ${r === 0 ? `(f32.load ${g('p')})` : `(f32.load (i32.add ${g('p')} ${g(`o${r}`)}))`})))`).join('\n            ')}
            (f32.store (i32.add ${g('t')} ${g('j')}) ${g('s')})
            (local.set $j (i32.add ${g('j')} (i32.const 4)))
            (br $S)))
          (local.set $bp (i32.add ${g('bp')} ${g(`o${R}`)}))
          (local.set $xp (i32.add ${g('xp')} (i32.const ${4 * R})))
          (local.set $k (i32.add ${g('k')} (i32.const ${R})))`;
  const gemvN = `
  (func $gemv_n (export "gemv_n") (param $K i32) (param $x i32) (param $B i32) (param $ldb i32) (param $y i32)
                (param $acc i32) (param $n0 i32) (param $n1 i32) (param $t i32)
    (local $cb i32) (local $wb i32) (local $w4 i32) (local $j i32) (local $k i32) (local $p i32) (local $bp i32)
    (local $xp i32) (local $yp i32) (local $s f32) (local $v v128)
    (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $o4 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local.set $o1 (i32.shl ${g('ldb')} (i32.const 2)))
    (local.set $o2 (i32.shl ${g('ldb')} (i32.const 3)))
    (local.set $o3 (i32.mul ${g('ldb')} (i32.const 12)))
    (local.set $o4 (i32.shl ${g('ldb')} (i32.const 4)))
    (local.set $cb ${g('n0')})
    (block $Cd (loop $Cb
      (br_if $Cd (i32.ge_s ${g('cb')} ${g('n1')}))
      ;; this block's width in bytes, and its part that whole f32x4 vectors cover
      (local.set $wb (i32.sub ${g('n1')} ${g('cb')}))
      (if (i32.gt_s ${g('wb')} (i32.const ${GB})) (then (local.set $wb (i32.const ${GB}))))
      (local.set $wb (i32.shl ${g('wb')} (i32.const 2)))
      (local.set $w4 (i32.and ${g('wb')} (i32.const -16)))
      (memory.fill ${g('t')} (i32.const 0) ${g('wb')})
      (local.set $bp (i32.add ${g('B')} (i32.shl ${g('cb')} (i32.const 2))))
      (local.set $xp ${g('x')})
      (local.set $k (i32.const 0))
      (block $K4d (loop $K4
        (br_if $K4d (i32.gt_s (i32.add ${g('k')} (i32.const 4)) ${g('K')}))
        ${rowsPass(4)}
        (br $K4)))
      (block $K1d (loop $K1
        (br_if $K1d (i32.ge_s ${g('k')} ${g('K')}))
        ${rowsPass(1)}
        (br $K1)))
      (local.set $yp (i32.add ${g('y')} (i32.shl ${g('cb')} (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $Yd (loop $Y
        (br_if $Yd (i32.ge_u ${g('j')} ${g('wb')}))
        (local.set $s (f32.load (i32.add ${g('t')} ${g('j')})))
        (if ${g('acc')} (then (local.set $s (f32.add (f32.load (i32.add ${g('yp')} ${g('j')})) ${g('s')}))))
        (f32.store (i32.add ${g('yp')} ${g('j')}) ${g('s')})
        (local.set $j (i32.add ${g('j')} (i32.const 4)))
        (br $Y)))
      (local.set $cb (i32.add ${g('cb')} (i32.const ${GB})))
      (br $Cb))))`;

  return `(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; per-instance (so per-thread) spill area for partial tiles, MR×NR floats
  (global $tmp (mut i32) (i32.const 0))
  (func (export "set_tmp") (param i32) (global.set $tmp (local.get 0)))
${kern}
${packB}
${packA}
${driver(false)}
${driver(true)}
${packBAll}
${gemvT}
${gemvN}
${generatePointwiseWat()}
)
`;
}

export async function compileWat(wat: string, relaxed: boolean): Promise<Uint8Array> {
  const { default: initWabt } = await import('wabt');
  const wabt = await initWabt();
  const mod = wabt.parseWat('gemm.wat', wat, { simd: true, threads: true, relaxed_simd: relaxed });
  const { buffer } = mod.toBinary({});
  mod.destroy();
  // wabt's own validate() ignores the feature flags, so let the engine that will run the module judge it.
  new WebAssembly.Module(new Uint8Array(buffer));
  return buffer;
}

export const DEFAULT_SHAPE: KernelShape = {
  MR: 2, NR: 16, // register tile of C
  KC: 256, // depth of a packed slice: a 16×256 B panel (16 KiB) stays in L1
  MC: 96, // rows of A packed per block (96 KiB, in L2)
  NC: 1024, // columns of B packed per block (1 MiB, in L2)
  relaxed: false, unroll: 1,
  gemvRows: 3, gemvAccs: 2, gemvNBlock: 2048,
};

export function generatedModuleSource(s: KernelShape, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  return `// Generated by build-kernels.ts (npm run build:kernels); do not edit.
// WebAssembly SIMD kernels (gemm, matrix-vector, element-wise), ${bytes.length} bytes.
export const KERNEL_SHAPE = ${JSON.stringify(s)} as const;
export const GEMM_WASM_BASE64 =
  '${b64.match(/.{1,100}/g)!.join("' +\n  '")}';
`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const shape = { ...DEFAULT_SHAPE };
  let out = join(dirname(fileURLToPath(import.meta.url)), 'gemm-wasm.generated.ts');
  const nums: number[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--relaxed') shape.relaxed = true;
    else if (args[i] === '--unroll') shape.unroll = Number(args[++i]);
    else if (args[i] === '--gemv') { shape.gemvRows = Number(args[++i]); shape.gemvAccs = Number(args[++i]); }
    else if (args[i] === '--out') out = args[++i];
    else if (args[i] === '--wat') { process.stdout.write(generateWat(shape)); return; }
    else nums.push(Number(args[i]));
  }
  if (nums.length >= 2) [shape.MR, shape.NR] = nums;
  if (nums.length >= 3) shape.KC = nums[2];
  if (nums.length >= 4) shape.MC = nums[3];
  if (nums.length >= 5) shape.NC = nums[4];
  const bytes = await compileWat(generateWat(shape), shape.relaxed);
  writeFileSync(out, generatedModuleSource(shape, bytes));
  console.log(`wrote ${out} (${bytes.length} bytes, ${JSON.stringify(shape)})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
