// Message bodies for stories and gate views, each kept within Discord's 2,000-character limit.
import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { UserError } from '../errors.ts';
import { DISCORD_GATE_CODES, discordAt, scaleWords } from '../render/colors.ts';
import { focusLabel, focusScaleKind, focusSeries, focusWords } from '../render/gate-focus.ts';
import { fitScale, formatLevel, scalePosition, scaleRangeText, scaleValueAt } from '../render/gate-scale.ts';
import type { StoryEngine } from '../generation/story-engine.ts';
import { heatmapScene, type GateHeatmapInput } from '../render/heatmap.ts';
import { rasterizeScene } from '../render/scene-raster.ts';
import { DISCORD_MESSAGE_LIMIT, renderAnsiGates } from './ansi-gates.ts';
import type { StoryRun } from './generate.ts';
import { codeBlockText, displayText } from './sanitize.ts';

export const STORY_BUTTON = {
  regenerate: 'story:regenerate',
  continue: 'story:continue',
  gates: 'story:gates',
} as const;

export function storyButtons(): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(STORY_BUTTON.regenerate).setLabel('Regenerate').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(STORY_BUTTON.continue).setLabel('Continue').setStyle(ButtonStyle.Primary),
    new ButtonBuilder().setCustomId(STORY_BUTTON.gates).setLabel('Show gates').setStyle(ButtonStyle.Secondary),
  );
}

/** Model, seed and sampling settings: enough to reproduce the story from the same prompt. */
export function storyFooter(run: StoryRun, tokensShown = run.tokens.length): string {
  const o = run.options;
  const parts = [run.model, `seed \`${codeBlockText(run.seed)}\``, `temperature ${o.temperature}`];
  if (o.topK > 0) parts.push(`top-k ${o.topK}`);
  if (o.topP < 1) parts.push(`top-p ${o.topP}`);
  parts.push(tokensShown < run.tokens.length ? `${tokensShown} of ${run.tokens.length} tokens shown` : `${run.tokens.length} tokens`);
  return `-# ${parts.join(' · ')}`;
}

/** `lead` is shown in bold before the generated text: the user's prompt, or … for a continuation. */
export function storyContent(run: StoryRun, lead: string, budget = DISCORD_MESSAGE_LIMIT): string {
  const trimmedLead = lead.trimEnd();
  const head = trimmedLead ? `**${displayText(trimmedLead)}**${lead.slice(trimmedLead.length)}` : '';
  const compose = (n: number) => {
    const text = run.tokens.slice(0, n).join('');
    const body = displayText(n < run.tokens.length ? text.trimEnd() + '…' : text);
    return `${head}${body || (run.tokens.length ? '' : '*(the storyteller had nothing to add)*')}\n${storyFooter(run, n)}`;
  };
  let n = run.tokens.length;
  if (compose(n).length <= budget) return compose(n);
  // Largest token count that fits: escaping makes length only roughly monotone, so search then check.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (compose(mid).length <= budget) lo = mid;
    else hi = mid - 1;
  }
  n = lo;
  while (n > 0 && compose(n).length > budget) n--;
  return compose(n);
}

export const GATES_PNG_NAME = 'forget-gates.png';

export interface GatesReply {
  content: string;
  files: AttachmentBuilder[];
}

/** What the heatmap PNG shows: every token × every unit of the chosen layer's forget gate. */
export function gateHeatmapInput(run: StoryRun): GateHeatmapInput {
  const focus = run.view?.focus;
  const units = run.forget?.[0]?.length ?? 0;
  // Checked here, before the picture is drawn in a worker.
  if (focus && 'unit' in focus && units > 0 && focus.unit >= units) throw new UserError(`unit must be 0 to ${units - 1} for ${run.model} (got ${focus.unit})`);
  return {
    tokens: run.tokens,
    values: run.forget ?? [],
    title: `forget gate, layer ${run.layer ?? '?'} of ${run.layers ?? '?'} · ${run.model} · seed ${run.seed}`,
    kind: 'forget',
    focus,
    scale: run.view?.scale ?? 'fit',
  };
}

/**
 * The heatmap PNG, drawn in the engine's worker pool (a few hundred milliseconds for a long story, which
 * would otherwise stall the gateway thread). An engine without a renderer (a host's own) draws it here.
 */
export async function renderGatePng(engine: StoryEngine, input: GateHeatmapInput): Promise<Uint8Array> {
  if (engine.renderGateHeatmap) return engine.renderGateHeatmap(input);
  return rasterizeScene(heatmapScene(input)).toPng();
}

/** The forget-gate view: an ```ansi block coloured per token, plus the heatmap PNG already drawn. */
export function gatesReply(run: StoryRun, prompt: string, png: Uint8Array, budget = DISCORD_MESSAGE_LIMIT): GatesReply {
  const forget = run.forget ?? [];
  // Coloured like the terminal's gate view: the mean (or the unit or summary asked for) on a scale fitted to the story.
  const focus = run.view?.focus ?? { summary: 'mean' as const };
  const values = focusSeries(forget, 'forget', focus).map((v) => v ?? Number.NaN);
  const scaleKind = focusScaleKind('forget', focus);
  const scale = fitScale(values, scaleKind, run.view?.scale ?? 'fit');
  const words = focusWords('forget', focus) ?? scaleWords('forget');
  const shownFocus = 'unit' in focus ? `unit ${focus.unit}` : focus.summary === 'mean' ? 'mean over units' : focusLabel('forget', focus);
  const where = `layer ${run.layer ?? '?'} of ${run.layers ?? '?'}`;
  const shownPrompt = Array.from(prompt).length > 80 ? `${Array.from(prompt).slice(0, 79).join('')}…` : prompt;
  const header =
    `Forget gate, ${where}, ${shownFocus}, colours ${scaleRangeText(scale)}${shownPrompt ? ` — after **${displayText(shownPrompt)}**` : ''}\n` +
    storyFooter(run);
  const stops = DISCORD_GATE_CODES.map((code, i) => ({ code, label: formatLevel(scaleValueAt(i / DISCORD_GATE_CODES.length, scale)) }));
  const block = renderAnsiGates({
    tokens: run.tokens,
    values,
    colour: (v) => discordAt(scalePosition(v, scale), scaleKind),
    header,
    legend: { low: words.low, stops, high: words.high },
    budget,
  });
  return { content: block.content, files: [new AttachmentBuilder(Buffer.from(png.buffer, png.byteOffset, png.byteLength), { name: GATES_PNG_NAME })] };
}
