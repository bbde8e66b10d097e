// The storytellers users may pick: the checkpoints in the models folder, plus any the host named
// explicitly (a path, or a model it already loaded). A user can only ever reach these by name, so no
// slash-command option makes the bot open an arbitrary file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';
import { listModelFiles } from '../models.ts';
import type { ModelSummary, StoryEngine } from '../generation/story-engine.ts';

/** A checkpoint offered by name: a path, a file URL, or anything with a path (such as a loaded model). */
export type ModelSource = string | URL | { name?: string; path: string };

function entry(source: ModelSource): [string, string] {
  const file = source instanceof URL ? fileURLToPath(source) : typeof source === 'string' ? source : source.path;
  if (!file) throw new UserError('a model given to the storyteller plugin has no file path; load it from a file or pass its path');
  const name = typeof source === 'object' && !(source instanceof URL) && source.name ? source.name : path.basename(file).replace(/\.safetensors$/, '');
  return [name, file];
}

export class ModelCatalog {
  /** Extra models by name → checkpoint path. */
  private readonly extra: Map<string, string>;

  constructor(
    private readonly engine: StoryEngine,
    readonly modelsDir: string,
    readonly defaultModel: string,
    extra: ModelSource[] = [],
  ) {
    this.extra = new Map(extra.map(entry));
  }

  /** Names for the slash commands' model choices, read from the folder without opening the files. */
  names(): string[] {
    const inFolder = listModelFiles(this.modelsDir).map((f) => path.basename(f).replace(/\.safetensors$/, ''));
    return [...new Set([...this.extra.keys(), ...inFolder])];
  }

  /** What the engine is asked for: the path of an extra model, else the name as given. */
  key(name: string): string {
    return this.extra.get(name) ?? name;
  }

  async list(): Promise<ModelSummary[]> {
    const extras = await Promise.all([...this.extra].map(async ([name, file]) => ({ ...(await this.engine.loadModel(file)), name })));
    const inFolder = (await this.engine.listModels()).filter((m) => !this.extra.has(m.name));
    return [...extras, ...inFolder];
  }

  /**
   * The model a request may use. The configured default is trusted as is (it may be a path); any other
   * name must be listed, so a user can never make the bot open an arbitrary file path.
   */
  async check(name: string): Promise<string> {
    if (name === this.defaultModel || this.extra.has(name)) return name;
    const models = await this.engine.listModels();
    if (models.some((m) => m.name === name)) return name;
    const names = [...new Set([...this.extra.keys(), ...models.map((m) => m.name)])].join(', ');
    throw new UserError(`unknown model '${name}'; ${names ? `available: ${names}` : 'no models are installed'}`);
  }
}
