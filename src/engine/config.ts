// One typed object describes a model; it travels inside every checkpoint.

/**
 * The recurrent cells. Besides PyTorch's three, the LSTM variants the LSTM literature draws next to the standard
 * cell: peephole connections (Gers & Schmidhuber 2000), coupled input and forget gates (f = 1 − i, CIFG) and
 * the original LSTM without a forget gate (f ≡ 1, Hochreiter & Schmidhuber 1997).
 */
export const CELL_TYPES = ['lstm', 'gru', 'rnn', 'lstm-peephole', 'lstm-coupled', 'lstm-no-forget'] as const;
export type CellType = (typeof CELL_TYPES)[number];
export type TokenLevel = 'char' | 'word';

export interface ModelConfig {
  cell: CellType;
  /** Number of stacked recurrent layers. */
  layers: number;
  /** Units per recurrent layer (H). */
  hiddenSize: number;
  /** Embedding width (E). */
  embeddingSize: number;
  /** Vocabulary size (V), fixed by the tokenizer. */
  vocabSize: number;
  /** Dropout on the embedding, between layers and before the decoder (training only). */
  dropout: number;
  /** Decoder shares the embedding matrix (needs embeddingSize == hiddenSize). */
  tieWeights: boolean;
}

/**
 * Gate blocks in each cell's packed weights, in PyTorch's order: LSTM and peephole LSTM i,f,g,o; GRU r,z,n;
 * RNN one tanh block. The coupled and no-forget cells have no forget-gate rows: i,g,o.
 */
export const GATES: Record<CellType, number> = { lstm: 4, gru: 3, rnn: 1, 'lstm-peephole': 4, 'lstm-coupled': 3, 'lstm-no-forget': 3 };

/** True for the cells that carry a cell state c beside h (the LSTM family). */
export function hasCellState(cell: CellType): boolean {
  return cell === 'lstm' || cell.startsWith('lstm-');
}

/**
 * What each cell shows as its forget gate, in a sentence a front end or model card can print as it stands.
 * Cells absent here have a forget gate of their own (lstm, lstm-peephole).
 */
export const FORGET_NOTES: Partial<Record<CellType, string>> = {
  gru: 'the GRU has no forget gate: "forget" shows its update gate z (the share of the old state kept) and "input" 1 − z',
  rnn: 'the vanilla RNN has no gates: only its hidden state is shown',
  'lstm-coupled': 'forget and input gates are coupled: "forget" shows f = 1 − i, not a gate of its own',
  'lstm-no-forget': 'this LSTM has no forget gate: f is fixed at 1, so the cell state only adds; look at the cell state instead',
};

export function validateModelConfig(c: ModelConfig): void {
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer (got ${v})`);
  };
  if (!(CELL_TYPES as readonly string[]).includes(c.cell)) throw new RangeError(`cell must be ${CELL_TYPES.join(', ')} (got ${c.cell})`);
  positive('layers', c.layers);
  positive('hidden-size', c.hiddenSize);
  positive('embedding-size', c.embeddingSize);
  positive('vocabulary size', c.vocabSize);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new RangeError(`dropout must be in [0, 1) (got ${c.dropout})`);
  if (c.tieWeights && c.embeddingSize !== c.hiddenSize) {
    throw new RangeError(
      `tied weights need embedding-size == hidden-size (got ${c.embeddingSize} and ${c.hiddenSize})`,
    );
  }
}
