#!/usr/bin/env python3
"""Train a storyteller model with PyTorch: on a GPU, or across processes and machines with torchrun
(DistributedDataParallel). Reads the same recipes as `storyteller train` and writes a checkpoint that
`storyteller`, the terminal UI, the bot and the library serve unchanged (weights, model config, vocabulary,
model card).

  python3 python/train.py --config configs/tales-char.json --out runs/tales-char-torch.safetensors
  python3 python/train.py --data corpora/stories --out runs/mine.safetensors --hidden-size 512 --max-steps 20000
  torchrun --nproc_per_node 4 python/train.py --config configs/tales-char.json --out runs/big.safetensors

With torchrun the recipe's batch is split across the processes (each reads batchSize / world streams), so
a run means the same thing on one process or many. Validation runs on the first process, which also writes
OUT.best.safetensors at each improvement and OUT (the best weights) at the end.
"""
import argparse
import json
import math
import os
import shutil
import sys
import time
from datetime import datetime, timezone

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storyteller_torch import (DEFAULTS, RNNModel, Tokenizer, detach, fit_batch_shape, normalize_text,  # noqa: E402
                               read_corpus, split_tokens, write_checkpoint)

FLAGS = {  # flag → recipe field, for the options worth overriding on the command line
    "level": "level", "cell": "cell", "layers": "layers", "hidden_size": "hiddenSize",
    "embedding_size": "embeddingSize", "dropout": "dropout", "lr": "lr", "seq_length": "seqLength",
    "batch_size": "batchSize", "max_steps": "maxSteps", "max_minutes": "maxMinutes", "eval_every": "evalEvery",
    "seed": "seed",
}


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", help="a recipe (configs/*.json); flags override it")
    ap.add_argument("--data", action="append", help="text file or folder of .txt files (repeatable)")
    ap.add_argument("--out", help="output checkpoint (.safetensors)")
    ap.add_argument("--force", action="store_true", help="replace an existing OUT")
    ap.add_argument("--device", default="auto", help="auto (cuda when present), cpu, cuda, cuda:1 …")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch's default)")
    for flag, field in FLAGS.items():
        kind = type(DEFAULTS[field]) if not isinstance(DEFAULTS[field], bool) else str
        ap.add_argument("--" + flag.replace("_", "-"), dest=flag, type=float if kind is float else kind)
    return ap.parse_args(argv)


def fail(msg):
    print(f"python/train.py: {msg}", file=sys.stderr)
    sys.exit(1)


def recipe(args):
    cfg = dict(DEFAULTS)
    base = os.getcwd()
    if args.config:
        try:
            with open(args.config, encoding="utf-8") as f:
                r = json.load(f)
        except (OSError, ValueError) as e:
            fail(f"cannot read the recipe {args.config}: {e}")
        if "generate" in r:
            fail("this recipe builds its corpus with `storyteller train`; write it there first, then pass --data")
        # Recipe paths are relative to the project root, the folder above configs/.
        base = os.path.dirname(os.path.dirname(os.path.abspath(args.config)))
        cfg.update({k: v for k, v in r.items() if k in DEFAULTS})
        cfg["name"] = r.get("name")
        cfg["data"] = [os.path.join(base, d) for d in r.get("data", [])]
    for flag, field in FLAGS.items():
        v = getattr(args, flag)
        if v is not None:
            cfg[field] = int(v) if isinstance(DEFAULTS[field], int) and not isinstance(DEFAULTS[field], bool) else v
    if args.data:
        cfg["data"] = args.data
    if not cfg.get("data"):
        fail("no training data: give --data FILE_OR_FOLDER or a recipe with data")
    if not args.out:
        fail("give --out FILE.safetensors")
    return cfg


def main(argv):
    args = parse_args(argv)
    cfg = recipe(args)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    distributed = world > 1
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device)
    if distributed:
        import torch.distributed as dist
        if device.type == "cuda":
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    best_path = args.out[:-len(".safetensors")] + ".best.safetensors" if args.out.endswith(".safetensors") else args.out + ".best"
    if rank == 0 and not args.force and (os.path.exists(args.out) or os.path.exists(best_path)):
        fail(f"{args.out} exists; give --force to replace it, or another --out")
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)

    text, files = read_corpus(cfg["data"])
    tokenizer = Tokenizer.from_text(text, cfg)
    tokens = torch.tensor(tokenizer.encode(text), dtype=torch.long)
    chars_per_token = len(normalize_text(text, cfg["unwrap"])) / max(1, len(tokens))
    train, val, val_is_train = split_tokens(tokens, cfg["valFraction"])
    B, T = fit_batch_shape(len(train), cfg["batchSize"], cfg["seqLength"])
    if B % world:
        fail(f"batch size {B} does not split across {world} processes")
    b_local = B // world
    model_cfg = {"cell": cfg["cell"], "layers": cfg["layers"], "hiddenSize": cfg["hiddenSize"],
                 "embeddingSize": cfg["embeddingSize"], "vocabSize": len(tokenizer.vocab),
                 "dropout": cfg["dropout"], "tieWeights": cfg["tieWeights"]}
    gen = torch.Generator().manual_seed(sum(ord(c) * 31 ** i for i, c in enumerate(str(cfg["seed"]))) % 2 ** 63)
    model = RNNModel(model_cfg)
    model.init_like_storyteller(cfg, gen)  # same draw on every process (same seed)
    model.to(device)
    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None) if distributed else model
    opt = (torch.optim.Adam if cfg["optimizer"] == "adam" else torch.optim.SGD)(model.parameters(), lr=cfg["lr"])
    lossf = nn.CrossEntropyLoss()
    span = len(train) // B
    streams = train[: span * B].view(B, span)[rank * b_local:(rank + 1) * b_local].t().contiguous().to(device)
    V = model_cfg["vocabSize"]
    if rank == 0:
        n_params = sum(p.numel() for p in model.parameters())
        print(f"training {n_params:,} parameters on {len(train):,} tokens (validation {len(val):,}), "
              f"batch {B} × {T} on {world} process(es), {device}", file=sys.stderr)
        if val_is_train:
            print("warning: the corpus is too small to hold text out: validation measures memorisation", file=sys.stderr)

    @torch.no_grad()
    def validation_loss():
        model.eval()
        seq = val if not cfg["evalTokens"] else val[: cfg["evalTokens"] + 1]
        n_streams = min(32, max(1, (len(seq) - 1) // (T + 1)))
        s_span = (len(seq) - 1) // n_streams
        s = seq[: s_span * n_streams + 1]
        xs = s[:-1][: s_span * n_streams].view(n_streams, s_span).t().to(device)
        ys = s[1:][: s_span * n_streams].view(n_streams, s_span).t().to(device)
        state, total = model.zero_state(n_streams, device), 0.0
        for i in range(0, s_span, T):
            logits, state = model(xs[i:i + T], state)
            total += nn.functional.cross_entropy(logits.reshape(-1, V), ys[i:i + T].reshape(-1), reduction="sum").item()
        model.train()
        return total / (s_span * n_streams)

    def card(step, wall, train_loss, val_loss):
        c = {"name": cfg.get("name"), "data": files, "steps": step, "wallSec": round(wall), "trainLoss": train_loss,
             "valLoss": val_loss, "charsPerToken": chars_per_token,
             "createdAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
             "trainedWith": f"PyTorch {torch.__version__} (python/train.py), {world} process(es), {device.type}"}
        if tokenizer.level == "char":
            c["valBpc"] = val_loss / math.log(2)
        else:
            c["valPerplexity"] = math.exp(val_loss)
            c["valBpc"] = val_loss / chars_per_token / math.log(2)
        return {k: v for k, v in c.items() if v is not None}

    state, pos, step, t0 = model.zero_state(b_local, device), 0, 0, time.time()
    best, last_loss = math.inf, math.nan
    while step < cfg["maxSteps"] and not (cfg["maxMinutes"] and time.time() - t0 > cfg["maxMinutes"] * 60):
        if pos + T + 1 > span:
            pos, state = 0, model.zero_state(b_local, device)
        x, y = streams[pos:pos + T], streams[pos + 1:pos + T + 1]
        pos += T
        state = detach(state)
        logits, state = net(x, state)
        loss = lossf(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        if cfg["gradClip"]:
            nn.utils.clip_grad_norm_(model.parameters(), cfg["gradClip"])
        opt.step()
        step += 1
        if step % cfg["lrDecayEvery"] == 0 and cfg["lrDecay"] != 1:
            for g in opt.param_groups:
                g["lr"] *= cfg["lrDecay"]
        last_loss = loss.item()
        if rank == 0 and (step % cfg["evalEvery"] == 0 or step == cfg["maxSteps"]):
            v = validation_loss()
            mark = ""
            if v < best:
                best, mark = v, " *best"
                write_checkpoint(best_path, model, model_cfg, tokenizer, card(step, time.time() - t0, last_loss, v))
            print(f"step {step}: loss {last_loss:.4f}, validation {v:.4f}{mark}", file=sys.stderr)
    if rank == 0:
        if best == math.inf:  # stopped by time before any evaluation
            v = validation_loss()
            best = v
            write_checkpoint(best_path, model, model_cfg, tokenizer, card(step, time.time() - t0, last_loss, v))
        shutil.copyfile(best_path, args.out)
        print(f"done at step {step}; best validation loss {best:.4f}; wrote {args.out}", file=sys.stderr)
    if distributed:
        import torch.distributed as dist
        dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1:])
