// The /demo message: the demo's text tables in a code block within Discord's 2,000 characters, plus the
// long-dependency accuracy plot as a PNG when the demo drew one.
import { AttachmentBuilder } from 'discord.js';
import { DEMO_TITLES, demoText, type DemoData } from '../demos/demo-runner.ts';
import { DISCORD_MESSAGE_LIMIT } from './ansi-gates.ts';
import { codeBlockText } from './sanitize.ts';

export interface DemoReply {
  content: string;
  files: AttachmentBuilder[];
}

export const ACCURACY_PNG_NAME = 'long-dependency-accuracy.png';

/** Keeps whole lines from the top; a cut report ends with a line saying so. */
function fitLines(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = '… (cut to fit; run "storyteller demo" for the whole report)';
  const kept: string[] = [];
  let used = cut.length;
  for (const line of text.split('\n')) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  return [...kept, cut].join('\n');
}

export function demoReply(data: DemoData, budget = DISCORD_MESSAGE_LIMIT): DemoReply {
  const head = `**${data.name}**: ${DEMO_TITLES[data.name]}`;
  const fence = (body: string) => `${head}\n\`\`\`\n${body}\n\`\`\``;
  const body = fitLines(codeBlockText(demoText(data)), budget - fence('').length);
  const files = data.name === 'long-dependency' && data.accuracyPng ? [new AttachmentBuilder(data.accuracyPng, { name: ACCURACY_PNG_NAME })] : [];
  return { content: fence(body), files };
}
