// storyteller generate: the story on stdout (prompt included), diagnostics (seed, replaced characters) on stderr.
import path from 'node:path';
import { UserError } from '../../errors.ts';
import { DEFAULT_GENERATE_OPTIONS, type GateKind, type GenerateOptions, type LayerTrace } from '../../generation/events.ts';
import { gateMatrix, gateMatrixRows } from '../../generation/gate-matrix.ts';
import { generate } from '../../generation/generator.ts';
import { checkWritableFile, writeFileAtomic } from '../../atomic-write.ts';
import { pictureBase } from '../../render/write-picture.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { DEFAULT_MODEL, loadModel } from '../../models.ts';
import { focusScaleKind, focusSeries, SUMMARY_KINDS, type GateFocus, type SummaryKind } from '../../render/gate-focus.ts';
import { fitScale, SCALE_MODES, type ScaleMode } from '../../render/gate-scale.ts';

export const GENERATE_FLAGS: Flags = {
  checkpoint: checkpointFlag(DEFAULT_MODEL),
  prime: { type: 'string', default: '', help: 'text the story starts with' },
  length: { type: 'int', default: DEFAULT_GENERATE_OPTIONS.length, help: 'tokens to generate' },
  temperature: { type: 'number', default: DEFAULT_GENERATE_OPTIONS.temperature, help: 'sampling temperature (0 = greedy)' },
  'top-k': { type: 'int', default: 0, help: 'sample among the k likeliest tokens (0 = off)' },
  'top-p': { type: 'number', default: 1, help: 'sample among the likeliest tokens covering p (1 = off)' },
  seed: { type: 'string', help: 'seed; the same seed gives the same story (random when absent)' },
  stop: { type: 'string', default: 'none', choices: ['none', 'sentence', 'paragraph'], help: 'stop early at the end of a sentence or paragraph' },
  finish: { type: 'boolean', help: 'end like a story: when --length runs out mid-sentence go on to its end (at most a quarter more), else end at the last finished sentence; stops before 60 % of the length do not end it' },
  'best-of': { type: 'int', default: 1, help: 'write N candidate stories and print the one the model finds most probable per token' },
  unknown: { type: 'string', default: 'replace', choices: ['error', 'skip', 'replace'], help: 'prompt characters/words the model never saw' },
  'gates-json': { type: 'string', help: 'also write every token with its per-layer gates as JSON' },
  'gates-svg': { type: 'string', help: 'also write a forget-gate heatmap (tokens × units; the cell state for cells without one) as FILE.svg and FILE.png' },
  layer: { type: 'int', default: 1, help: 'gate files: the layer shown, counting from 1 (as the story screen and the bot do)' },
  unit: { type: 'int', help: 'gate files: colour by this unit (a strip above the heatmap, its values under "view" in the JSON)' },
  summary: { type: 'string', choices: [...SUMMARY_KINDS], help: 'gate files: colour by a summary over the units: mean, share below 0.5 (beyond ±1 for cells), change from the previous token' },
  kind: { type: 'string', default: 'forget', choices: ['forget', 'input', 'output', 'cell'], help: 'gate files: which gate (or the cell state) the heatmap and the view show' },
  scale: { type: 'string', default: 'fit', choices: [...SCALE_MODES], help: 'gate files: colours fitted to the 5th-95th percentile, the min-max, or fixed (0-1, cells ±1)' },
  json: { type: 'boolean', help: 'print one NDJSON event per token instead of the story' },
};

/** --unit or --summary (not both), checked before the story is written. */
function gateFocusFlags(unit: number | undefined, summary: SummaryKind | undefined, units: number): GateFocus | undefined {
  if (unit !== undefined && summary !== undefined) throw new UserError('--unit and --summary each choose what the gates are coloured by; give one of them');
  if (unit !== undefined && (unit < 0 || unit >= units)) throw new UserError(`--unit must be 0 to ${units - 1} (got ${unit})`);
  return unit !== undefined ? { unit } : summary !== undefined ? { summary } : undefined;
}

/** What happened to each prompt character or word the model never saw, one note a line (stderr). */
export function unknownNotes(actions: ReadonlyArray<{ from: string; to: string | null }>): string[] {
  return actions.map((act) => `note: ${JSON.stringify(act.from)} is not in the vocabulary; ${act.to === null ? 'skipped' : `replaced by ${JSON.stringify(act.to)}`}`);
}

