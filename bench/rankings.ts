// Rankings at district and city scale: the daily snapshot (read from the rollups) next to the physical reference, one
// covering-index GROUP BY over the district's visits, and the rows each snapshot reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/index.ts';
import { migrateDb, openNodeDb } from '../src/runtime/node/db.ts';
import { computeSnapshot, DEFAULT_RULES } from '../src/rankings/index.ts';
import { rebuildRollups } from '../src/rankings/rollups.ts';
import { ROLLUP_TRIGGERS } from '../src/rankings/rollup-sql.ts';
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
  // Visits: cadre i*7919 mod 5000, attributed to the cadre's ranked unit, with the three questions answered and the
  // answers as a liaison's entry stores them (the almanac task counts the visits that handed one over).
  await db.run(sql`${seq(SIZES.visits)} INSERT INTO submissions
    (form_id, form_version, unit_code, rollup_code, source, created_at, day, payload, receipt, cadre_id, satisfaction, aware, participated)
    SELECT 'household-visit', 1, ${rankedUnit('(i * 7919) % 5000 + 1')}, ${rankedUnit('(i * 7919) % 5000 + 1')}, 'unit', 0, ${day('i * 31')},
      json_object('cadre', (i * 7919) % 5000 + 1, 'visitDate', ${day('i * 31')}, 'place', 'v' || (i % 400 + 1), 'almanac', json(CASE WHEN i % 5 <> 0 THEN 'true' ELSE 'false' END),
        'aware', json(CASE WHEN i % 4 <> 0 THEN 'true' ELSE 'false' END), 'participated', json(CASE WHEN i % 3 <> 0 THEN 'true' ELSE 'false' END),
        'satisfaction', CASE i % 10 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'unknown' WHEN 2 THEN 'basically_satisfied' ELSE 'satisfied' END,
        'opinions', CASE WHEN i % 6 = 0 THEN '希望多开展夜间巡逻，村口路灯需要维修。' ELSE '' END),
      'V' || i,
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

/**
 * Rows a snapshot of `day` reads, counted as the rows in the FROM set of each of its queries with the same WHERE
 * (the embedded libSQL exposes no engine counter, and the local HTTP server's rows_read counts rows returned):
 * every unit and cadre (one row each), the cadres' visit rows, the answer, task and hazard rows of the days, and
 * the register entries the register-sourced tasks still read raw.
 */
export async function snapshotRowsRead(db: Db, day: string) {
  const from = DEFAULT_RULES.startDate;
  const forms = [...new Set(DEFAULT_RULES.tasks.flatMap((t) => (t.from ? [t.from.form] : [])))];
  const inDays = sql`day BETWEEN ${from} AND ${day}`;
  const [row] = await db.all<Record<string, number>>(sql`SELECT
    (SELECT count(*) FROM units) AS units,
    (SELECT count(*) FROM cadres) AS cadres,
    (SELECT count(*) FROM rollup_visits WHERE ${inDays} AND cadre_id IN (SELECT id FROM cadres WHERE active = 1)) AS rollupVisits,
    (SELECT count(*) FROM rollup_answers WHERE ${inDays}) AS rollupAnswers,
    (SELECT count(*) FROM rollup_task_reports WHERE ${inDays}) AS rollupTaskReports,
    (SELECT count(*) FROM rollup_hazards WHERE ${inDays}) AS rollupHazards,
    (SELECT count(*) FROM submissions WHERE form_id IN (${sql.join(forms.map((f) => sql`${f}`), sql`, `)}) AND deleted_at IS NULL AND ${inDays}) AS registerRows`);
  const parts = Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

/** `SIZES` times ten: a city of ten districts, generated straight into units, cadres and the rollups (no raw rows: the snapshot reads none). */
export const CITY = { units: 6_000, towns: 300, departments: 400, cadres: 50_000, visits: 4_000_000, hazards: 500_000, feedback: 2_000_000 };

async function buildCity(db: Db) {
  const villages = CITY.units - 1 - CITY.towns - CITY.departments;
  const ranked = CITY.towns + CITY.departments;
  const rankedOf = (e: string) => sql.raw(`(CASE WHEN (${e}) % ${ranked} < ${CITY.towns} THEN 't' || ((${e}) % ${ranked} + 1) ELSE 'd' || ((${e}) % ${ranked} - ${CITY.towns - 1}) END)`);
  await db.run(sql`INSERT INTO units (code, name, kind, parent_code) VALUES ('office', '区综治办', 'office', NULL)`);
  await db.run(sql`${seq(CITY.towns)} INSERT INTO units (code, name, kind, parent_code) SELECT 't' || i, '镇街' || i, 'town', 'office' FROM seq`);
  await db.run(sql`${seq(CITY.departments)} INSERT INTO units (code, name, kind, parent_code) SELECT 'd' || i, '部门' || i, 'department', 'office' FROM seq`);
  await db.run(sql`${seq(villages)} INSERT INTO units (code, name, kind, parent_code) SELECT 'v' || i, '村社区' || i, 'village', 't' || ((i - 1) % ${CITY.towns} + 1) FROM seq`);
  await db.run(sql`${seq(CITY.cadres)} INSERT INTO cadres (id, unit_code, name, post, role, active, created_at)
    SELECT i, ${rankedOf('i')}, '干部' || i, '', CASE WHEN i % 50 = 0 THEN 'district_leader' WHEN i % 7 = 0 THEN 'unit_leader' ELSE 'cadre' END, i % 40 <> 0, 0 FROM seq`);
  // CITY.visits spread over cadre-days as the district's are: about 80 a cadre over the campaign's 33 days (2.43 a day).
  await db.run(sql`${seq(CITY.cadres * DAYS)} INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT (i - 1) / ${sql.raw(String(DAYS))} + 1, ${day('i - 1')}, 2 + (i % 7 < 3) FROM seq`);
  await db.run(sql`${seq(ranked * DAYS)} INSERT INTO rollup_answers (unit, day, s_num, s_den, a_num, a_den, p_num, p_den)
    SELECT ${rankedOf('(i - 1) / ' + DAYS)}, ${day('i - 1')}, 70, ${Math.round((CITY.visits + CITY.feedback) / ranked / DAYS)}, 60, 90, 40, 90 FROM seq`);
  await db.run(sql`${seq(CITY.towns * DAYS * 3)} INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT 't' || ((i - 1) / ${sql.raw(String(DAYS * 3))} + 1), CASE i % 3 WHEN 0 THEN 'towns-law-lectures' WHEN 1 THEN 'towns-volunteer-patrols' ELSE 'towns-deputy-briefings' END, ${day('(i - 1) / 3')}, 2 FROM seq`);
  // The hazards grouped as the triggers group them: lead unit, day, deadline, close day, on time, waiting.
  await db.run(sql`${seq(CITY.hazards)} INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT ${rankedOf('i * 13')}, ${day('i * 11')}, date(${day('i * 11')}, '+7 days'),
      CASE WHEN i % 3 = 0 THEN date(${day('i * 11')}, '+' || (i % 10) || ' days') ELSE '' END,
      i % 3 = 0 AND i % 10 <= 7, i % 5 = 0 AND i % 3 <> 0, count(*)
    FROM seq WHERE i % 50 <> 0 GROUP BY 1, 2, 3, 4, 5, 6`);
  await db.run(sql`ANALYZE`);
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-bench-'));
  const db = await openNodeDb(`file:${join(dir, 'bench.db')}`);
  try {
    await migrateDb(db);
    return await fn(db);
  } finally {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = {
  name: 'rankings',
  async run(log) {
    const district = await withDb(async (db) => {
      // Bulk generation without the triggers (row by row they would take minutes), then the rollups rebuilt and the triggers put back.
      for (const name of ROLLUP_TRIGGERS.map((t) => /CREATE TRIGGER (\w+)/.exec(t)![1])) await db.run(sql.raw(`DROP TRIGGER ${name}`));
      const buildMs = Math.round(await timed(() => build(db)));
      const rebuildMs = Math.round(await timed(() => rebuildRollups(db)));
      for (const t of ROLLUP_TRIGGERS) await db.run(sql.raw(t));
      log(`district: ${SIZES.units} units, ${SIZES.cadres} cadres, ${SIZES.visits} visits, ${SIZES.feedback} feedback answers, ${SIZES.hazards} hazards inserted in ${buildMs} ms; rollups --rebuild ${rebuildMs} ms`);
      // The physical reference: one GROUP BY over the visits, answered from a covering index.
      const referenceSql = sql`SELECT cadre_id, count(*) FROM submissions WHERE form_id = 'household-visit' GROUP BY cadre_id`;
      const deps = { db, now: () => new Date() };
      // Warm both once so neither pays for a cold page cache.
      await db.all(referenceSql);
      const rows = await computeSnapshot(deps, SNAPSHOT_DAY, DEFAULT_RULES);
      const { a: reference, b: snapshot } = await interleaved(RUNS, () => db.all(referenceSql), () => computeSnapshot(deps, SNAPSHOT_DAY, DEFAULT_RULES));
      const rowsRead = await snapshotRowsRead(db, SNAPSHOT_DAY);
      return { buildMs, rebuildMs, rankedUnits: rows.length, reference, snapshot, rowsRead };
    });
    const ratio = Math.round((district.snapshot.ms / district.reference.ms) * 100) / 100;
    log(`reference GROUP BY over the visits (covering index): ${district.reference.ms} ms (median of ${RUNS}: ${district.reference.all.join(', ')})`);
    log(`snapshot of ${SNAPSHOT_DAY} (${district.rankedUnits} units): ${district.snapshot.ms} ms (median of ${RUNS}: ${district.snapshot.all.join(', ')}); ${ratio}× the reference (aim ≤ 3×)`);
    log(`rows read by the snapshot: ${district.rowsRead.total} ${JSON.stringify(district.rowsRead.parts)}`);

    const city = await withDb(async (db) => {
      const buildMs = Math.round(await timed(() => buildCity(db)));
      const [{ visits }] = (await db.all<{ visits: number }>(sql`SELECT sum(n) AS visits FROM rollup_visits`)) as [{ visits: number }];
      log(`city: ${CITY.units} units, ${CITY.cadres} cadres, ${visits} visits as rollup rows, generated in ${buildMs} ms`);
      const deps = { db, now: () => new Date() };
      const rows = await computeSnapshot(deps, SNAPSHOT_DAY, DEFAULT_RULES);
      const runs: number[] = [];
      for (let r = 0; r < RUNS; r++) runs.push(await timed(() => computeSnapshot(deps, SNAPSHOT_DAY, DEFAULT_RULES)));
      return { sizes: { ...CITY, visits }, buildMs, rankedUnits: rows.length, snapshotMs: median(runs), runs, rowsRead: await snapshotRowsRead(db, SNAPSHOT_DAY) };
    });
    const cityRatio = Math.round((city.rowsRead.total / district.rowsRead.total) * 100) / 100;
    log(`city snapshot: ${city.snapshotMs} ms (median of ${RUNS}: ${city.runs.join(', ')}); rows read ${city.rowsRead.total}, ${cityRatio}× the district (aim ≤ 12×)`);
    log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    return {
      sizes: SIZES,
      buildMs: district.buildMs,
      rebuildMs: district.rebuildMs,
      day: SNAPSHOT_DAY,
      rankedUnits: district.rankedUnits,
      referenceMs: district.reference.ms,
      snapshotMs: district.snapshot.ms,
      ratio,
      aim: 3,
      rowsRead: district.rowsRead.total,
      rowsReadParts: district.rowsRead.parts,
      rowsReadMethod: 'rows in the FROM set of each snapshot query with its WHERE (count(*)), summed',
      city: {
        sizes: city.sizes,
        buildMs: city.buildMs,
        generated: 'units, cadres and rollup rows by bulk SQL; no raw rows',
        rankedUnits: city.rankedUnits,
        snapshotMs: city.snapshotMs,
        rowsRead: city.rowsRead.total,
        rowsReadParts: city.rowsRead.parts,
        rowsReadVsDistrict: cityRatio,
        aim: 12,
        runs: city.runs,
      },
      loadAverage: loadavg(),
      runs: { reference: district.reference.all, snapshot: district.snapshot.all },
    };
  },
};

export default bench;
