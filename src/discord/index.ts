// lstm-storyteller/discord: the storyteller as a plugin any discord.js bot can add (see docs/plugin.md).
export {
  commandBodies,
  createStorytellerPlugin,
  MAX_CHOICES,
  PLUGIN_DEFAULTS,
  storytellerIntents,
  storytellerPartials,
  type StorytellerPlugin,
  type StorytellerPluginOptions,
} from './plugin.ts';
export { FILTERED_PROMPT_MESSAGE, familyFriendlyFilter, type ContentFilter } from './content-filter.ts';
export type { Logger } from './log.ts';
export type { ModelSource } from './models.ts';
