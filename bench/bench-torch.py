"""PyTorch's SGEMM on the same shapes as bench-kernels.ts, for comparison (1 thread unless --threads N).

  /usr/bin/python3 bench/bench-torch.py [--threads N]
"""
import sys, time
import torch

threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
torch.set_num_threads(threads)


def shapes(cfg, H, D, B, T, V):
    TB = T * B
    return [
        (f"{cfg} input projection (layer 2)", False, True, TB, 4 * H, H),
        (f"{cfg} input projection (embedding)", False, True, TB, 4 * H, D),
        (f"{cfg} recurrent step (W^T)", False, True, B, 4 * H, H),
        (f"{cfg} dWhh = dG^T·Hprev", True, False, 4 * H, H, TB),
        (f"{cfg} dX = dG·W", False, False, TB, H, 4 * H),
        (f"{cfg} dH step = dG·Whh", False, False, B, H, 4 * H),
        (f"{cfg} decoder", False, True, TB, V, H),
        (f"{cfg} dWdec = dY^T·H", True, False, V, H, TB),
    ]


def best_seconds(fn, min_s=0.2, rounds=5):
    fn()
    best = float("inf")
    for _ in range(rounds):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            dt = time.perf_counter() - t0
            if dt >= min_s:
                break
        best = min(best, dt / n)
    return best


all_shapes = shapes("M", 256, 32, 32, 64, 80) + shapes("L", 512, 32, 64, 100, 80) + [
    ("M matvec Whh·h (batch 1)", False, True, 1, 1024, 256)]
print(f"torch {torch.__version__}, {threads} thread(s)")
for name, ta, tb, M, N, K in all_shapes:
    A = torch.randn(K, M) if ta else torch.randn(M, K)
    B = torch.randn(N, K) if tb else torch.randn(K, N)
    C = torch.empty(M, N)
    opA = A.t() if ta else A
    opB = B.t() if tb else B
    s = best_seconds(lambda: torch.mm(opA, opB, out=C))
    print(f"{name:36s} {M}×{N}×{K:<8d} {2 * M * N * K / s / 1e9:6.1f} GF/s")

xs = [torch.randn(1, k) for k in (32, 256, 256, 256, 256)]
Ws = [torch.randn(1024, 32), torch.randn(1024, 256), torch.randn(1024, 256), torch.randn(1024, 256), torch.randn(80, 256)]
s = best_seconds(lambda: [torch.mm(x, W.t()) for x, W in zip(xs, Ws)])
print(f"sampling M at batch 1: {s * 1e6:.1f} µs/char of matrix-vector products")
