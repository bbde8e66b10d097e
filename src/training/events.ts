// Events of a training run; the CLI progress bar, NDJSON log and TUI dashboard consume them.

export type TrainEvent =
  | {
      type: 'start';
      step: number;
      maxSteps: number;
      params: number;
      trainTokens: number;
      valTokens: number;
      batchSize: number;
      seqLength: number;
      resumed: boolean;
      /** The files the data paths amounted to (a folder's .txt files, subfolders included). */
      files?: string[];
    }
  | {
      type: 'step';
      step: number;
      maxSteps: number;
      loss: number;
      lr: number;
      gradNorm: number;
      /** Training throughput, characters of corpus per second (tokens per second for word models). */
      charsPerSec: number;
      tokensPerSec: number;
      /** Estimated seconds left, from max steps or the time budget, whichever ends first. */
      etaSec: number;
      elapsedSec: number;
    }
  | {
      type: 'eval';
      step: number;
      valLoss: number;
      /** Validation loss of the best state (by score when the run selects by one). */
      bestValLoss: number;
      improved: boolean;
      bpc?: number;
      perplexity?: number;
      /** The selection score of this state and the best so far (runs with a TrainSelect). */
      score?: { name: string; value: number; best: number };
    }
  | { type: 'sample'; step: number; text: string }
  | { type: 'checkpoint'; step: number; path: string; kind: 'best' | 'latest' }
  | { type: 'warning'; message: string }
  | {
      type: 'done';
      step: number;
      reason: 'max-steps' | 'max-minutes' | 'early-stop' | 'stopped';
      bestValLoss: number;
      elapsedSec: number;
    };
