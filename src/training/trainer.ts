// The training loop as an async generator of TrainEvents: truncated BPTT with carried state, Adam or SGD,
// global-norm clipping, step-decayed learning rate, periodic validation with best/latest checkpoints,
// early stopping, divergence detection, and exact resume (weights, optimizer moments, step, RNG state,
// data cursor and carried hidden state all live in the latest checkpoint).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { fastBackend, type Arr } from '../engine/backend.ts';
import { checkThreads, defaultThreads } from '../engine/threads.ts';
import { loadCheckpoint, saveCheckpoint, type ModelCard } from '../engine/checkpoint.ts';
import type { ModelState } from '../engine/model.ts';
import { Rng } from '../engine/rng.ts';
import { generateText } from '../generation/generator.ts';
import { BatchStreams, type Batches } from './data.ts';
import { packLines, PackedWindows } from './packed-lines.ts';
import { evaluateLoss } from './evaluate.ts';
import { claimRunFiles, siblingPath } from './run-files.ts';
import { lineBreak, prepareRun, restoreHidden, trainWeights, type TrainerState } from './run-start.ts';
import { expandCorpusPaths } from '../corpus/files.ts';
import type { TrainEvent } from './events.ts';
import { Adam, Sgd, type Optimizer } from './optimizer.ts';
import { trainStep } from './step.ts';
import type { TrainOptions } from './train-options.ts';

export type { TrainControl, TrainOptions, TrainSelect } from './train-options.ts';
export { siblingPath };

/**
 * Trains as `opts` say, yielding events. Before anything else the output is checked (a writable file path,
 * not one of the run's inputs, not an earlier run's files unless resuming or forced) and locked; the lock
 * is released however the run ends.
 */
export async function* train(opts: TrainOptions): AsyncGenerator<TrainEvent> {
  const inputs = [...(await expandCorpusPaths(opts.data)), ...(opts.init ? [opts.init] : []), ...(typeof opts.resume === 'string' ? [opts.resume] : []), ...(opts.inputs ?? [])];
  if (opts.resume === true && !existsSync(siblingPath(opts.out, 'latest'))) {
    throw new UserError(`--resume: there is no run to continue (${siblingPath(opts.out, 'latest')} does not exist); start it without --resume`);
  }
  const claim = await claimRunFiles({ out: opts.out, inputs, resume: !!opts.resume, force: opts.force });
  try {
    for (const message of claim.notes) yield { type: 'warning', message };
    yield* runTraining(opts);
  } catch (e) {
    throw outOfMemory(e) ?? e;
  } finally {
    await claim.release();
  }
}

/** A model too big for memory is the user's choice of sizes, said as such rather than as an internal error. */
function outOfMemory(e: unknown): UserError | undefined {
  if (!(e instanceof RangeError) || !/memory exhausted|allocation failed|Invalid typed array length|Invalid array length/i.test(e.message)) return undefined;
  return new UserError(`not enough memory for this model (${e.message}); choose a smaller --hidden-size, fewer --layers or a smaller --batch-size`);
}

