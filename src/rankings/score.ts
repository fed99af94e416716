// The ranking arithmetic of DESIGN.md "Daily ranking": a weighted mean over the metrics that have data, and shared ranks.
import type { MetricKey, MetricWeights, OptionalMetricKey } from '../forms/types.ts';

export const METRIC_KEYS: readonly MetricKey[] = ['V', 'H', 'T', 'S', 'A', 'P', 'G', 'C', 'U'];
/** Metrics a campaign may leave unweighted (0): shown only where they are weighted. */
export const OPTIONAL_METRIC_KEYS: readonly OptionalMetricKey[] = ['C', 'U'];

export const METRIC_LABELS: Readonly<Record<MetricKey, string>> = {
  V: '入户走访',
  H: '隐患整改',
  T: '按期销号',
  S: '满意度',
  A: '知晓率',
  P: '参与率',
  G: '任务完成',
  C: '巡逻覆盖',
  U: '宣传覆盖',
};

/** One metric of one unit: value = num / den. Extra counts (visits, overdue…) explain num and den to people. */
export interface MetricFigure {
  num: number;
  den: number;
  value: number;
  [extra: string]: number;
}

/** A metric is null when its denominator is 0: there is nothing to judge, so it is left out of the score. */
export type Metrics = Record<Exclude<MetricKey, OptionalMetricKey>, MetricFigure | null> & Partial<Record<OptionalMetricKey, MetricFigure | null>>;

/** An exact figure; the score is computed from these, and roundedFigures() prepares them for people and storage. */
export function figure(num: number, den: number, extra: Record<string, number> = {}): MetricFigure | null {
  if (!(den > 0)) return null;
  return { num, den, value: num / den, ...extra };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The figures to 4 decimals (V and G numerators are sums of fractions), for the snapshot and the API. */
export function roundedFigures(metrics: Metrics): Metrics {
  const out = {} as Metrics;
  for (const k of METRIC_KEYS) {
    const m = metrics[k] ?? null;
    out[k] = m ? (Object.fromEntries(Object.entries(m).map(([key, v]) => [key, round4(v)])) as MetricFigure) : null;
  }
  return out;
}

/**
 * Score × 100 as an integer (the stored form): 100 × Σ wᵢmᵢ / Σ wᵢ over the metrics with data,
 * rounded to 2 decimals. Pass exact figures (not roundedFigures) so rounding happens once.
 */
export function scoreX100(metrics: Metrics, weights: MetricWeights): number {
  let sum = 0;
  let wsum = 0;
  for (const k of METRIC_KEYS) {
    const m = metrics[k];
    const w = weights[k] ?? 0;
    if (!m || w <= 0) continue;
    sum += w * (m.num / m.den);
    wsum += w;
  }
  if (wsum === 0) return 0;
  // toFixed(6) first so 1234.4999999997 (float noise for an exact .5) rounds the way a person would.
  return Math.round(Number(((10_000 * sum) / wsum).toFixed(6)));
}

/** Competition ranking: equal scores share a rank and the next rank skips (1, 2, 2, 4). */
export function competitionRanks<T>(items: readonly T[], score: (item: T) => number): Map<T, number> {
  const sorted = [...items].sort((a, b) => score(b) - score(a));
  const ranks = new Map<T, number>();
  sorted.forEach((item, i) => {
    const prev = sorted[i - 1];
    ranks.set(item, prev !== undefined && score(prev) === score(item) ? ranks.get(prev)! : i + 1);
  });
  return ranks;
}
