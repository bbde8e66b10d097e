// One typed object describes a model; it travels inside every checkpoint.

export type CellType = 'lstm' | 'gru' | 'rnn';
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

/** Gates per cell, in PyTorch's packed order: LSTM i,f,g,o; GRU r,z,n; RNN one tanh block. */
export const GATES: Record<CellType, number> = { lstm: 4, gru: 3, rnn: 1 };

export function validateModelConfig(c: ModelConfig): void {
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer (got ${v})`);
  };
  if (!(c.cell in GATES)) throw new RangeError(`cell must be lstm, gru or rnn (got ${c.cell})`);
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
