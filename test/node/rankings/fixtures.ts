// A tiny hand-computable district for the rankings tests: rows inserted straight into the tables.
import { cadres, hazards, submissions, units } from '../../../src/db/schema.ts';
import type { Db } from '../../../src/db/index.ts';
import { dayStartMs, shanghaiDay } from '../../../src/lib/time.ts';
import type { RankingRules } from '../../../src/rankings/index.ts';
import campaign from '../../../forms/campaign.ts';

export const RULES: RankingRules = {
  campaignId: 0,
  startDate: campaign.startDate,
  weights: campaign.rankingWeights,
  quotas: campaign.visitQuotas,
  tasks: [
    { id: 'towns-x', owner: 'towns', title: 'x', rule: 'R4', unitLabel: '处', target: 10 },
    { id: 'towns-y', owner: 'towns', title: 'y', rule: 'R4', unitLabel: '条', target: 4 },
    { id: 'dx-task', owner: 'd-x', title: 'd', rule: 'R20', unitLabel: '次', target: 4 },
  ],
};

export async function insertOrg(db: Db) {
  await db.insert(units).values([
    { code: 'office', name: '区综治办', kind: 'office' },
    { code: 't-a', name: '甲镇', kind: 'town', parentCode: 'office' },
    { code: 't-b', name: '乙街道', kind: 'subdistrict', parentCode: 'office' },
    { code: 't-c', name: '丙镇', kind: 'town', parentCode: 'office' },
    { code: 't-d', name: '丁镇', kind: 'town', parentCode: 'office' },
    { code: 'v-a1', name: '甲一村', kind: 'village', parentCode: 't-a' },
    { code: 'd-x', name: '戊局', kind: 'department', parentCode: 'office' },
    { code: 'd-y', name: '己局', kind: 'department', parentCode: 'office' },
  ]);
  await db.insert(cadres).values([
    { id: 1, unitCode: 't-a', name: '干部一', role: 'cadre', createdAt: 0 },
    { id: 2, unitCode: 't-a', name: '干部二', role: 'district_leader', createdAt: 0 },
    // Inactive cadres do not count.
    { id: 3, unitCode: 't-a', name: '已调离', role: 'cadre', active: false, createdAt: 0 },
  ]);
}

let seq = 0;

/** A submission at an instant; day is its Asia/Shanghai day, as the forms engine stores it. */
export async function insertSubmission(
  db: Db,
  row: Partial<typeof submissions.$inferInsert> & { formId: string; at: number | string },
) {
  const { at, ...rest } = row;
  const ms = typeof at === 'number' ? at : Date.parse(at);
  seq += 1;
  await db.insert(submissions).values({
    formVersion: 1,
    source: 'unit',
    createdAt: ms,
    day: shanghaiDay(ms),
    payload: '{}',
    receipt: `R${seq}-${Math.random().toString(36).slice(2)}`,
    ...rest,
  });
}

/** Noon (Beijing time) of a day. */
export const noon = (day: string) => dayStartMs(day) + 12 * 3600_000;

export async function insertVisits(db: Db, cadreId: number, unitCode: string, n: number, day = '2014-11-01') {
  const rows = Array.from({ length: n }, (_, i) => ({
    formId: 'household-visit',
    formVersion: 1,
    unitCode,
    rollupCode: unitCode,
    source: 'unit' as const,
    createdAt: noon(day),
    day,
    payload: '{}',
    receipt: `V${cadreId}-${day}-${i}-${Math.random().toString(36).slice(2)}`,
    cadreId,
  }));
  await db.insert(submissions).values(rows);
}

/**
 * t-a: V = (20/80 + min(30/30,1)) / 2 = 0.625; answers S 2/4, A 3/4, P 1/4 (one of them on a visit);
 * tasks towns-x 5/10, towns-y min(6/4,1) → G 0.75; no hazards → H and T left out.
 * t-b, t-c: towns-x 10/10 only → G 0.5, nothing else. t-d: nothing (G 0).
 * d-x: hazards (see insertHazards), dx-task 1/4. d-y: nothing at all.
 */
