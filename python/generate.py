#!/usr/bin/env python3
"""Greedy continuation of a prompt by a storyteller checkpoint, computed by PyTorch: the check that a model
trained with python/train.py (or by `storyteller train`) means the same thing in both engines.

  python3 python/generate.py runs/mine.safetensors --prime "Once upon a time" --length 200
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storyteller_torch import read_checkpoint  # noqa: E402


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("--prime", default="")
    ap.add_argument("--length", type=int, default=200)
    args = ap.parse_args(argv)
    model, cfg, tokenizer, _ = read_checkpoint(args.checkpoint)
    if tokenizer.level != "char":
        sys.exit("python/generate.py: greedy text is written for char-level models only")
    model.eval()
    ids = tokenizer.encode(args.prime) or [0]
    out = []
    with torch.no_grad():
        state = model.zero_state(1, torch.device("cpu"))
        logits, state = model(torch.tensor(ids).view(-1, 1), state)
        for _ in range(args.length):
            nxt = int(torch.argmax(logits[-1, 0]))
            out.append(tokenizer.vocab[nxt])
            logits, state = model(torch.tensor([[nxt]]), state)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
