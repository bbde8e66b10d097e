// storyteller stories: many stories at npm start's settings, and what a reader would notice about them —
// endings, lengths, real words, repetition (src/generation/story-stats.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateText } from '../../generation/generator.ts';
import { STORY_DEFAULTS } from '../../generation/story-defaults.ts';
import { REPEAT_NGRAM, storyStats, vocabularyOf, type StoryStats } from '../../generation/story-stats.ts';
import { DEFAULT_MODEL, loadModel, PROJECT_ROOT } from '../../models.ts';
import { readCorpus } from '../../training/data.ts';
import { UserError } from '../../errors.ts';
import { checkpointFlag, helpText, parseFlags, type Flags } from '../args.ts';
import { STORY_FLAGS, storySettings } from '../story-flags.ts';

const FLAGS: Flags = {
  checkpoint: checkpointFlag(DEFAULT_MODEL),
  count: { type: 'int', default: 100, help: 'stories to write (seeds 1, 2, …)' },
  ...STORY_FLAGS,
  'best-of': { type: 'int', default: STORY_DEFAULTS.bestOf, help: 'write N candidates per story and keep the one the model finds most probable per token' },
  data: { type: 'string', multiple: true, help: 'text whose words count as real (default: the files the model was trained on, when present, else corpora/)' },
  show: { type: 'int', default: 0, help: 'also print this many of the stories' },
  json: { type: 'boolean', help: 'print one JSON object' },
};

export async function storiesCommand(argv: string[]): Promise<number> {
  const a = parseFlags(argv, FLAGS);
  if (a.help) {
    process.stdout.write(helpText('usage: storyteller stories [--checkpoint NAME] [--count 100] [--data FILES]', FLAGS));
    return 0;
  }
  const count = a.count as number;
  if (count < 1 || count > 10_000) throw new UserError(`--count must be from 1 to 10000 (got ${count})`);
  const lm = await loadModel(a.checkpoint as string);
  const reference = (a.data as string[] | undefined) ?? defaultReference(lm.card.data);
  const { text: refText, files } = await readCorpus(reference);
  const options = { ...storySettings(a), bestOf: a['best-of'] as number };
  const stories = [];
  for (let i = 1; i <= count; i++) {
    const r = generateText(lm, { ...options, seed: String(i) });
    stories.push({ prompt: r.primeText, text: r.text });
    if (process.stderr.isTTY) process.stderr.write(`\rstory ${i}/${count}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const stats = storyStats(stories, { vocabulary: vocabularyOf(refText) });
  const settings = `${count} stories, seeds 1-${count}, --prime ${JSON.stringify(options.prime)}, temperature ${options.temperature}, top-p ${options.topP}, length ${options.length}, best of ${options.bestOf}, ending: ${options.stop} or the sentence the length runs out in`;
  if (a.json) {
    process.stdout.write(JSON.stringify({ model: lm.name, settings: options, count, reference: files.length, ...stats }) + '\n');
  } else {
    process.stdout.write(report(lm.name, settings, stats, files.length) + '\n');
    for (const s of stories.slice(0, a.show as number)) process.stdout.write(`\n${s.prompt}${s.text.trimEnd()}\n`);
  }
  return 0;
}

/** The model's own training files when they are on this machine, else the project's corpora. */
function defaultReference(trainedOn: string[] | undefined): string[] {
  const present = (trainedOn ?? []).filter((f) => existsSync(f));
  return present.length ? present : [path.join(PROJECT_ROOT, 'corpora'), path.join(PROJECT_ROOT, 'corpora/stories')];
}

export function report(model: string, settings: string, s: StoryStats, referenceFiles: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  return [
    `${model}: ${settings}`,
    '',
    '| measure | value |',
    '|---|---|',
    `| stories ending at the end of a sentence | ${pct(s.endAtSentence)} |`,
    `| words per story (min / 10th pct / median / 90th pct / max) | ${s.words.min} / ${s.words.p10} / ${s.words.median} / ${s.words.p90} / ${s.words.max} |`,
    `| stories under ${s.shortWords} words | ${s.short} |`,
    s.realWords !== undefined ? `| generated words found in the reference text (${referenceFiles} files) | ${pct(s.realWords)} |` : '',
    `| repeated ${REPEAT_NGRAM}-word phrases (share of a story's 4-grams seen earlier in it, mean) | ${pct(s.repeatedPhrases)} |`,
  ].filter(Boolean).join('\n');
}
