// The gap as a reader of an episode's text would measure it (from after the intro to the start of the
// question), to check the gap each generator records against the text it wrote.
import { QUESTION } from '../../src/demos/long-dependency-corpus.ts';

export function measureGap(text: string): number {
  return text.lastIndexOf(QUESTION) - (text.indexOf('.') + 1);
}
