// The Amdahl fit behind bench --amdahl: a serial fraction recovered from 1- and 2-thread times predicts
// the speed-ups the law gives, and the predicted ratio to PyTorch follows both systems' fits.
import { describe, expect, it } from 'vitest';
import { amdahlSpeedup, fitSerialFraction, predictScaling } from '../../src/bench/amdahl.ts';

describe('Amdahl fit', () => {
  it('recovers the serial fraction of a workload that follows the law', () => {
    for (const s of [0, 0.05, 0.2, 0.5, 1]) {
      const t1 = 3.7;
      const t2 = t1 * (s + (1 - s) / 2);
      expect(fitSerialFraction(t1, t2)).toBeCloseTo(s, 12);
    }
  });

  it('gives n-fold speed-up with nothing serial, none with everything serial, and 1/s at most', () => {
    expect(amdahlSpeedup(0, 8)).toBe(8);
    expect(amdahlSpeedup(1, 8)).toBe(1);
    expect(amdahlSpeedup(0.1, 16)).toBeCloseTo(1 / (0.1 + 0.9 / 16), 12);
    expect(amdahlSpeedup(0.1, 1e9)).toBeLessThan(10);
    // A superlinear pair (t2 < t1/2) fits below 0 and is read as perfectly parallel, never above n.
    expect(amdahlSpeedup(fitSerialFraction(1, 0.45), 4)).toBe(4);
  });

  it('refuses times that are not positive', () => {
    expect(() => fitSerialFraction(0, 1)).toThrow(RangeError);
    expect(() => fitSerialFraction(1, Number.NaN)).toThrow(RangeError);
  });

  it('predicts speed-ups, their ceiling and the ratio to PyTorch from one run', () => {
    // ours: 1.8× at 2 threads → s = 2/1.8 − 1 = 0.111…; PyTorch: 1.6× → s = 0.25.
    const p = predictScaling({ ours1: 10_000, ours2: 18_000, serialMeasured: 0.05, torch1: 15_000, torch2: 24_000 }, [4, 8]);
    expect(p.speedup2).toBeCloseTo(1.8, 12);
    expect(p.serialFitted).toBeCloseTo(1 / 9, 12);
    expect(p.predicted[4]).toBeCloseTo(1 / (1 / 9 + (8 / 9) / 4), 12);
    expect(p.ceiling![8]).toBeCloseTo(1 / (0.05 + 0.95 / 8), 12);
    expect(p.torchSerialFitted).toBeCloseTo(0.25, 12);
    expect(p.ratio![8]).toBeCloseTo((10 / 15) * (amdahlSpeedup(1 / 9, 8) / amdahlSpeedup(0.25, 8)), 12);
    expect(p.ratio![8]).toBeGreaterThan(p.ratio![4]);
  });

  it('leaves PyTorch out when it was not measured', () => {
    const p = predictScaling({ ours1: 1, ours2: 1.5 });
    expect(p.ratio).toBeUndefined();
    expect(Object.keys(p.predicted)).toEqual(['4', '8', '16']);
  });

  it('against the copies: a split that gets what two independent copies get has nothing serial; one that gets less has the difference', () => {
    // Two copies at once make 1.6× one copy; a split at 1.6× is as good as the machine allows.
    expect(predictScaling({ ours1: 100, ours2: 160, copies2: 1.6 }).serialVsCopies).toBeCloseTo(0, 12);
    // At 1.5× against copies at 1.6×, on whole cores it would have made 1.5 · 2 / 1.6 = 1.875×, so s = 2 / 1.875 − 1.
    const p = predictScaling({ ours1: 100, ours2: 150, copies2: 1.6 });
    expect(p.serialVsCopies).toBeCloseTo(2 / 1.875 - 1, 12);
    expect(p.predictedWholeCores![4]).toBeCloseTo(amdahlSpeedup(2 / 1.875 - 1, 4), 12);
    // Without copies there is no such figure.
    expect(predictScaling({ ours1: 100, ours2: 150 }).serialVsCopies).toBeUndefined();
  });
});