export async function insertActivity(db: Db) {
  await insertVisits(db, 1, 't-a', 19);
  await insertVisits(db, 2, 't-a', 30);
  await insertVisits(db, 3, 't-a', 80); // the inactive cadre: ignored
  await insertSubmission(db, {
    formId: 'household-visit', at: noon('2014-11-01'), unitCode: 'v-a1', rollupCode: 't-a', cadreId: 1,
    satisfaction: 'satisfied', aware: true, participated: true,
  });
  const feedback = [
    { satisfaction: 'basically_satisfied', aware: true, participated: false },
    { satisfaction: 'dissatisfied', aware: true, participated: false },
    { satisfaction: 'unknown', aware: false, participated: false },
  ];
  for (const f of feedback) {
    await insertSubmission(db, { formId: 'mass-feedback', source: 'public', at: noon('2014-11-02'), unitCode: 'v-a1', rollupCode: 't-a', ...f });
  }
  // A deleted answer does not count.
  await insertSubmission(db, {
    formId: 'mass-feedback', source: 'public', at: noon('2014-11-02'), unitCode: 'v-a1', rollupCode: 't-a',
    satisfaction: 'dissatisfied', aware: false, participated: false, deletedAt: noon('2014-11-03'),
  });
  await insertSubmission(db, { formId: 'task-report', at: noon('2014-11-01'), unitCode: 't-a', rollupCode: 't-a', taskId: 'towns-x', quantity: 5 });
  await insertSubmission(db, { formId: 'task-report', at: noon('2014-11-01'), unitCode: 't-a', rollupCode: 't-a', taskId: 'towns-y', quantity: 6 });
  for (const u of ['t-b', 't-c']) {
    await insertSubmission(db, { formId: 'task-report', at: noon('2014-11-01'), unitCode: u, rollupCode: u, taskId: 'towns-x', quantity: 10 });
  }
  await insertSubmission(db, { formId: 'task-report', at: noon('2014-11-01'), unitCode: 'd-x', rollupCode: 'd-x', taskId: 'dx-task', quantity: 1 });
  await insertHazards(db);
}

let hazardSeq = 0;
async function hazard(db: Db, h: Partial<typeof hazards.$inferInsert> & { day: string }) {
  hazardSeq += 1;
  await db.insert(hazards).values({
    number: `YH-TEST-${hazardSeq}-${Math.random().toString(36).slice(2)}`,
    source: 'ledger',
    category: 'rental',
    place: '某处',
    leadUnitCode: 'd-x',
    state: 'rectifying',
    createdAt: noon(h.day),
    updatedAt: noon(h.day),
    ...h,
  });
}

/**
 * d-x leads: h1 closed 11-03 by its deadline 11-05; h2 deadline 11-03, closed late on 11-06;
 * h3 open, deadline 11-10; a duplicate, a not-a-hazard and one reported after the day are left out.
 * End of 11-06: H 2/3, T 1/(2+0). End of 11-04: H 1/3, T 1/(1 + h2 overdue) = 1/2.
 */
export async function insertHazards(db: Db) {
  await hazard(db, { day: '2014-11-01', deadline: '2014-11-05', state: 'closed', closedDay: '2014-11-03', closedOnTime: true });
  await hazard(db, { day: '2014-11-01', deadline: '2014-11-03', state: 'closed', closedDay: '2014-11-06', closedOnTime: false });
  await hazard(db, { day: '2014-11-02', deadline: '2014-11-10', state: 'rectifying' });
  await hazard(db, { day: '2014-11-02', deadline: '2014-11-03', state: 'duplicate', duplicateOf: 1, closedDay: '2014-11-02' });
  await hazard(db, { day: '2014-11-02', state: 'not_a_hazard', closedDay: '2014-11-02' });
  await hazard(db, { day: '2014-11-07', deadline: '2014-11-08', state: 'rectifying' });
}
