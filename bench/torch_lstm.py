#!/usr/bin/env python3
"""PyTorch's side of `npm run bench`: training and sampling throughput of nn.LSTM on the benchmark workloads
(src/bench/workloads.ts): char-level, vocabulary 80, embedding 32, LSTM, linear decoder, cross-entropy, Adam
lr 2e-3, gradient clip 5, truncated BPTT with the state carried between steps.

  /usr/bin/python3 bench/torch_lstm.py --config M --threads 2 --budget 8
  /usr/bin/python3 bench/torch_lstm.py --config M --threads 1 --budget 8 --sample

Prints one JSON line: {"config", "mode", "threads", "chars_per_s", "load1"}; chars_per_s is the median over
timed steps (training: B×T characters a step; sampling: one character a step at batch 1) after a warm-up.
"""
import argparse
import json
import os
import statistics
import sys
import time

CONFIGS = {  # the same table as src/bench/workloads.ts
    "S": {"layers": 1, "hidden": 128, "batch": 32, "seq": 64},
    "M": {"layers": 2, "hidden": 256, "batch": 32, "seq": 64},
    "L": {"layers": 2, "hidden": 512, "batch": 64, "seq": 100},
}
V, E = 80, 32
WARMUP = 3


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", choices=sorted(CONFIGS), default="M")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--budget", type=float, default=8.0, help="seconds of timed steps")
    ap.add_argument("--sample", action="store_true", help="sampling at batch 1 instead of training")
    args = ap.parse_args(argv)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import torch
    import torch.nn as nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    c = CONFIGS[args.config]
    L, H, B, T = c["layers"], c["hidden"], c["batch"], c["seq"]
    embed, rnn, decoder = nn.Embedding(V, E), nn.LSTM(E, H, L), nn.Linear(H, V)
    params = [*embed.parameters(), *rnn.parameters(), *decoder.parameters()]
    times = []
    if args.sample:
        state = (torch.zeros(L, 1, H), torch.zeros(L, 1, H))
        x = torch.zeros(1, 1, dtype=torch.long)
        with torch.no_grad():
            start = time.perf_counter()
            while len(times) < WARMUP or time.perf_counter() - start < args.budget:
                t0 = time.perf_counter()
                out, state = rnn(embed(x), state)
                probs = torch.softmax(decoder(out[-1, 0]) / 0.8, dim=-1)
                x = torch.multinomial(probs, 1).view(1, 1)
                times.append(time.perf_counter() - t0)
        per_step = 1
    else:
        opt = torch.optim.Adam(params, lr=2e-3)
        lossf = nn.CrossEntropyLoss()
        data = torch.randint(0, V, (T + 1, B))
        state = (torch.zeros(L, B, H), torch.zeros(L, B, H))
        start = time.perf_counter()
        while len(times) < WARMUP or time.perf_counter() - start < args.budget:
            t0 = time.perf_counter()
            state = tuple(s.detach() for s in state)
            out, state = rnn(embed(data[:-1]), state)
            loss = lossf(decoder(out).view(-1, V), data[1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            times.append(time.perf_counter() - t0)
        per_step = B * T
    step = statistics.median(times[WARMUP:] or times)
    print(json.dumps({"config": args.config, "mode": "sample" if args.sample else "train", "threads": args.threads,
                      "chars_per_s": round(per_step / step), "load1": os.getloadavg()[0]}))


if __name__ == "__main__":
    main(sys.argv[1:])
