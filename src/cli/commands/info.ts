// storyteller info: what a checkpoint holds, and storyteller strip: drop optimizer state for shipping.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { checkWritableFile } from '../../atomic-write.ts';
import { fastBackend } from '../../engine/backend.ts';
import { stripCheckpoint } from '../../engine/checkpoint.ts';
import { UserError } from '../../errors.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { DEFAULT_MODEL, loadModel, resolveModelPath, summarize } from '../../models.ts';

const FLAGS: Flags = {
  checkpoint: checkpointFlag(DEFAULT_MODEL),
  json: { type: 'boolean', help: 'print one JSON object' },
};

export async function infoCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller info --checkpoint FILE [--json]', FLAGS));
    return 0;
  }
  const lm = await loadModel(a.checkpoint as string);
  const bytes = (await fs.stat(lm.path)).size;
  const info = { ...summarize(lm), embeddingSize: lm.model.config.embeddingSize, dropout: lm.model.config.dropout, tieWeights: lm.model.config.tieWeights, bytes, card: lm.card };
  if (a.json) {
    process.stdout.write(JSON.stringify(info) + '\n');
    return 0;
  }
  const c = lm.card;
  const lines = [
    `${info.name} (${info.path}, ${(bytes / 1e6).toFixed(2)} MB)`,
    `  ${info.level}-level ${info.cell.toUpperCase()}, ${info.layers} × ${info.hiddenSize}, embedding ${info.embeddingSize}, vocabulary ${info.vocabSize}${info.tieWeights ? ', tied weights' : ''}`,
    `  ${info.params.toLocaleString('en')} parameters`,
    c.steps !== undefined ? `  trained ${c.steps} steps in ${c.wallSec ?? '?'} s` : '',
    c.valBpc !== undefined ? `  validation: ${c.valBpc.toFixed(3)} bits per character${c.valPerplexity ? `, perplexity ${c.valPerplexity.toFixed(1)}` : ''}` : '  validation: not yet validated',
    c.data?.length ? `  data: ${c.data.length} file(s)` : '',
  ].filter(Boolean);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

const STRIP_FLAGS: Flags = {
  checkpoint: checkpointFlag(undefined, 'checkpoint to read'),
  out: { type: 'string', help: 'weights-only checkpoint to write' },
  dtype: { type: 'string', default: 'f32', help: 'weights as f32, or 16-bit f16 / bf16 (half the size, widened to f32 on load)' },
  force: { type: 'boolean', help: 'replace --out when it exists' },
};

export async function stripCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, STRIP_FLAGS);
  if (a.help || !a.checkpoint || !a.out) {
    process.stdout.write(helpText('usage: storyteller strip --checkpoint IN --out OUT (removes optimizer and trainer state)', STRIP_FLAGS));
    return a.help ? 0 : 2;
  }
  const dtype = String(a.dtype).toUpperCase();
  if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') throw new UserError(`--dtype must be f32, f16 or bf16 (got ${a.dtype})`);
  const input = resolveModelPath(a.checkpoint as string);
  // Stripping in place would throw away the optimizer state a run needs to resume, with no copy left.
  if (path.resolve(input) === path.resolve(a.out as string)) throw new UserError(`--out ${a.out} is the checkpoint being read; write the weights-only copy to another file`);
  await checkWritableFile(a.out as string, '--out');
  if (!a.force && existsSync(a.out as string)) throw new UserError(`--out ${a.out} already exists: give --force to replace it, or another --out`);
  await stripCheckpoint(input, a.out as string, await fastBackend(), dtype === 'F32' ? undefined : dtype);
  return 0;
}
