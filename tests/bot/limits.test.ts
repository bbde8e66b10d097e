import { describe, expect, test } from 'vitest';
import { GenerationLimits, refusalMessage, type Slot } from '../../src/discord/limits.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function refused(slot: Slot) {
  if (slot.ok) throw new Error('expected a refusal');
  return slot;
}

describe('GenerationLimits', () => {
  test('a user may start again once the cooldown has passed', () => {
    const c = clock();
    const limits = new GenerationLimits({ cooldownSeconds: 10, maxConcurrent: 5, now: c.now });
    const first = limits.acquire('u1');
    expect(first.ok).toBe(true);
    if (first.ok) first.release();
    c.advance(10_000);
    expect(limits.acquire('u1').ok).toBe(true);
  });

  test('within the cooldown the user is told how many seconds to wait, rounded up', () => {
    const c = clock();
    const limits = new GenerationLimits({ cooldownSeconds: 10, maxConcurrent: 5, now: c.now });
    const first = limits.acquire('u1');
    if (first.ok) first.release();
    c.advance(2_500);
    const slot = refused(limits.acquire('u1'));
    expect(slot).toEqual({ ok: false, reason: 'cooldown', retryAfterSeconds: 8 });
    expect(refusalMessage(slot)).toMatch(/try again in 8 s/);
  });

  test('the cooldown of one user does not affect another', () => {
    const c = clock();
    const limits = new GenerationLimits({ cooldownSeconds: 10, maxConcurrent: 5, now: c.now });
    limits.acquire('u1');
    expect(limits.acquire('u2').ok).toBe(true);
  });

  test('a user cannot run two stories at once, even without a cooldown', () => {
    const limits = new GenerationLimits({ cooldownSeconds: 0, maxConcurrent: 5 });
    expect(limits.acquire('u1').ok).toBe(true);
    expect(refused(limits.acquire('u1')).reason).toBe('running');
  });

  test('the global cap refuses new stories while the cap is reached', () => {
    const limits = new GenerationLimits({ cooldownSeconds: 0, maxConcurrent: 2 });
    limits.acquire('a');
    limits.acquire('b');
    const slot = refused(limits.acquire('c'));
    expect(slot.reason).toBe('busy');
    expect(refusalMessage(slot)).toMatch(/try again/);
  });

  test('releasing a slot frees it for someone else', () => {
    const limits = new GenerationLimits({ cooldownSeconds: 0, maxConcurrent: 1 });
    const a = limits.acquire('a');
    expect(limits.acquire('b').ok).toBe(false);
    if (a.ok) a.release();
    expect(limits.acquire('b').ok).toBe(true);
    expect(limits.active).toBe(1);
  });

  test('releasing twice does not free a second slot', () => {
    const limits = new GenerationLimits({ cooldownSeconds: 0, maxConcurrent: 2 });
    const a = limits.acquire('a');
    limits.acquire('b');
    if (a.ok) {
      a.release();
      a.release();
    }
    expect(limits.active).toBe(1);
  });

  test('a refused request does not restart the cooldown', () => {
    const c = clock();
    const limits = new GenerationLimits({ cooldownSeconds: 10, maxConcurrent: 5, now: c.now });
    const first = limits.acquire('u1');
    if (first.ok) first.release();
    c.advance(9_000);
    limits.acquire('u1');
    c.advance(1_000);
    expect(limits.acquire('u1').ok).toBe(true);
  });
});
