"""Loads one of our checkpoints into pytorch/examples' word_language_model RNNModel with strict=True and
prints the logits for a token sequence as JSON. Used by tests/engine/pytorch-compat.test.ts when torch exists.

  /usr/bin/python3 torch_logits.py FILE.safetensors 3,1,4,1,5
"""
import json, struct, sys
import torch
import torch.nn as nn


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        a, b = e["data_offsets"]
        dtype = torch.float32 if e["dtype"] == "F32" else torch.float64
        tensors[name] = torch.frombuffer(bytearray(data[a:b]), dtype=dtype).reshape(e["shape"]).float()
    return meta, tensors


class RNNModel(nn.Module):
    """The model of pytorch/examples word_language_model (encoder, rnn, decoder; no dropout at eval)."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, tie_weights=False):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ("LSTM", "GRU"):
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers)
        else:
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity="tanh")
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight

    def forward(self, x):
        out, _ = self.rnn(self.encoder(x))
        return self.decoder(out)


meta, tensors = read_safetensors(sys.argv[1])
cfg = json.loads(meta["config"])
model = RNNModel(cfg["cell"].upper(), cfg["vocabSize"], cfg["embeddingSize"], cfg["hiddenSize"], cfg["layers"], cfg["tieWeights"])
model.load_state_dict(tensors, strict=True)
model.eval()
ids = torch.tensor([int(t) for t in sys.argv[2].split(",")]).view(-1, 1)
with torch.no_grad():
    print(json.dumps(model(ids).view(len(ids), -1).tolist()))
