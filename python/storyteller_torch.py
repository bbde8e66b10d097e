"""The storyteller's model, tokenizers and checkpoint format in PyTorch, so a model trained here (on a GPU, or
across machines with torchrun) is served by `storyteller` and the Discord bot unchanged, and a storyteller
checkpoint loads here.

Mirrors src/text (normalisation, char and word tokenizers), src/training/data.ts (corpus, split, batch
streams) and src/engine/checkpoint.ts (safetensors with the lstm-storyteller metadata). Needs only torch.
"""
import json
import math
import os
import re
import struct
import unicodedata

import torch
import torch.nn as nn

FORMAT = "lstm-storyteller"
FORMAT_VERSION = "1"
UNK = "<unk>"
PARAGRAPH = "\n"

# Every recipe field this script reads, with the defaults of src/training/config.ts.
DEFAULTS = {
    "level": "char", "unwrap": True, "minCount": 2, "maxVocab": 10000, "valFraction": 0.05,
    "cell": "lstm", "layers": 2, "hiddenSize": 256, "embeddingSize": 32, "dropout": 0.0, "tieWeights": False,
    "forgetBias": 1.0, "recurrentInit": "uniform", "optimizer": "adam", "lr": 2e-3, "lrDecay": 1.0,
    "lrDecayEvery": 1000, "gradClip": 5.0, "seqLength": 64, "batchSize": 32, "maxSteps": 2000, "maxMinutes": 0,
    "evalEvery": 200, "evalTokens": 50000, "seed": "storyteller",
}


def js_sort_key(s):
    """JavaScript's default sort compares UTF-16 code units; sort the same way so vocabularies match."""
    return s.encode("utf-16-be")


# --- text (src/text/normalize.ts) -------------------------------------------------------------------------

def normalize_text(text, unwrap):
    s = text[1:] if text.startswith("\ufeff") else text
    s = unicodedata.normalize("NFC", s).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if unwrap:
        paras = re.split(r"\n[ \t]*\n+", s)
        paras = [re.sub(r" {2,}", " ", re.sub(r"\s*\n\s*", " ", p)).strip() for p in paras]
        s = "\n\n".join(p for p in paras if p)
    return s


def _is_letter(c):
    return unicodedata.category(c).startswith("L")


def _is_number(c):
    return unicodedata.category(c).startswith("N")


