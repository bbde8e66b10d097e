import { describe, expect, it } from 'vitest';
import { sawSelfReport, splitSentences } from '../../src/corpus/saw-check.ts';

describe('splitSentences', () => {
  it('ends sentences at . ! ? and at line breaks', () => {
    expect(splitSentences('Doug saw Jane. Run, Spot, run!\nWhere is Puff?\nSee Spot')).toEqual([
      'Doug saw Jane.',
      'Run, Spot, run!',
      'Where is Puff?',
      'See Spot',
    ]);
  });

  it('keeps a closing quote with its sentence and skips punctuation-only fragments', () => {
    expect(splitSentences('"Oh, Jane." ... said Doug.')).toEqual(['"Oh, Jane."', 'said Doug.']);
  });
});

describe('sawSelfReport', () => {
  it('counts sentences, saw sentences and self-saw sentences', () => {
    const report = sawSelfReport('Doug saw Jane. Jane saw Jane. See Spot run. Spot saw Spot!');
    expect(report.sentences).toBe(4);
    expect(report.sawSentences).toBe(3);
    expect(report.selfSaw).toBe(2);
    expect(report.rate).toBeCloseTo(2 / 3, 12);
  });

  it('compares the two names case-insensitively', () => {
    expect(sawSelfReport('jane saw Jane.').selfSaw).toBe(1);
  });

  it('ignores saw sentences whose object is not a single name', () => {
    const report = sawSelfReport('Doug saw the ball. Then Jane saw Jane and Doug.');
    expect(report.sawSentences).toBe(0);
    expect(report.selfSaw).toBe(0);
  });

  it('counts a self-saw sentence inside quotation marks', () => {
    const report = sawSelfReport('"Puff saw Puff." said Sally.');
    expect(report.selfSaw).toBe(1);
    expect(report.examples).toEqual(['"Puff saw Puff."']);
  });

  it('reports a rate of 0 when there are no saw sentences', () => {
    const report = sawSelfReport('See Spot run. Oh, oh!');
    expect(report).toMatchObject({ sentences: 2, sawSentences: 0, selfSaw: 0, rate: 0 });
  });

  it('handles empty text', () => {
    expect(sawSelfReport('')).toEqual({ sentences: 0, sawSentences: 0, selfSaw: 0, rate: 0, examples: [] });
  });

  it('lists at most five distinct examples', () => {
    const names = ['Ann', 'Bob', 'Cat', 'Dan', 'Eve', 'Fay'];
    const text = names.map((n) => `${n} saw ${n}. ${n} saw ${n}.`).join(' ');
    const report = sawSelfReport(text);
    expect(report.selfSaw).toBe(12);
    expect(report.examples).toEqual(names.slice(0, 5).map((n) => `${n} saw ${n}.`));
  });
});
