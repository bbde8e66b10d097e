// The early reader's grammar: its cast (Doug, Jane, Spot and friends), its few words, and the sentence
// templates a paragraph opens, goes on and closes with, each drawing from one scene's cast and thing.
//
// Invariant: every "saw"/"see" template draws two different characters (pair), so no line ever says
// "X saw X." (see saw-check.ts).

interface Character {
  name: string;
  /** People talk; the pets only bark or mew. */
  kind: 'person' | 'dog' | 'cat';
  /** Weight when drawing a paragraph's cast: the three stars appear most often. */
  weight: number;
}

const CAST: readonly Character[] = [
  { name: 'Doug', kind: 'person', weight: 5 },
  { name: 'Jane', kind: 'person', weight: 5 },
  { name: 'Spot', kind: 'dog', weight: 5 },
  { name: 'Sally', kind: 'person', weight: 3 },
  { name: 'Mother', kind: 'person', weight: 2 },
  { name: 'Father', kind: 'person', weight: 2 },
  { name: 'Puff', kind: 'cat', weight: 3 },
];

const THINGS = ['ball', 'wagon', 'kite', 'boat', 'car', 'hat', 'doll', 'swing'] as const;
const COLOURS = ['red', 'blue', 'yellow', 'green', 'big', 'little', 'new'] as const;
// Things that can go up and come down again.
const FLYING = new Set(['ball', 'kite', 'hat']);
const VERBS = ['run', 'jump', 'play', 'go', 'come', 'sit', 'look'] as const;
// Verbs that read well in "Run, Spot, run!" and "See Spot run."
const CALL_VERBS = ['run', 'jump', 'come', 'go', 'look', 'sit'] as const;
const ADJECTIVES = ['funny', 'little', 'big', 'happy', 'fast', 'good'] as const;
const EXCLAMATIONS = ['Oh, oh!', 'Oh, look!', 'Oh, oh, oh!', 'Look!', 'Oh, my!'] as const;

/** Third person singular: run -> runs. All our verbs are regular. */
const thirdPerson = (verb: string): string => `${verb}s`;
const capitalise = (word: string): string => word[0]!.toUpperCase() + word.slice(1);

export type Rng = () => number;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function pickWeighted(rng: Rng, items: readonly Character[]): Character {
  const total = items.reduce((sum, c) => sum + c.weight, 0);
  let r = rng() * total;
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1]!;
}

/** The characters and the object one paragraph is about; templates only use these. */
export interface Scene {
  /** Three distinct characters, at least one of them a person so someone can speak. */
  cast: Character[];
  thing: string;
  colour: string;
}

export function drawScene(rng: Rng): Scene {
  const cast: Character[] = [];
  while (cast.length < 3) {
    const remaining = CAST.filter((c) => !cast.includes(c));
    cast.push(pickWeighted(rng, remaining));
  }
  if (!cast.some((c) => c.kind === 'person')) {
    cast[2] = pickWeighted(rng, CAST.filter((c) => c.kind === 'person'));
  }
  return { cast, thing: pick(rng, THINGS), colour: pick(rng, COLOURS) };
}

/** Two different members of the scene's cast: the guard that keeps "X saw X." out of the corpus. */
function pair(rng: Rng, scene: Scene): [Character, Character] {
  const a = pick(rng, scene.cast);
  const b = pick(rng, scene.cast.filter((c) => c !== a));
  return [a, b];
}

/** A person from the cast who speaks, and someone else from the cast they speak to. */
function speakerAndListener(rng: Rng, scene: Scene): [Character, Character] {
  const speaker = pick(rng, scene.cast.filter((c) => c.kind === 'person'));
  const listener = pick(rng, scene.cast.filter((c) => c !== speaker));
  return [speaker, listener];
}

export type Template = (rng: Rng, s: Scene) => string;

export const OPENERS: Template[] = [
  (rng, s) => `Here is ${pick(rng, s.cast).name}.`,
  (rng, s) => `Here comes ${pick(rng, s.cast).name}.`,
  (rng, s) => {
    const [a, b] = pair(rng, s);
    return `${a.name} saw ${b.name}.`;
  },
  (rng, s) => `See ${pick(rng, s.cast).name}.`,
  (rng, s) => `${pick(rng, s.cast).name} has a ${s.colour} ${s.thing}.`,
  (rng, s) => `Look at ${pick(rng, s.cast).name}.`,
];

