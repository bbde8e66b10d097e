// storyteller eval: loss in nats per token, bits per character and perplexity of a model on a text.
import { readCorpus } from '../../training/data.ts';
import { evaluateText } from '../../training/evaluate.ts';
import { helpText, parseFlags, type Flags } from '../args.ts';
import { DEFAULT_MODEL, loadModel } from '../../models.ts';

const FLAGS: Flags = {
  checkpoint: { type: 'string', default: DEFAULT_MODEL, help: 'model name in models/ or a .safetensors path' },
  data: { type: 'string', multiple: true, help: 'text file or folder of .txt files' },
  json: { type: 'boolean', help: 'print one JSON object' },
};

export async function evalCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller eval --checkpoint FILE --data PATH [--json]', FLAGS));
    return 0;
  }
  const lm = await loadModel(a.checkpoint as string);
  const { text } = await readCorpus((a.data as string[]) ?? []);
  const result = evaluateText(lm, text);
  if (a.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    const figure = lm.tokenizer.level === 'char' ? `${result.bpc.toFixed(4)} bits per character` : `perplexity ${result.perplexity.toFixed(2)} (${result.bpc.toFixed(4)} bits per character)`;
    process.stdout.write(`${lm.name}: loss ${result.loss.toFixed(4)} nats per token, ${figure} over ${result.tokens} tokens\n`);
  }
  return 0;
}
