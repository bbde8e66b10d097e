"""Loads one of our checkpoints into pytorch/examples' word_language_model RNNModel with strict=True and
prints the logits for a token sequence as JSON. Used by tests/engine/pytorch-compat.test.ts when torch exists.

  /usr/bin/python3 torch_logits.py FILE.safetensors 3,1,4,1,5
"""
import json, os, sys
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from storyteller_torch import read_safetensors  # noqa: E402


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
