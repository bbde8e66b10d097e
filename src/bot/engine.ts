// The real story engine (model math in a worker-thread pool), loaded lazily so the bot's modules and
// tests do not pull in the engine unless they run it.
import { UserError } from '../errors.ts';
import type { StoryEngine } from '../generation/story-engine.ts';

export interface EngineSettings {
  modelsDir: string;
  workers?: number;
}

interface WorkerEngineModule {
  createStoryEngine(options: EngineSettings): StoryEngine;
}

export async function createRealEngine(settings: EngineSettings): Promise<StoryEngine> {
  // Resolved at run time: the bot ships before and independently of the engine's worker module.
  const url = new URL('../generation/worker-engine.ts', import.meta.url).href;
  let mod: WorkerEngineModule;
  try {
    mod = (await import(url)) as WorkerEngineModule;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new UserError('the story engine (src/generation/worker-engine.ts) is missing from this checkout');
    }
    throw error;
  }
  return mod.createStoryEngine(settings);
}
