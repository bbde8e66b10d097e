// Generation is the expensive part of the bot: a per-user cooldown keeps one person from monopolising it
// and a global cap keeps the worker pool from queueing more stories than it can write promptly.

export type Slot =
  | { ok: true; release(): void }
  | { ok: false; reason: 'cooldown'; retryAfterSeconds: number }
  | { ok: false; reason: 'running' }
  | { ok: false; reason: 'busy'; active: number };

export interface LimitOptions {
  cooldownSeconds: number;
  maxConcurrent: number;
  now?: () => number;
}

export class GenerationLimits {
  private readonly lastStart = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: LimitOptions) {
    this.now = options.now ?? Date.now;
  }

  get active(): number {
    return this.running.size;
  }

  /** Takes a generation slot for the user, or says why not. The cooldown runs from the start of the last story. */
  acquire(userId: string): Slot {
    if (this.running.has(userId)) return { ok: false, reason: 'running' };
    const t = this.now();
    const last = this.lastStart.get(userId);
    const cooldownMs = this.options.cooldownSeconds * 1000;
    if (last !== undefined && t - last < cooldownMs) {
      return { ok: false, reason: 'cooldown', retryAfterSeconds: Math.ceil((cooldownMs - (t - last)) / 1000) };
    }
    if (this.running.size >= this.options.maxConcurrent) return { ok: false, reason: 'busy', active: this.running.size };
    this.running.add(userId);
    this.lastStart.set(userId, t);
    this.pruneOld(t, cooldownMs);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.running.delete(userId);
      },
    };
  }

  // Entries older than the cooldown carry no information; dropping them bounds memory on busy servers.
  private pruneOld(t: number, cooldownMs: number) {
    if (this.lastStart.size < 1000) return;
    for (const [user, start] of this.lastStart) if (t - start >= cooldownMs) this.lastStart.delete(user);
  }
}

/** The sentence a refused user sees. */
export function refusalMessage(slot: Exclude<Slot, { ok: true }>): string {
  switch (slot.reason) {
    case 'cooldown':
      return `You are writing stories quickly; try again in ${slot.retryAfterSeconds} s.`;
    case 'running':
      return 'Your last story is still being written; try again when it has arrived.';
    case 'busy':
      return `The storyteller is busy with ${slot.active} stories; try again in a few seconds.`;
  }
}