def split_words(text):
    """The word tokenizer's pattern /\\n\\s*\\n|\\p{L}+(?:['\u2019]\\p{L}+)*|\\p{N}+|[^\\s]/gu, by hand
    (Python's re has no \\p{L})."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            j = i + 1
            while j < n and text[j].isspace() and text[j] != "\n":
                j += 1
            if j < n and text[j] == "\n":
                # \n\s*\n is greedy: it takes every whitespace character up to the last newline of the run
                k = j
                while k < n and text[k].isspace():
                    k += 1
                last = text.rfind("\n", i, k)
                out.append(PARAGRAPH)
                i = last + 1
                continue
            i += 1
        elif c.isspace():
            i += 1
        elif _is_letter(c):
            j = i
            while j < n and _is_letter(text[j]):
                j += 1
            while j + 1 < n and text[j] in "'\u2019" and _is_letter(text[j + 1]):
                j += 1
                while j < n and _is_letter(text[j]):
                    j += 1
            out.append(text[i:j])
            i = j
        elif _is_number(c):
            j = i
            while j < n and _is_number(text[j]):
                j += 1
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return out


class Tokenizer:
    def __init__(self, level, vocab, unwrap):
        self.level, self.vocab, self.unwrap = level, list(vocab), unwrap
        self.index = {t: i for i, t in enumerate(self.vocab)}

    @staticmethod
    def from_text(text, cfg):
        norm = normalize_text(text, cfg["unwrap"])
        if cfg["level"] == "char":
            return Tokenizer("char", sorted(set(norm), key=js_sort_key), cfg["unwrap"])
        counts = {}
        for t in split_words(norm):
            counts[t] = counts.get(t, 0) + 1
        kept = [w for w, c in counts.items() if c >= cfg["minCount"]]
        kept.sort(key=lambda w: (-counts[w], js_sort_key(w)))
        kept = kept[: max(1, cfg["maxVocab"] - 1)]
        return Tokenizer("word", [UNK] + sorted(kept, key=js_sort_key), cfg["unwrap"])

    def tokens(self, text):
        norm = normalize_text(text, self.unwrap)
        return list(norm) if self.level == "char" else split_words(norm)

    def encode(self, text):
        """Char level drops what the vocabulary lacks; word level maps it to <unk> (as encodeCorpus does)."""
        if self.level == "char":
            return [self.index[c] for c in self.tokens(text) if c in self.index]
        unk = self.index[UNK]
        return [self.index.get(t, unk) for t in self.tokens(text)]

    def to_json(self):
        return {"level": self.level, "vocab": self.vocab, "unwrap": self.unwrap}


# --- data (src/training/data.ts) --------------------------------------------------------------------------

def read_corpus(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            txt = sorted(f for f in os.listdir(p) if f.endswith(".txt"))
            if not txt:
                raise SystemExit(f"{p}: the folder has no .txt files")
            files += [os.path.join(p, f) for f in txt]
        elif os.path.isfile(p):
            files.append(p)
        else:
            raise SystemExit(f"{p}: no such file or folder")
    parts = []
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            parts.append(fh.read())
    return "\n\n".join(parts), files


def split_tokens(tokens, val_fraction):
    n = len(tokens)
    n_val = math.floor(n * val_fraction)
    if n_val < 64 or n - n_val < 64:
        return tokens, tokens, True
    return tokens[: n - n_val], tokens[n - n_val:], False


def fit_batch_shape(n, B, T):
    t = max(1, min(T, n - 1))
    b = max(1, min(B, (n - 1) // (t + 1) or 1))
    if n // b < t + 1:
        t = max(1, n // b - 1)
    return b, t


# --- model (src/engine/model.ts; pytorch/examples word_language_model's RNNModel) -------------------------

class RNNModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        V, E, H, L = cfg["vocabSize"], cfg["embeddingSize"], cfg["hiddenSize"], cfg["layers"]
        self.cell, self.layers, self.hidden = cfg["cell"], L, H
        self.drop = nn.Dropout(cfg["dropout"])
        self.encoder = nn.Embedding(V, E)
        between = cfg["dropout"] if L > 1 else 0.0
        if self.cell == "lstm":
            self.rnn = nn.LSTM(E, H, L, dropout=between)
        elif self.cell == "gru":
            self.rnn = nn.GRU(E, H, L, dropout=between)
        elif self.cell == "rnn":
            self.rnn = nn.RNN(E, H, L, nonlinearity="tanh", dropout=between)
        else:
            raise SystemExit(f"python/train.py trains lstm, gru and rnn cells (got {self.cell})")
        self.decoder = nn.Linear(H, V)
        if cfg["tieWeights"]:
            if E != H:
                raise SystemExit("tied weights need embeddingSize == hiddenSize")
            self.decoder.weight = self.encoder.weight

    def init_like_storyteller(self, cfg, gen):
        """src/engine/params.ts: embedding uniform ±√3 (±0.1 when tied), everything else ±1/√H, forget bias,
        and optionally orthogonal recurrent blocks per gate."""
        H, k = self.hidden, 1 / math.sqrt(self.hidden)
        gates = {"lstm": 4, "gru": 3, "rnn": 1}[self.cell]
        with torch.no_grad():
            for name, p in self.named_parameters():
                bound = (0.1 if cfg["tieWeights"] else math.sqrt(3)) if name == "encoder.weight" else k
                p.uniform_(-bound, bound, generator=gen)
                if self.cell == "lstm" and name.startswith("rnn.bias_ih"):
                    p[H:2 * H] += cfg["forgetBias"]
                if cfg["recurrentInit"] == "orthogonal" and name.startswith("rnn.weight_hh"):
                    for g in range(gates):
                        q, r = torch.linalg.qr(torch.randn(H, H, generator=gen))
                        p[g * H:(g + 1) * H] = q * torch.sign(torch.diagonal(r))

    def zero_state(self, b, device):
        z = torch.zeros(self.layers, b, self.hidden, device=device)
        return (z, z.clone()) if self.cell == "lstm" else z

    def forward(self, x, state):
        out, state = self.rnn(self.drop(self.encoder(x)), state)
        return self.decoder(self.drop(out)), state


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


# --- checkpoints (src/engine/checkpoint.ts, src/engine/safetensors.ts) ------------------------------------

def tensor_names(cfg):
    names = ["encoder.weight"]
    for k in range(cfg["layers"]):
        names += [f"rnn.weight_ih_l{k}", f"rnn.weight_hh_l{k}", f"rnn.bias_ih_l{k}", f"rnn.bias_hh_l{k}"]
    return names + ["decoder.weight", "decoder.bias"]


def write_checkpoint(path, model, cfg, tokenizer, card):
    state = {k: v.detach().float().cpu().contiguous() for k, v in model.state_dict().items()}
    header, blobs, offset = {}, [], 0
    for name in tensor_names(cfg):
        t = state[name]
        raw = t.numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "config": json.dumps(cfg),
        "tokenizer": json.dumps(tokenizer.to_json()), "card": json.dumps(card),
    }
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_safetensors(path):
    """The metadata and the model's tensors (as float32; optimizer and trainer state left out) of a file."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    dtypes = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16}
    tensors = {}
    for name, e in header.items():
        if name.startswith(("optimizer.", "trainer.")):
            continue
        a, b = e["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[a:b]), dtype=dtypes[e["dtype"]]).reshape(e["shape"]).float()
    return meta, tensors


def read_checkpoint(path):
    meta, tensors = read_safetensors(path)
    if meta.get("format") != FORMAT:
        raise SystemExit(f"{path}: not an lstm-storyteller checkpoint")
    cfg = json.loads(meta["config"])
    tok = json.loads(meta["tokenizer"])
    model = RNNModel(cfg)
    model.load_state_dict(tensors, strict=True)
    return model, cfg, Tokenizer(tok["level"], tok["vocab"], tok["unwrap"]), json.loads(meta.get("card", "{}"))
