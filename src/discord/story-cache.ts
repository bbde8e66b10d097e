// Buttons under a story need the story's prompt and settings, which do not fit in a 100-character
// custom id; the bot remembers the most recent stories by message id instead (a small LRU).
import type { StoryRun } from './generate.ts';

export interface StoredStory {
  run: StoryRun;
  /** The user's prompt as shown (the prime may also hold earlier parts of a continued story). */
  prompt: string;
}

export class StoryCache {
  private readonly map = new Map<string, StoredStory>();
  constructor(readonly capacity = 500) {}

  get(messageId: string): StoredStory | undefined {
    const v = this.map.get(messageId);
    if (v) {
      // Re-insert so the entry becomes the most recently used (Map keeps insertion order).
      this.map.delete(messageId);
      this.map.set(messageId, v);
    }
    return v;
  }

  set(messageId: string, story: StoredStory): void {
    this.map.delete(messageId);
    this.map.set(messageId, story);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }
}
