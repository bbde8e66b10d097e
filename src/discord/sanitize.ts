// Text crossing between Discord and the model in either direction. Prompts are cleaned before the model
// sees them; generated text is neutralised before Discord renders it, so a story can never ping anyone
// (allowedMentions is the first guard, this is the second) or break out of its formatting.
import { escapeMarkdown } from 'discord.js';

export const PROMPT_MAX_LENGTH = 300;
const ZWSP = '\u200b';

export interface MentionNames {
  user?(id: string): string | undefined;
  role?(id: string): string | undefined;
  channel?(id: string): string | undefined;
}

// C0/C1 controls except newline and tab, plus the bidirectional overrides that can reorder displayed text.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes user text safe to prime the model with: controls removed, mention syntax replaced by plain words
 * (names when known), @everyone/@here disarmed, whitespace tidied and the length capped (code points).
 */
export function cleanPrompt(text: string, names: MentionNames = {}, maxLength = PROMPT_MAX_LENGTH): string {
  let s = text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL, '');
  s = s
    .replace(/<@!?(\d+)>/g, (_, id: string) => names.user?.(id) ?? 'someone')
    .replace(/<@&(\d+)>/g, (_, id: string) => names.role?.(id) ?? 'everyone')
    .replace(/<#(\d+)>/g, (_, id: string) => names.channel?.(id) ?? 'somewhere')
    .replace(/@(everyone|here)\b/gi, '$1');
  s = s
    .replace(/[ \u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const points = Array.from(s);
  return points.length > maxLength ? points.slice(0, maxLength).join('').trimEnd() : s;
}

/** Generated (or echoed) text made inert: no mention can form, even if allowedMentions were lost. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@/g, `@${ZWSP}`).replace(/<#/g, `<${ZWSP}#`);
}

/** Story text for a normal message: mentions neutralised, markdown shown literally. */
export function displayText(text: string): string {
  return escapeMarkdown(neutralizeMentions(text.replace(CONTROL, '')), {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
}

/** Text inside a ``` block: backticks cannot close the fence and no escape sequence sneaks in. */
export function codeBlockText(text: string): string {
  return text.replace(CONTROL, '').replace(/`/g, `\`${ZWSP}`);
}
