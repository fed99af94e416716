// Rankings at district scale: the daily snapshot's time next to one plain GROUP BY over the same visits table.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/index.ts';
import { migrateDb, openNodeDb } from '../src/runtime/node/db.ts';
import { computeSnapshot } from '../src/rankings/index.ts';
import campaign from '../forms/campaign.ts';
import type { Bench } from './types.ts';

export const SIZES = {
  units: 600,
  towns: 30,
  departments: 40,
  cadres: 5_000,
  visits: 400_000,
  hazards: 50_000,
  feedback: 200_000,
  taskReports: 20_000,
};
const DAYS = 33; // 2014-10-29 … 2014-11-30
const SNAPSHOT_DAY = '2014-11-20';
const RUNS = 5;

/** `WITH RECURSIVE seq(i)` of 1..n, the row source of every bulk insert below. */
const seq = (n: number) => sql.raw(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`);
/** The ranked unit (town t1…t30 or department d1…d40) that row i belongs to. */
const rankedUnit = (expr: string) =>
  sql.raw(`(CASE WHEN (${expr}) % 70 < 30 THEN 't' || ((${expr}) % 70 + 1) ELSE 'd' || ((${expr}) % 70 - 29) END)`);
const day = (expr: string) => sql.raw(`date('${campaign.startDate}', '+' || ((${expr}) % ${DAYS}) || ' days')`);

export async function build(db: Db) {
  const villages = SIZES.units - 1 - SIZES.towns - SIZES.departments;
  await db.run(sql`INSERT INTO units (code, name, kind, parent_code) VALUES ('office', '区综治办', 'office', NULL)`);
  await db.run(sql`${seq(SIZES.towns)} INSERT INTO units (code, name, kind, parent_code)
    SELECT 't' || i, '镇街' || i, CASE i % 2 WHEN 0 THEN 'subdistrict' ELSE 'town' END, 'office' FROM seq`);
  await db.run(sql`${seq(SIZES.departments)} INSERT INTO units (code, name, kind, parent_code)
    SELECT 'd' || i, '部门' || i, 'department', 'office' FROM seq`);
  await db.run(sql`${seq(villages)} INSERT INTO units (code, name, kind, parent_code, population)
    SELECT 'v' || i, '村社区' || i, CASE i % 3 WHEN 0 THEN 'community' ELSE 'village' END, 't' || ((i - 1) % ${SIZES.towns} + 1), 500 + i * 7 % 2500 FROM seq`);
  await db.run(sql`${seq(SIZES.cadres)} INSERT INTO cadres (id, unit_code, name, post, role, active, created_at)
    SELECT i, ${rankedUnit('i')}, '干部' || i, '', CASE WHEN i % 50 = 0 THEN 'district_leader' WHEN i % 7 = 0 THEN 'unit_leader' ELSE 'cadre' END,
      i % 40 <> 0, 0 FROM seq`);
  // Visits: cadre i*7919 mod 5000, attributed to the cadre's ranked unit, with the three questions answered.
  await db.run(sql`${seq(SIZES.visits)} INSERT INTO submissions
    (form_id, form_version, unit_code, rollup_code, source, created_at, day, payload, receipt, cadre_id, satisfaction, aware, participated)
    SELECT 'household-visit', 1, ${rankedUnit('(i * 7919) % 5000 + 1')}, ${rankedUnit('(i * 7919) % 5000 + 1')}, 'unit', 0, ${day('i * 31')}, '{}', 'V' || i,
      (i * 7919) % 5000 + 1,
      CASE i % 10 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'unknown' WHEN 2 THEN 'basically_satisfied' ELSE 'satisfied' END,
      i % 4 <> 0, i % 3 <> 0 FROM seq`);
  // Resident feedback from villages (rolled up to their town) and departments.
  await db.run(sql`${seq(SIZES.feedback)} INSERT INTO submissions
    (form_id, form_version, unit_code, rollup_code, source, created_at, day, payload, receipt, satisfaction, aware, participated, deleted_at)
    SELECT 'mass-feedback', 1,
      CASE WHEN i % 5 = 0 THEN 'd' || (i % ${SIZES.departments} + 1) ELSE 'v' || (i % ${villages} + 1) END,
      CASE WHEN i % 5 = 0 THEN 'd' || (i % ${SIZES.departments} + 1) ELSE 't' || ((i % ${villages}) % ${SIZES.towns} + 1) END,
      'public', 0, ${day('i * 17')}, '{}', 'F' || i,
      CASE i % 7 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'basically_satisfied' ELSE 'satisfied' END, i % 5 <> 1, i % 2,
      CASE WHEN i % 500 = 0 THEN 1 END FROM seq`);
  await db.run(sql`${seq(SIZES.taskReports)} INSERT INTO submissions
    (form_id, form_version, unit_code, rollup_code, source, created_at, day, payload, receipt, task_id, quantity)
    SELECT 'task-report', 1, 't' || (i % ${SIZES.towns} + 1), 't' || (i % ${SIZES.towns} + 1), 'unit', 0, ${day('i * 13')}, '{}', 'T' || i,
      CASE i % 3 WHEN 0 THEN 'towns-publicity-boards' WHEN 1 THEN 'towns-wall-slogans' ELSE 'towns-volunteer-patrols' END, 1 + i % 3 FROM seq`);
  // Hazards: a third closed (most on time), a few duplicates, the rest open with a deadline a week out.
  await db.run(sql`${seq(SIZES.hazards)} INSERT INTO hazards
    (number, source, category, place, lead_unit_code, state, deadline, closed_day, closed_on_time, duplicate_of, created_at, day, updated_at)
    SELECT 'YH-' || i, CASE i % 2 WHEN 0 THEN 'tip' ELSE 'ledger' END, 'rental', '某处', ${rankedUnit('i * 13')},
      CASE WHEN i % 50 = 0 THEN 'duplicate' WHEN i % 3 = 0 THEN 'closed' ELSE 'assigned' END,
      date(${day('i * 11')}, '+7 days'),
      CASE WHEN i % 3 = 0 AND i % 50 <> 0 THEN date(${day('i * 11')}, '+' || (i % 10) || ' days') END,
      CASE WHEN i % 3 = 0 AND i % 50 <> 0 THEN i % 10 <= 7 END,
      CASE WHEN i % 50 = 0 THEN 1 END, 0, ${day('i * 11')}, 0 FROM seq`);
  await db.run(sql`ANALYZE`);
}

const timed = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return Math.round((performance.now() - t) * 10) / 10;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a and b alternately, so load from other processes falls on both sides of the ratio alike. */
async function interleaved(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < runs; r++) {
    ta.push(await timed(a));
    tb.push(await timed(b));
  }
  return { a: { ms: median(ta), all: ta }, b: { ms: median(tb), all: tb } };
}

const bench: Bench = {
  name: 'rankings',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'pingan-bench-'));
    const db = await openNodeDb(`file:${join(dir, 'bench.db')}`);
    try {
      await migrateDb(db);
      const buildMs = Math.round(await timed(() => build(db)));
      log(`built ${SIZES.units} units, ${SIZES.cadres} cadres, ${SIZES.visits} visits, ${SIZES.feedback} feedback answers, ${SIZES.hazards} hazards in ${buildMs} ms`);

      const baselineSql = sql`SELECT cadre_id, count(*) FROM submissions WHERE form_id = 'household-visit' GROUP BY cadre_id`;
      const deps = { db, now: () => new Date() };
      // Warm both once so neither pays for a cold page cache.
      await db.all(baselineSql);
      const rows = await computeSnapshot(deps, SNAPSHOT_DAY);
      const { a: baseline, b: snapshot } = await interleaved(RUNS, () => db.all(baselineSql), () => computeSnapshot(deps, SNAPSHOT_DAY));
      const ratio = Math.round((snapshot.ms / baseline.ms) * 100) / 100;
      log(`baseline GROUP BY over visits: ${baseline.ms} ms (median of ${RUNS}: ${baseline.all.join(', ')})`);
      log(`snapshot of ${SNAPSHOT_DAY} (${rows.length} units): ${snapshot.ms} ms (median of ${RUNS}: ${snapshot.all.join(', ')})`);
      log(`ratio snapshot / baseline: ${ratio}× (aim ≤ 3×); load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
      return {
        sizes: SIZES,
        buildMs,
        day: SNAPSHOT_DAY,
        rankedUnits: rows.length,
        baselineMs: baseline.ms,
        snapshotMs: snapshot.ms,
        ratio,
        aim: 3,
        loadAverage: loadavg(),
        runs: { baseline: baseline.all, snapshot: snapshot.all },
      };
    } finally {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
