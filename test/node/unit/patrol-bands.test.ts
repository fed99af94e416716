// R5 at its edges: a village or community under 1,000 people fields 7–10 red armbands, 1,000 or more 10–15;
// the office's own bands (campaign settings patrolSizes) are read the same way at each edge.
import { describe, expect, it } from 'vitest';
import { patrolFlag, patrolRule, type PatrolBands } from '../../../src/unit/patrol.ts';
import campaign from '../../../forms/campaign.ts';

const PLAN: PatrolBands = campaign.patrolSizes;
const THREE: PatrolBands = [
  { populationBelow: 500, min: 5, max: 7 },
  { populationBelow: 2000, min: 8, max: 12 },
  { populationBelow: null, min: 12, max: 20 },
];

describe('the patrol size rule (R5)', () => {
  it('is the plan’s: 7–10 up to 999 people, 10–15 from 1,000', () => {
    expect(PLAN).toEqual([
      { populationBelow: 1000, min: 7, max: 10 },
      { populationBelow: null, min: 10, max: 15 },
    ]);
    const cases: [number | null, { min: number; max: number }][] = [
      [0, { min: 7, max: 10 }],
      [999, { min: 7, max: 10 }],
      [1000, { min: 10, max: 15 }],
      [1001, { min: 10, max: 15 }],
      // Unknown population: the larger band, the safer ask.
      [null, { min: 10, max: 15 }],
    ];
    for (const [population, rule] of cases) expect(patrolRule(population, PLAN), String(population)).toEqual(rule);
  });

  it('flags a team one short or one over at each edge of each band, and passes the edges themselves', () => {
    const cases: [members: number, population: number, flag: string | null][] = [
      [6, 999, '人数不足：1000人以下的村（社区）应为 7–10 人，现有 6 人'],
      [7, 999, null],
      [10, 999, null],
      [11, 999, '人数超出：1000人以下的村（社区）应为 7–10 人，现有 11 人'],
      [9, 1000, '人数不足：1000人以上的村（社区）应为 10–15 人，现有 9 人'],
      [10, 1000, null],
      [15, 1000, null],
      [16, 1000, '人数超出：1000人以上的村（社区）应为 10–15 人，现有 16 人'],
    ];
    for (const [members, population, message] of cases) {
      expect(patrolFlag(members, population, PLAN)?.message ?? null, `${members} of ${population}`).toBe(message);
    }
    expect(patrolFlag(9, null, PLAN)).toEqual({ kind: 'small', min: 10, max: 15, message: '人数不足：该村（社区）应为 10–15 人，现有 9 人' });
  });

  it('reads the office’s own bands edge by edge', () => {
    const cases: [number, { min: number; max: number }][] = [
      [499, { min: 5, max: 7 }],
      [500, { min: 8, max: 12 }],
      [1999, { min: 8, max: 12 }],
      [2000, { min: 12, max: 20 }],
    ];
    for (const [population, rule] of cases) expect(patrolRule(population, THREE), String(population)).toEqual(rule);
    expect(patrolFlag(4, 499, THREE)?.message).toBe('人数不足：500人以下的村（社区）应为 5–7 人，现有 4 人');
    expect(patrolFlag(13, 1999, THREE)?.message).toBe('人数超出：2000人以下的村（社区）应为 8–12 人，现有 13 人');
    expect(patrolFlag(21, 2000, THREE)?.message).toBe('人数超出：2000人以上的村（社区）应为 12–20 人，现有 21 人');
    // Bands with no open top: a population past the last edge gets the last band.
    expect(patrolRule(5000, THREE.slice(0, 2))).toEqual({ min: 8, max: 12 });
  });
});