const MIDDLES: Array<[weight: number, template: Template]> = [
  [
    8,
    (rng, s) => {
      const [a, b] = pair(rng, s);
      return `${a.name} saw ${b.name}.`;
    },
  ],
  [
    2,
    (rng, s) => {
      const [a, b] = pair(rng, s);
      return `${a.name} sees ${b.name}.`;
    },
  ],
  [2, (rng, s) => `${pick(rng, s.cast).name} saw the ${s.thing}.`],
  [3, (rng, s) => `See ${pick(rng, s.cast).name} ${pick(rng, CALL_VERBS)}.`],
  [
    3,
    (rng, s) => {
      const verb = pick(rng, CALL_VERBS);
      return `${capitalise(verb)}, ${pick(rng, s.cast).name}, ${verb}!`;
    },
  ],
  [2, (rng, s) => `Look, ${pick(rng, s.cast).name}, look.`],
  [1, (rng, s) => `Go, ${pick(rng, s.cast).name}, go!`],
  [2, (rng) => pick(rng, EXCLAMATIONS)],
  [2, (rng, s) => `Funny, funny ${pick(rng, s.cast).name}.`],
  [2, (rng, s) => `${pick(rng, s.cast).name} can ${pick(rng, VERBS)}.`],
  [1, (rng, s) => `${pick(rng, s.cast).name} can ${pick(rng, ['run', 'jump', 'go'])} fast.`],
  [
    2,
    (rng, s) => {
      const [a, b] = pair(rng, s);
      return `${a.name} and ${b.name} ${pick(rng, VERBS)}.`;
    },
  ],
  [
    2,
    (rng, s) => {
      const [a, b] = pair(rng, s);
      return `${a.name} ${pick(rng, ['plays with', 'helps', 'looks at', 'runs to'])} ${b.name}.`;
    },
  ],
  [
    3,
    (rng, s) => {
      const [speaker, listener] = speakerAndListener(rng, s);
      const other = s.cast.find((c) => c !== speaker && c !== listener)!;
      return `"Look, ${listener.name}!" said ${speaker.name}. "See ${other.name} ${pick(rng, CALL_VERBS)}."`;
    },
  ],
  [
    2,
    (rng, s) => {
      const [speaker, listener] = speakerAndListener(rng, s);
      const verb = pick(rng, CALL_VERBS);
      return `"${capitalise(verb)}, ${listener.name}, ${verb}," said ${speaker.name}.`;
    },
  ],
  [
    2,
    (rng, s) => {
      const [speaker, listener] = speakerAndListener(rng, s);
      return `"I see ${listener.name}," said ${speaker.name}.`;
    },
  ],
  [
    1,
    (rng, s) => {
      const [speaker, listener] = speakerAndListener(rng, s);
      return `${speaker.name} said, "I saw ${listener.name}."`;
    },
  ],
  [
    2,
    (rng, s) => {
      const [speaker, listener] = speakerAndListener(rng, s);
      return `"Oh, ${listener.name}," said ${speaker.name}. "You are ${pick(rng, ADJECTIVES)}."`;
    },
  ],
  [
    1,
    (rng, s) => {
      const [speaker] = speakerAndListener(rng, s);
      return `"I want the ${s.thing}," said ${speaker.name}.`;
    },
  ],
  [
    1,
    (rng, s) => {
      const [speaker] = speakerAndListener(rng, s);
      return `"Where is the ${s.thing}?" said ${speaker.name}.`;
    },
  ],
  [
    1,
    (rng, s) => {
      const pet = s.cast.find((c) => c.kind !== 'person');
      if (pet?.kind === 'dog') return `"Bow-wow," said ${pet.name}. "Bow-wow!"`;
      if (pet?.kind === 'cat') return `"Mew, mew," said ${pet.name}.`;
      return `${pick(rng, s.cast).name} can ${pick(rng, VERBS)}.`;
    },
  ],
  [2, (rng, s) => `${pick(rng, s.cast).name} has a ${s.colour} ${s.thing}.`],
  [1, (_rng, s) => `The ${s.thing} is ${s.colour}.`],
  [1, (rng, s) => `${pick(rng, s.cast).name} ${pick(rng, ['wants', 'gets', 'finds'])} the ${s.thing}.`],
  [
    1,
    (rng, s) =>
      FLYING.has(s.thing) ? `Up, up, up goes the ${s.thing}.` : `Away goes the ${s.thing}.`,
  ],
  [1, (_rng, s) => (FLYING.has(s.thing) ? `Down comes the ${s.thing}.` : `Here is the ${s.thing}.`)],
  [1, (rng, s) => `${pick(rng, s.cast).name} is ${pick(rng, ADJECTIVES)}.`],
  [1, (rng, s) => `Where is ${pick(rng, s.cast).name}?`],
  [
    1,
    (rng, s) => {
      const verb = pick(rng, ['look', 'run', 'jump']);
      return `${pick(rng, s.cast).name} ${thirdPerson(verb)} and ${thirdPerson(verb)}.`;
    },
  ],
];

export const CLOSERS: Template[] = [
  (rng) => pick(rng, EXCLAMATIONS),
  (rng, s) => `Funny, funny ${pick(rng, s.cast).name}.`,
  (rng, s) => {
    const [a, b] = pair(rng, s);
    return `${a.name} and ${b.name} are ${pick(rng, ['happy', 'funny', 'good friends'])}.`;
  },
  (rng, s) => {
    const [speaker] = speakerAndListener(rng, s);
    return `"Oh, oh!" said ${speaker.name}. "This is fun."`;
  },
];

const MIDDLE_TOTAL = MIDDLES.reduce((sum, [w]) => sum + w, 0);

export function pickMiddle(rng: Rng): Template {
  let r = rng() * MIDDLE_TOTAL;
  for (const [weight, template] of MIDDLES) {
    r -= weight;
    if (r < 0) return template;
  }
  return MIDDLES[MIDDLES.length - 1]![1];
}
