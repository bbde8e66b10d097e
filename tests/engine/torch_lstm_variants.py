"""What PyTorch makes of our LSTM-variant checkpoints (used by tests/engine/pytorch-variants.test.ts).

  /usr/bin/python3 torch_lstm_variants.py strict FILE...         strict load into nn.LSTM's RNNModel
  /usr/bin/python3 torch_lstm_variants.py expand 3,1,4 FILE...   coupled/no-forget rewritten as nn.LSTM

Prints a JSON list, one entry per file: for `strict` {"ok": true} or {"ok": false, "error": the start of
PyTorch's message}; for `expand` the logits (T×V) after to_nn_lstm below, the recipe README's checkpoint
section gives. (One process for all files: importing torch takes seconds.)
"""
import json, os, sys
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from storyteller_torch import read_safetensors as read_file  # noqa: E402


def read_safetensors(path):
    meta, tensors = read_file(path)
    return json.loads(meta["config"]), tensors


def to_nn_lstm(sd, cell, layers, hidden):
    """lstm-coupled / lstm-no-forget weights (gate rows i, g, o) as nn.LSTM's (i, f, g, o), same outputs."""
    for k in range(layers):
        for kind in ("ih", "hh"):
            for t in ("weight", "bias"):
                name = f"rnn.{t}_{kind}_l{k}"
                i, g, o = sd[name].split(hidden)
                if cell == "lstm-coupled":
                    f = -i  # σ(−a) = 1 − σ(a): the forget gate is 1 − i
                elif t == "bias" and kind == "ih":
                    f = torch.full_like(i, 100.0)  # σ(100) is 1 in float32: f ≡ 1
                else:
                    f = torch.zeros_like(i)
                sd[name] = torch.cat([i, f, g, o])
    return sd


class RNNModel(nn.Module):
    """pytorch/examples word_language_model's model with an LSTM (no dropout at eval)."""

    def __init__(self, ntoken, ninp, nhid, nlayers, tie_weights=False):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight

    def forward(self, x):
        out, _ = self.rnn(self.encoder(x))
        return self.decoder(out)


def strict(path):
    cfg, sd = read_safetensors(path)
    model = RNNModel(cfg["vocabSize"], cfg["embeddingSize"], cfg["hiddenSize"], cfg["layers"], cfg["tieWeights"])
    try:
        model.load_state_dict(sd, strict=True)
        return {"ok": True}
    except RuntimeError as e:
        lines = [l.strip() for l in str(e).splitlines() if l.strip()]
        return {"ok": False, "error": " ".join(lines[:3])}


def expand(path, ids):
    cfg, sd = read_safetensors(path)
    model = RNNModel(cfg["vocabSize"], cfg["embeddingSize"], cfg["hiddenSize"], cfg["layers"], cfg["tieWeights"])
    model.load_state_dict(to_nn_lstm(sd, cfg["cell"], cfg["layers"], cfg["hiddenSize"]), strict=True)
    model.eval()
    x = torch.tensor(ids).view(-1, 1)
    with torch.no_grad():
        return model(x).view(len(ids), -1).tolist()


if sys.argv[1] == "strict":
    print(json.dumps([strict(p) for p in sys.argv[2:]]))
else:
    ids = [int(t) for t in sys.argv[2].split(",")]
    print(json.dumps([expand(p, ids) for p in sys.argv[3:]]))
