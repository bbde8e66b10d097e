// storyteller eval: loss in nats per token, bits per character and perplexity of a model on a text.
import { readCorpus } from '../../training/data.ts';
import { evaluateText, type EvalProgress } from '../../training/evaluate.ts';
import { UserError } from '../../errors.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { DEFAULT_MODEL, loadModel } from '../../models.ts';

const FLAGS: Flags = {
  checkpoint: checkpointFlag(DEFAULT_MODEL),
  data: { type: 'string', multiple: true, help: 'text file or folder of .txt files' },
  json: { type: 'boolean', help: 'print one JSON object' },
};

/** A progress line on stderr for long texts, only on a terminal (scripts read stderr as messages). */
function progressOnTerminal(): EvalProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  let shown = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - shown < 250) return;
    shown = now;
    process.stderr.write(`\rscoring ${renderEvalProgress(done, total)}${done >= total ? '\n' : ''}`);
  };
}

/** "45 % (450,000 of 1,000,000 tokens)". */
export function renderEvalProgress(done: number, total: number): string {
  return `${Math.floor((100 * done) / Math.max(1, total))} % (${done.toLocaleString('en')} of ${total.toLocaleString('en')} tokens)`;
}

export async function evalCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller eval --checkpoint FILE --data PATH [--json]', FLAGS));
    return 0;
  }
  const lm = await loadModel(a.checkpoint as string);
  if (!(a.data as string[] | undefined)?.length) throw new UserError('no text to score: give --data FILE_OR_FOLDER');
  const { text } = await readCorpus(a.data as string[]);
  const result = evaluateText(lm, text, { onProgress: progressOnTerminal() });
  if (a.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    const u = result.unknown;
    const figure = lm.tokenizer.level === 'char' ? `${result.bpc.toFixed(4)} bits per character` : `perplexity ${result.perplexity.toFixed(2)} (${result.bpc.toFixed(4)} bits per character)`;
    process.stdout.write(`${lm.name}: loss ${result.loss.toFixed(4)} nats per token, ${figure} over ${result.tokens} tokens\n`);
    if (u.count > 0) {
      const what = lm.tokenizer.level === 'char' ? 'characters the model has no token for (left out of the loss)' : 'words out of the vocabulary (read as <unk>)';
      process.stdout.write(`unknown: ${u.count.toLocaleString('en')} ${what}, ${(u.rate * 100).toFixed(2)} %; bits per character charges them ${u.charge}\n`);
    }
  }
  return 0;
}