export async function generateCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, GENERATE_FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller generate --checkpoint FILE [--prime TEXT] [--length N] [--seed S] [--temperature T]', GENERATE_FLAGS));
    return 0;
  }
  const lm = await loadModel(a.checkpoint as string);
  // The gate files are outputs: naming the model there would replace it with JSON or a picture.
  for (const [flag, files] of [['gates-json', [a['gates-json']]], ['gates-svg', [`${a['gates-svg']}.svg`, `${a['gates-svg']}.png`]]] as const) {
    if (a[flag] && files.some((f) => path.resolve(String(f)) === path.resolve(lm.path))) throw new UserError(`--${flag} ${a[flag]} would overwrite the model being read; choose another file`);
  }
  // A gate file that cannot be written is found now, not after the story has been told.
  if (a['gates-json']) await checkWritableFile(a['gates-json'] as string, '--gates-json');
  if (a['gates-svg']) await checkWritableFile(`${pictureBase(a['gates-svg'] as string)}.svg`, '--gates-svg');
  // A user's layer counts from 1; `at` indexes the trace. Checked before the story, not after it has been written.
  const layer = a.layer as number;
  const at = layer - 1;
  const layers = lm.model.config.layers;
  if (a['gates-json'] || a['gates-svg']) {
    if (layer === 0) throw new UserError(`--layer counts from 1 (the first layer) to ${layers}; got 0`);
    if (layer < 1 || layer > layers) throw new UserError(`--layer must be 1 to ${layers} (got ${layer})`);
  }
  const focus = gateFocusFlags(a.unit as number | undefined, a.summary as SummaryKind | undefined, lm.model.config.hiddenSize);
  const wantGates = !!(a['gates-json'] || a['gates-svg']);
  const options: Partial<GenerateOptions> = {
    prime: a.prime as string,
    length: a.length as number,
    temperature: a.temperature as number,
    topK: a['top-k'] as number,
    topP: a['top-p'] as number,
    seed: a.seed as string | undefined,
    stop: a.stop as GenerateOptions['stop'],
    finish: !!a.finish,
    bestOf: a['best-of'] as number,
    unknown: a.unknown as GenerateOptions['unknown'],
    trace: wantGates || !!a.json,
    // The gate files show the prompt as the model read it, before the story.
    tracePrompt: wantGates,
  };
  const promptTokens: Array<{ text: string; prob: number; gates?: LayerTrace[] }> = [];
  const tokens: Array<{ text: string; prob: number; gates?: LayerTrace[] }> = [];
  let pending = '';
  let n = 0;
  for (const ev of generate(lm, options)) {
    // Generation is synchronous: letting events run now and then lets a closed pipe end the program at once.
    if (++n % 64 === 0) await new Promise((r) => setImmediate(r));
    if (a.json) {
      process.stdout.write(JSON.stringify(ev) + '\n');
      continue;
    }
    if (ev.type === 'start') {
      process.stderr.write(`seed: ${ev.seed}\n`);
      for (const line of unknownNotes(ev.unknown.actions)) process.stderr.write(line + '\n');
      process.stdout.write(ev.primeText);
    } else if (ev.type === 'token') {
      // With --finish the story may end at an earlier sentence end: text after the last one waits until it is kept.
      pending += ev.text;
      if (!options.finish || ev.sentenceEnd) {
        process.stdout.write(pending);
        pending = '';
      }
      if (wantGates) tokens.push({ text: ev.text, prob: ev.prob, gates: ev.gates });
    } else if (ev.type === 'prompt') {
      for (const t of ev.tokens) promptTokens.push({ text: t.text, prob: t.prob, gates: t.gates });
    } else if (ev.type === 'end') {
      if (ev.cut) tokens.splice(tokens.length - ev.cut);
      else process.stdout.write(pending);
      process.stdout.write('\n');
    }
  }
  // What the heatmap's strip shows, as numbers: the chosen unit or summary per token and its colour scale.
  const shown = [...promptTokens, ...tokens];
  const first = tokens[0]?.gates?.[at];
  // The kind asked for, or the cell state when the cell has no such gate (RNN; lstm-no-forget has f ≡ 1).
  const kind = first?.[a.kind as GateKind] ? (a.kind as GateKind) : 'cell';
  const scale = a.scale as ScaleMode;
  if (a['gates-json']) {
    const values = focus ? focusSeries(gateMatrixRows(shown, at, kind).rows, kind, focus) : undefined;
    const view = focus && values ? { layer, kind, focus, scale: fitScale(values, focusScaleKind(kind, focus), scale), values } : undefined;
    const prompt = promptTokens.length ? { prompt: promptTokens } : {};
    await writeFileAtomic(a['gates-json'] as string, JSON.stringify({ model: lm.name, ...prompt, tokens, ...(view ? { view } : {}) }, null, 0));
    process.stderr.write(`gates written to ${a['gates-json']}\n`);
  }
  if (a['gates-svg']) {
    const { gateHeatmap } = await import('../../render/heatmap.ts');
    const { writePicture } = await import('../../render/write-picture.ts');
    // Cells without a forget gate of their own in the trace (RNN; lstm-no-forget, f ≡ 1) show the cell state.
    const what = kind === 'cell' ? (first?.forgetIs === 'fixed' ? 'cell state (forget gate fixed at 1)' : 'cell state')
      : kind !== 'forget' ? `${kind} gate` : first?.forgetIs === 'coupled' ? 'forget gate (f = 1 − i)' : 'forget gate';
    const pic = gateHeatmap({
      ...gateMatrix(shown, at, kind),
      title: `${lm.name}: ${what}, layer ${layer}`,
      kind,
      scale,
      focus,
    });
    const out = await writePicture(a['gates-svg'] as string, pic);
    process.stderr.write(`heatmap written to ${path.relative(process.cwd(), out.svgPath)} and ${path.relative(process.cwd(), out.pngPath)}\n`);
  }
  return 0;
}
