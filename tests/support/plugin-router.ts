// One bot, several plugins: a test keeps a plugin per models folder and switches which one answers. The
// router registers the commands of the plugin current when the bot starts and forwards everything to the
// plugin current at the time; closing is left to the test, which owns the plugins.
import type { StorytellerPlugin } from '../../src/discord/plugin.ts';

export function pluginRouter(current: () => StorytellerPlugin): StorytellerPlugin {
  return {
    commands: current().commands,
    handleInteraction: (i) => current().handleInteraction(i),
    handleMessage: (m) => current().handleMessage(m),
    ready: () => current().ready(),
    close: async () => {},
  };
}
