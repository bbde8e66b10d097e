// storyteller card: a model card in Markdown, from what the checkpoint records plus fresh samples.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FORGET_NOTES, hasCellState } from '../../engine/config.ts';
import { readSafetensorsHeader } from '../../engine/safetensors.ts';
import { generateText } from '../../generation/generator.ts';
import { UserError } from '../../errors.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { STORY_FLAGS, storySettings } from '../story-flags.ts';
import { DEFAULT_MODEL, loadModel } from '../../models.ts';

const FLAGS: Flags = {
  checkpoint: checkpointFlag(DEFAULT_MODEL),
  recipe: { type: 'string', help: 'the configs/*.json recipe that reproduces the model' },
  ...STORY_FLAGS,
  seeds: { type: 'string', default: '1,2,3', help: 'comma-separated seeds of the sample stories' },
};

export async function cardCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller card --checkpoint NAME [--recipe configs/NAME.json]', FLAGS));
    return 0;
  }
  const lm = await loadModel(a.checkpoint as string);
  const c = lm.model.config;
  const card = lm.card;
  const file = await fs.readFile(lm.path);
  const bytes = file.length;
  // A latest file also holds Adam's moments and the trainer state (about three times the weights).
  const resumable = readSafetensorsHeader(lm.path, file).metadata.training !== undefined;
  const figure = card.valLoss === undefined || card.valBpc === undefined
    ? 'not yet validated'
    : lm.tokenizer.level === 'char'
      ? `${card.valBpc.toFixed(3)} bits per character (loss ${card.valLoss.toFixed(4)} nats per token)`
      : `perplexity ${card.valPerplexity?.toFixed(1)} (${card.valBpc.toFixed(3)} bits per character, loss ${card.valLoss.toFixed(4)} nats per token)`;
  const lines = [
    `## ${lm.name}`,
    '',
    `- ${lm.tokenizer.level}-level ${c.cell.toUpperCase()}, ${c.layers} × ${c.hiddenSize}, embedding ${c.embeddingSize}${c.tieWeights ? ' (tied with the decoder)' : ''}, dropout ${c.dropout}, vocabulary ${c.vocabSize}`,
    hasCellState(c.cell) && FORGET_NOTES[c.cell] ? `- ${FORGET_NOTES[c.cell]}` : '',
    `- ${lm.model.paramCount.toLocaleString('en')} parameters, ${(bytes / 1e6).toFixed(1)} MB (${resumable ? 'weights with optimizer and trainer state for --resume; storyteller strip keeps the weights only' : 'weights only'})`,
    `- trained ${card.steps ?? '?'} steps in ${card.wallSec ?? '?'} s; validation ${figure}${card.trainLoss !== undefined ? `, last training loss ${card.trainLoss.toFixed(4)}` : ''}`,
    `- data: ${describeData(card.data ?? [])}`,
    card.initFrom ? `- fine-tuned from \`${card.initFrom}\`` : '',
    card.selectedBy ? `- kept the state with the best ${card.selectedBy.name} on held-out episodes: ${(card.selectedBy.score * 100).toFixed(1)}%` : '',
    a.recipe ? `- reproduce: \`npx storyteller train --config ${a.recipe}\`` : '',
    '',
  ];
  const seeds = String(a.seeds).split(',').map((s) => s.trim());
  if (seeds.some((s) => s === '')) throw new UserError(`--seeds must be seeds separated by commas, none empty (got ${JSON.stringify(a.seeds)})`);
  for (const seed of seeds) {
    const r = generateText(lm, { ...storySettings(a), seed });
    lines.push(`Sample (seed ${seed}, temperature ${a.temperature}, top-p ${a['top-p']}, \`--prime "${a.prime}"\`):`, '', ...`${r.primeText}${r.text}`.trim().split('\n').map((l) => `> ${l}`), '');
  }
  process.stdout.write(lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n') + '\n');
  return 0;
}

/**
 * The files a model was trained on, by folder: a few are named, a folder of many is counted with its first and
 * last file ("47 files in corpora/gutenberg (aesop-fables.txt … spyri-heidi.txt), 20 files in corpora/stories (…)").
 */
export function describeData(files: string[]): string {
  const groups: Array<{ dir: string; names: string[] }> = [];
  for (const f of files) {
    const dir = path.dirname(f), name = path.basename(f);
    const last = groups.at(-1);
    if (last && last.dir === dir) last.names.push(name);
    else groups.push({ dir, names: [name] });
  }
  return groups
    .map(({ dir, names }) => names.length <= 3
      ? names.join(', ')
      : `${names.length} files${dir === '.' ? '' : ` in ${dir}`} (${names[0]} … ${names.at(-1)})`)
    .join(', ');
}
