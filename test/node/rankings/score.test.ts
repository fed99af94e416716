// The ranking arithmetic alone (DESIGN.md "Daily ranking"): figures, rounding, the weighted mean over the metrics
// with data, and competition ranks — pure functions, so mutation testing (README) runs them in milliseconds.
import { describe, expect, it } from 'vitest';
import { competitionRanks, figure, METRIC_KEYS, METRIC_LABELS, roundedFigures, scoreX100, type Metrics } from '../../../src/rankings/score.ts';

const W = { V: 25, H: 20, T: 10, S: 20, A: 10, P: 5, G: 15 };
const none = (): Metrics => ({ V: null, H: null, T: null, S: null, A: null, P: null, G: null, C: null, U: null });

describe('figure', () => {
  it('is num/den with its extras, and null when there is nothing to divide', () => {
    expect(figure(1, 4)).toEqual({ num: 1, den: 4, value: 0.25 });
    expect(figure(0, 1, { overdue: 1 })).toEqual({ num: 0, den: 1, value: 0, overdue: 1 });
    expect(figure(3, 0)).toBeNull();
    expect(figure(3, -1)).toBeNull();
    expect(figure(3, Number.NaN)).toBeNull();
  });
});

describe('roundedFigures', () => {
  it('rounds every figure and extra to 4 decimals and keeps nulls', () => {
    const m = { ...none(), V: figure(1, 3, { visits: 2 / 3 }), H: figure(2, 3) };
    expect(roundedFigures(m)).toEqual({ ...none(), V: { num: 1, den: 3, value: 0.3333, visits: 0.6667 }, H: { num: 2, den: 3, value: 0.6667 } });
    expect(Object.keys(roundedFigures(m))).toEqual([...METRIC_KEYS]);
  });
});

describe('scoreX100', () => {
  it('is 0 with no data, and 100 × the value when one metric has data', () => {
    expect(scoreX100(none(), W)).toBe(0);
    expect(scoreX100({ ...none(), H: figure(1, 2) }, W)).toBe(5000);
  });

  it('is the weighted mean over the metrics with data, weights renormalised', () => {
    // (25×1 + 20×0.5) / 45 = 0.7777… → 77.78
    expect(scoreX100({ ...none(), V: figure(1, 1), H: figure(1, 2) }, W)).toBe(7778);
    // Every metric: (25×1 + 20×0 + 10×1 + 20×1 + 10×1 + 5×1 + 15×1) / 105 = 85/105 → 80.95
    const all = { V: figure(1, 1), H: figure(0, 1), T: figure(1, 1), S: figure(1, 1), A: figure(1, 1), P: figure(1, 1), G: figure(1, 1) };
    expect(scoreX100(all, W)).toBe(8095);
  });

  it('leaves out a metric weighted 0 or below, and one the weights do not name', () => {
    const m = { ...none(), V: figure(1, 1), H: figure(0, 1) };
    expect(scoreX100(m, { ...W, H: 0 })).toBe(10000);
    expect(scoreX100(m, { ...W, H: -5 })).toBe(10000);
    expect(scoreX100(m, { V: 1 } as typeof W)).toBe(10000);
    expect(scoreX100(m, { ...W, V: 0, H: 0 })).toBe(0);
  });

  it('rounds an exact half up, in spite of float noise', () => {
    // 100 × 1/8 = 12.5 → 1250; 0.123455 → 12.35 (not 12.34 from 1234.4999…)
    expect(scoreX100({ ...none(), S: figure(1, 8) }, W)).toBe(1250);
    expect(scoreX100({ ...none(), S: figure(0.123455, 1) }, W)).toBe(1235);
    expect(scoreX100({ ...none(), S: figure(0.123454, 1) }, W)).toBe(1235);
    expect(scoreX100({ ...none(), S: figure(0.123444, 1) }, W)).toBe(1234);
  });
});

describe('competitionRanks', () => {
  it('shares a rank between equal scores and skips the next (1, 2, 2, 4)', () => {
    const items = [{ s: 10 }, { s: 30 }, { s: 20 }, { s: 20 }, { s: 5 }];
    const ranks = competitionRanks(items, (x) => x.s);
    expect(items.map((i) => ranks.get(i))).toEqual([4, 1, 2, 2, 5]);
    const tied = [{ s: 1 }, { s: 1 }, { s: 1 }];
    const r2 = competitionRanks(tied, (x) => x.s);
    expect(tied.map((i) => r2.get(i))).toEqual([1, 1, 1]);
    expect(competitionRanks([], (x: number) => x).size).toBe(0);
  });

  it('does not reorder its input', () => {
    const items = [1, 3, 2];
    competitionRanks(items, (x) => x);
    expect(items).toEqual([1, 3, 2]);
  });
});

describe('labels', () => {
  it('name every metric in Chinese', () => {
    expect(METRIC_KEYS).toEqual(['V', 'H', 'T', 'S', 'A', 'P', 'G', 'C', 'U']);
    expect(METRIC_LABELS).toEqual({ V: '入户走访', H: '隐患整改', T: '按期销号', S: '满意度', A: '知晓率', P: '参与率', G: '任务完成', C: '巡逻覆盖', U: '宣传覆盖' });
  });
});
