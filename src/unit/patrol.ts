// R5: a red-armband team's size against the rule for its village or community's population.
import campaign from '../../forms/campaign.ts';

export interface PatrolRule {
  min: number;
  max: number;
}

/** The size a team should have; without a known population the larger band applies (the safer ask). */
export function patrolRule(population: number | null | undefined): PatrolRule {
  for (const band of campaign.patrolSizes) {
    if (band.populationBelow === null || (population != null && population < band.populationBelow)) return { min: band.min, max: band.max };
  }
  const last = campaign.patrolSizes[campaign.patrolSizes.length - 1]!;
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
export function patrolFlag(members: number, population: number | null | undefined): PatrolFlag | null {
  const rule = patrolRule(population);
  const who = population == null ? '该村（社区）' : population < 1000 ? '1000人以下的村（社区）' : '1000人以上的村（社区）';
  if (members < rule.min) return { kind: 'small', ...rule, message: `人数不足：${who}应为 ${rule.min}–${rule.max} 人，现有 ${members} 人` };
  if (members > rule.max) return { kind: 'large', ...rule, message: `人数超出：${who}应为 ${rule.min}–${rule.max} 人，现有 ${members} 人` };
  return null;
}
