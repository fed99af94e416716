// R5: a red-armband team's size against the rule for its village or community's population.
import type { Campaign } from '../forms/types.ts';

export type PatrolBands = Campaign['patrolSizes'];

export interface PatrolRule {
  min: number;
  max: number;
}

/** "1000人以下" / "1000人以上": the population band as the plan words it. */
function bandLabel(population: number, bands: PatrolBands): string {
  for (let i = 0; i < bands.length; i++) {
    const below = bands[i]!.populationBelow;
    if (below === null) return i > 0 ? `${bands[i - 1]!.populationBelow}人以上` : '';
    if (population < below) return `${below}人以下`;
  }
  return '';
}

/** The size a team should have; without a known population the larger band applies (the safer ask). */
export function patrolRule(population: number | null | undefined, bands: PatrolBands): PatrolRule {
  for (const band of bands) {
    if (band.populationBelow === null || (population != null && population < band.populationBelow)) return { min: band.min, max: band.max };
  }
  const last = bands[bands.length - 1]!;
  return { min: last.min, max: last.max };
}

export interface PatrolFlag {
  /** 'small' or 'large': which side of the rule the team is on. */
  kind: 'small' | 'large';
  min: number;
  max: number;
  message: string;
}

/** A flag when members are outside the rule, null when the team fits. */
export function patrolFlag(members: number, population: number | null | undefined, bands: PatrolBands): PatrolFlag | null {
  const rule = patrolRule(population, bands);
  const who = population == null ? '该村（社区）' : `${bandLabel(population, bands)}的村（社区）`;
  if (members < rule.min) return { kind: 'small', ...rule, message: `人数不足：${who}应为 ${rule.min}–${rule.max} 人，现有 ${members} 人` };
  if (members > rule.max) return { kind: 'large', ...rule, message: `人数超出：${who}应为 ${rule.min}–${rule.max} 人，现有 ${members} 人` };
  return null;
}