async function* runTraining(opts: TrainOptions): AsyncGenerator<TrainEvent> {
  const control = opts.control ?? { stopRequested: false, paused: false };
  const backend = opts.backend ?? (await fastBackend(opts.threads === undefined ? defaultThreads() : checkThreads(opts.threads)));
  const { config, tokenizer, model, saved, optimizerRestore, savedExtra, files, charsPerToken, dataHash, dataChanged, split, B, T, warnings } = await prepareRun(opts, backend);
  for (const message of warnings) yield { type: 'warning', message };

  const V = model.config.vocabSize;
  const P = model.params;
  const optimizer: Optimizer = config.optimizer === 'adam' ? new Adam(P.size, backend, optimizerRestore) : new Sgd();
  const cursor = dataChanged ? 0 : (saved?.cursor ?? 0);
  const weights = trainWeights(split.train, tokenizer, config);
  const packed = config.packLines ? packLines(split.train, lineBreak(tokenizer), T, weights) : null;
  const streams: Batches = packed ? new PackedWindows(packed, B, T, cursor) : new BatchStreams(split.train, B, T, cursor, weights);
  if (packed?.skipped) yield { type: 'warning', message: `--pack-lines: ${packed.skipped.toLocaleString('en')} lines longer than a window of ${T} tokens are left out (a longer --seq-length keeps them)` };
  const rng = new Rng(`${config.seed}/dropout`, saved?.rng);
  const state: ModelState = model.zeroState(B);
  if (savedExtra) restoreHidden(state, savedExtra);
  const dLogits = backend.alloc(T * B * V);
  let step = saved?.step ?? 0;
  // JSON has no Infinity: a run saved before its first evaluation stores null.
  let bestValLoss = dataChanged ? Infinity : (saved?.bestValLoss ?? Infinity);
  let bestScore = dataChanged ? -Infinity : (saved?.bestScore ?? -Infinity);
  let evalsSinceBest = dataChanged ? 0 : (saved?.evalsSinceBest ?? 0);
  let firstLoss = saved?.firstLoss ?? NaN;
  const elapsedBefore = saved?.elapsedSec ?? 0;
  const started = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - started) / 1000;
  const bestPath = siblingPath(opts.out, 'best');
  const latestPath = siblingPath(opts.out, 'latest');
  let lastLoss = NaN;
  let trainLossAtBest = Infinity;
  let memorisationWarned = false;
  let runStart = performance.now();
  let runSteps = 0;

  const initFrom = opts.init ? path.basename(opts.init) : saved?.initFrom;
  const card = (): ModelCard => ({
    name: opts.name,
    data: files,
    steps: step,
    wallSec: Math.round(elapsed()),
    trainLoss: lastLoss,
    // Before the first validation there is no figure to record (readers say "not yet validated").
    ...(bestValLoss === Infinity
      ? {}
      : tokenizer.level === 'char'
        ? { valLoss: bestValLoss, valBpc: bestValLoss / Math.LN2 }
        : { valLoss: bestValLoss, valPerplexity: Math.exp(bestValLoss), valBpc: bestValLoss / charsPerToken / Math.LN2 }),
    charsPerToken,
    createdAt: new Date().toISOString(),
    ...(initFrom ? { initFrom } : {}),
    ...(opts.select && bestScore > -Infinity ? { selectedBy: { name: opts.select.name, score: bestScore } } : {}),
  });
  const trainerState = (): TrainerState => ({
    initFrom,
    config,
    step,
    cursor: streams.pos,
    B,
    T,
    rng: rng.state(),
    bestValLoss,
    ...(bestScore > -Infinity ? { bestScore } : {}),
    evalsSinceBest,
    firstLoss,
    elapsedSec: elapsed(),
    dataHash,
  });
  const saveLatest = async () => {
    // A best file exists whenever a latest does: before the first validation it holds the current weights.
    if (bestValLoss === Infinity) await saveCheckpoint(bestPath, { model, tokenizer, card: card() });
    const extra: Record<string, Arr> = {};
    state.h.forEach((h, k) => (extra[`h_l${k}`] = h));
    state.c.forEach((c, k) => c && (extra[`c_l${k}`] = c));
    await saveCheckpoint(latestPath, { model, tokenizer, card: card(), training: trainerState(), optimizer: optimizer.state(), extra }, { withOptimizer: true });
  };

  yield {
    type: 'start',
    step,
    maxSteps: config.maxSteps,
    params: P.size,
    trainTokens: split.train.length,
    valTokens: split.val.length,
    batchSize: B,
    seqLength: T,
    resumed: !!saved,
    files,
  };

  const deadline = config.maxMinutes > 0 ? started + config.maxMinutes * 60_000 : Infinity;

  /** One optimisation step on the next batch; a loss or gradient that runs away ends the run with advice. */
  function takeStep(): { loss: number; gradNorm: number; lr: number } {
    // A new pass over the text, or packed lines (every window starts afresh): the state starts at zero.
    if (streams.next() || packed) for (const a of [...state.h, ...state.c]) a?.fill(0);
    const lr = config.lr * config.lrDecay ** Math.floor(step / config.lrDecayEvery);
    const { loss, gradNorm } = trainStep(model, streams.x, streams.y, T, B, state, { optimizer, lr, gradClip: config.gradClip, rng, dLogits, weights: streams.w });
    const hint = `try a lower --lr (now ${config.lr}) or --grad-clip (now ${config.gradClip})`;
    if (!Number.isFinite(loss)) throw new UserError(`training diverged: the loss became ${loss} at step ${step + 1}; ${hint}`);
    if (!Number.isFinite(gradNorm)) throw new UserError(`training diverged: the gradient became ${gradNorm} at step ${step + 1}; ${hint}`);
    if (Number.isNaN(firstLoss)) firstLoss = loss;
    if (step > 10 && loss > 2 * firstLoss + 1) {
      throw new UserError(`training diverged at step ${step + 1}: loss ${loss.toFixed(3)} is far above its start ${firstLoss.toFixed(3)}; ${hint}`);
    }
    step++;
    runSteps++;
    lastLoss = loss;
    return { loss, gradNorm, lr };
  }

  /** Progress since the last step event (the loop then restarts the count): throughput and the time left by steps or by --max-minutes. */
  function stepEvent(loss: number, gradNorm: number, lr: number): TrainEvent {
    const sec = (performance.now() - runStart) / 1000;
    const perStep = sec / Math.max(1, runSteps);
    const tokensPerSec = (runSteps * T * B) / Math.max(sec, 1e-9);
    const bySteps = (config.maxSteps - step) * perStep;
    const byTime = deadline === Infinity ? Infinity : (deadline - performance.now()) / 1000;
    return {
      type: 'step',
      step,
      maxSteps: config.maxSteps,
      loss,
      lr,
      gradNorm,
      tokensPerSec,
      charsPerSec: tokensPerSec * charsPerToken,
      etaSec: Math.max(0, Math.min(bySteps, byTime)),
      elapsedSec: elapsed(),
    };
  }

  /**
   * Validates, keeps the state as the best when it improved (by validation loss, or by the selection score),
   * and warns once about memorisation. Returns true when patience has run out.
   */
  async function* evaluateAndSelect(loss: number): AsyncGenerator<TrainEvent, boolean> {
    const val = evaluateLoss(model, split.val, B, T, config.evalTokens).loss;
    const score = opts.select?.score({ model, tokenizer });
    const improved = score === undefined ? val < bestValLoss : score > bestScore;
    if (improved) {
      if (score !== undefined) bestScore = score;
      bestValLoss = val;
      evalsSinceBest = 0;
      trainLossAtBest = loss;
      await saveCheckpoint(bestPath, { model, tokenizer, card: card() });
      yield { type: 'checkpoint', step, path: bestPath, kind: 'best' };
    } else {
      evalsSinceBest++;
      if (!opts.select && !memorisationWarned && !split.valIsTrain && loss < trainLossAtBest && val > bestValLoss * 1.02) {
        memorisationWarned = true;
        yield {
          type: 'warning',
          message: `validation loss is rising (${val.toFixed(3)} vs best ${bestValLoss.toFixed(3)}) while training loss falls: the model is memorising its training text; more data, --dropout or a smaller model help`,
        };
      }
    }
    yield {
      type: 'eval',
      step,
      valLoss: val,
      bestValLoss,
      improved,
      ...(tokenizer.level === 'char' ? { bpc: val / Math.LN2 } : { perplexity: Math.exp(val) }),
      ...(score !== undefined ? { score: { name: opts.select!.name, value: score, best: bestScore } } : {}),
    };
    if (!config.checkpointEvery) yield* checkpointLatest();
    return config.patience > 0 && evalsSinceBest >= config.patience;
  }

  async function* checkpointLatest(): AsyncGenerator<TrainEvent> {
    await saveLatest();
    yield { type: 'checkpoint', step, path: latestPath, kind: 'latest' };
  }

  let reason: 'max-steps' | 'max-minutes' | 'early-stop' | 'stopped' = 'max-steps';
  while (step < config.maxSteps) {
    if (control.stopRequested) {
      reason = 'stopped';
      break;
    }
    while (control.paused && !control.stopRequested) await new Promise((r) => setTimeout(r, 50));
    if (performance.now() > deadline) {
      reason = 'max-minutes';
      break;
    }
    const { loss, gradNorm, lr } = takeStep();
    if (step % config.logEvery === 0 || step === config.maxSteps) {
      yield stepEvent(loss, gradNorm, lr);
      // Counted from here, so the time the consumer spends on the event is not charged to training.
      runStart = performance.now();
      runSteps = 0;
    }
    if (step % config.evalEvery === 0 || step === config.maxSteps) {
      if (yield* evaluateAndSelect(loss)) {
        reason = 'early-stop';
        break;
      }
    }
    if (config.checkpointEvery && step % config.checkpointEvery === 0) yield* checkpointLatest();
    if (config.sampleEvery && step % config.sampleEvery === 0) {
      const lm = { name: '', path: '', model, tokenizer, card: {} };
      yield { type: 'sample', step, text: generateText(lm, { length: 200, temperature: 0.8, seed: `${config.seed}/sample/${step}` }).text };
    }
    // Let timers and key presses run between steps.
    if (step % 4 === 0) await new Promise((r) => setImmediate(r));
  }

  // A run stopped before its first validation is validated now, so every file it leaves has its figures.
  if (bestValLoss === Infinity) {
    bestValLoss = evaluateLoss(model, split.val, B, T, config.evalTokens).loss;
    const score = opts.select?.score({ model, tokenizer });
    if (score !== undefined) bestScore = score;
    await saveCheckpoint(bestPath, { model, tokenizer, card: card() });
    yield { type: 'checkpoint', step, path: bestPath, kind: 'best' };
  }
  yield* checkpointLatest();
  // The final file is the best model seen (weights only).
  const best = await loadCheckpoint(bestPath, backend);
  await saveCheckpoint(opts.out, { model: best.model, tokenizer: best.tokenizer, card: best.card });
  await fs.access(opts.out);
  yield { type: 'done', step, reason, bestValLoss, elapsedSec: elapsed() };
}
