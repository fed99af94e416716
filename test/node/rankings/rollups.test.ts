// The daily rollups (issue 20): the triggers keep them equal to a rebuild from the raw rows through a seeded random
// run of the real routes, and the snapshot read from them equals the raw-row computation it replaced.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { cadres, hazards, submissions, units } from '../../../src/db/schema.ts';
import { computeRanking, DEFAULT_RULES, type RankingRules } from '../../../src/rankings/index.ts';
import { ROLLUP_SOURCE, type MetricSource } from '../../../src/rankings/snapshot.ts';
import { rollupMigrationSql, ROLLUP_TABLES } from '../../../src/rankings/rollup-sql.ts';
import { rebuildRollups } from '../../../src/rankings/rollups.ts';
import { ACTIONS, type HazardState } from '../../../src/hazards/states.ts';
import { rollupsCommand } from '../../../src/rankings/command.ts';
import type { Db } from '../../../src/db/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn, type Session } from '../../helpers/unit-portal.ts';
import { answerAggregates, hazardAggregates, taskAggregates, visitAggregates } from './raw-metrics.ts';

const RAW_SOURCE: MetricSource = { visits: visitAggregates, hazards: hazardAggregates, answers: answerAggregates, tasks: taskAggregates };

/** mulberry32: the same sequence for the same seed, so a failure replays. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T,>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** Every rollup's rows, without the ones that went to zero (a trigger may leave those; a rebuild never writes them). */
async function rollupRows(db: Db) {
  const out: Record<string, unknown[]> = {};
  for (const t of ROLLUP_TABLES) {
    const rows = await db.all<Record<string, unknown>>(sql.raw(`SELECT * FROM ${t} ORDER BY 1, 2, 3`));
    out[t] = rows.filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && !['cadre_id', 'on_time', 'waiting'].includes(k)));
  }
  return out;
}

const DAYS = ['2014-11-03', '2014-11-04', '2014-11-05', '2014-11-06', '2014-11-07', '2014-11-08'];
const TOWNS = ['chencang', 'xiashi'];
const LEADS = ['chencang', 'xiashi', 'police', 'education'];
const HOUSEHOLDS = [
  ['张三', '1组1号'],
  ['李四', '2组5号'],
  ['王五', '3组8号'],
  ['赵六', '4组2号'],
];
const SATISFACTION = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unknown'];

interface World {
  t: TestContext;
  r: ReturnType<typeof prng>;
  office: Session;
  units: Map<string, Session>;
  records: { form: string; unit: string; id: number }[];
}

const ok = (status: number, allowed: number[], what: string) => expect(allowed, `${what}: ${status}`).toContain(status);

async function villagesOf(db: Db, town: string) {
  return (await db.select({ code: units.code }).from(units).where(eq(units.parentCode, town))).map((u) => u.code);
}

async function randomStep(w: World) {
  const { t, r } = w;
  const town = r.pick(TOWNS);
  const s = w.units.get(town)!;
  const villages = await villagesOf(t.db, town);
  const roster = await t.db.select({ id: cadres.id, active: cadres.active }).from(cadres).where(eq(cadres.unitCode, town));
  const op = r.int(11);
  if (op <= 2) {
    const [head, address] = r.pick(HOUSEHOLDS);
    const res = await s.api('/api/v1/unit/forms/household-visit/submissions', {
      body: { cadre: r.pick(roster).id, visitDate: t.deps.now().toISOString().slice(0, 10), place: r.pick(villages), householdHead: head, address, almanac: true, aware: r.next() < 0.7, participated: r.next() < 0.4, satisfaction: r.pick(SATISFACTION) },
    });
    ok(res.status, [201, 422], 'visit');
    if (res.status === 201) w.records.push({ form: 'household-visit', unit: town, id: ((await res.json()) as { id: number }).id });
  } else if (op === 3) {
    const u = r.next() < 0.7 ? r.pick(villages) : 'police';
    const res = await t.app.request(`/api/v1/forms/mass-feedback/submissions?u=${u}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ satisfaction: r.pick(SATISFACTION), aware: r.pick(['yes', 'no']), participated: r.pick(['yes', 'no']) }),
    });
    ok(res.status, [201], 'feedback');
  } else if (op === 4) {
    const res = await s.api('/api/v1/unit/forms/task-report/submissions', {
      body: { task: r.pick(['towns-law-lectures', 'towns-volunteer-patrols', 'towns-deputy-briefings']), quantity: 1 + r.int(5), date: t.deps.now().toISOString().slice(0, 10) },
    });
    ok(res.status, [201], 'task report');
    w.records.push({ form: 'task-report', unit: town, id: ((await res.json()) as { id: number }).id });
  } else if (op === 5) {
    const res = await t.app.request(`/api/v1/forms/hazard-tip/submissions?u=${r.pick(villages)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'rental-housing', place: `某路${r.int(100)}号`, description: '楼道堆放杂物' }),
    });
    ok(res.status, [201], 'tip');
  } else if (op <= 7) {
    await hazardStep(w);
  } else if (op === 8 && w.records.length) {
    const rec = r.pick(w.records);
    if (rec.form === 'household-visit') {
      const [head, address] = r.pick(HOUSEHOLDS);
      const ownRoster = await t.db.select({ id: cadres.id }).from(cadres).where(eq(cadres.unitCode, rec.unit));
      const res = await w.units.get(rec.unit)!.api(`/api/v1/unit/forms/household-visit/submissions/${rec.id}`, {
        method: 'PUT',
        body: { cadre: r.pick(ownRoster).id, visitDate: '2014-11-04', place: r.pick(await villagesOf(t.db, rec.unit)), householdHead: head, address, almanac: true, aware: r.next() < 0.5, participated: r.next() < 0.5, satisfaction: r.pick(SATISFACTION) },
      });
      ok(res.status, [200, 404, 422], 'edit visit');
    } else {
      const res = await w.units.get(rec.unit)!.api(`/api/v1/unit/forms/task-report/submissions/${rec.id}`, {
        method: 'PUT',
        body: { task: 'towns-law-lectures', quantity: 1 + r.int(9), date: '2014-11-04' },
      });
      ok(res.status, [200, 404], 'edit task report');
    }
  } else if (op === 9 && w.records.length) {
    const rec = r.pick(w.records);
    const res = await w.units.get(rec.unit)!.api(`/api/v1/unit/forms/${rec.form}/submissions/${rec.id}`, { method: 'DELETE' });
    ok(res.status, [200, 404], 'delete');
  } else if (r.next() < 0.5) {
    const res = await s.api('/api/v1/unit/cadres', { body: { name: `新干部${r.int(1000)}`, post: '干部', role: '干部', assignedCode: r.pick(villages) } });
    ok(res.status, [201], 'add cadre');
  } else {
    const c = r.pick(roster);
    const res = await s.api(`/api/v1/unit/cadres/${c.id}`, { method: 'PATCH', body: { active: !c.active } });
    ok(res.status, [200], 'cadre active');
  }
  // The office clears a repeat-visit flag now and then: the cleared repeat counts again.
  if (r.next() < 0.1) {
    const flags = (await (await w.office.api('/api/v1/admin/visit-flags')).json()) as { id: number }[];
    if (flags.length) ok((await w.office.api(`/api/v1/admin/visit-flags/${r.pick(flags).id}/clear`, { method: 'POST' })).status, [200], 'clear flag');
  }
}

async function hazardStep(w: World) {
  const { t, r } = w;
  const all = await t.db.select({ id: hazards.id, state: hazards.state, lead: hazards.leadUnitCode }).from(hazards);
  if (!all.length) return;
  const h = r.pick(all);
  const moves = Object.entries(ACTIONS).filter(([, a]) => (a.from as readonly HazardState[]).includes(h.state as HazardState) && a.by.some((b) => b === 'admin' || b === 'lead'));
  if (!moves.length) return;
  const [action, def] = r.pick(moves);
  const input: Record<string, unknown> = { action, note: '处理说明', reason: '原因说明' };
  if ((def.requires as readonly string[]).includes('leadUnit') || (action === 'fix_on_spot' && r.next() < 0.7)) input.leadUnit = r.pick(LEADS);
  if ((def.requires as readonly string[]).includes('deadline')) input.days = 1 + r.int(4);
  if (action === 'duplicate') input.duplicateOf = r.pick(all.filter((x) => x.id !== h.id) ?? all).id;
  const asAdmin = def.by.some((b) => b === 'admin');
  const session = asAdmin ? w.office : h.lead ? (w.units.get(h.lead) ?? (await sessionOf(w, h.lead))) : null;
  if (!session) return;
  const res = await session.api(`/api/v1/${asAdmin ? 'admin' : 'unit'}/hazards/${h.id}/transitions`, { body: input });
  ok(res.status, [200, 409, 422], `hazard ${action}`);
}

async function sessionOf(w: World, unit: string) {
  const s = await signIn(w.t, unit);
  w.units.set(unit, s);
  return s;
}

describe('daily rollups', () => {
  it('the migration holds exactly the triggers and fill of src/rankings/rollup-sql.ts', () => {
    const file = readFileSync(new URL('../../../drizzle/0012_rollup_triggers.sql', import.meta.url), 'utf8');
    expect(file.slice(file.indexOf('\n') + 1)).toBe(rollupMigrationSql());
  });


  for (const seed of [20, 2014]) {
    it(`stay equal to a rebuild, and rank as the raw rows do, through a random run of the routes (seed ${seed})`, async () => {
      const t = await makeTestApp({ now: `${DAYS[0]}T02:00:00Z` });
      const w: World = { t, r: prng(seed), office: await signIn(t, 'office'), units: new Map(), records: [] };
      for (const u of TOWNS) await sessionOf(w, u);
      const rules: RankingRules = { ...DEFAULT_RULES };
      for (const day of DAYS) {
        t.setNow(`${day}T0${2 + w.r.int(7)}:00:00Z`);
        for (let i = 0; i < 25; i++) await randomStep(w);
      }
      const counts = await t.db.all<{ forms: number; deleted: number; hazards: number; closed: number }>(sql`
        SELECT (SELECT count(DISTINCT form_id) FROM submissions) AS forms, (SELECT count(*) FROM submissions WHERE deleted_at IS NOT NULL) AS deleted,
               (SELECT count(*) FROM hazards WHERE lead_unit_code IS NOT NULL) AS hazards, (SELECT count(*) FROM hazards WHERE closed_day IS NOT NULL) AS closed`);
      // The run did exercise what it claims to: every kind of row, deletes, led and closed hazards.
      expect(counts[0]!.forms).toBeGreaterThanOrEqual(4);
      expect(counts[0]!.deleted).toBeGreaterThan(0);
      expect(counts[0]!.hazards).toBeGreaterThan(0);
      expect(counts[0]!.closed).toBeGreaterThan(0);

      const incremental = await rollupRows(t.db);
      expect(incremental.rollup_visits!.length).toBeGreaterThan(0);
      // `npx pingan rollups --rebuild`, as the CLI runs it.
      expect(await rollupsCommand.run(t.deps, ['--rebuild'])).toBe(0);
      expect(await rollupRows(t.db)).toEqual(incremental);

      for (const day of DAYS) {
        expect(await computeRanking(t.db, day, rules, ROLLUP_SOURCE), day).toEqual(await computeRanking(t.db, day, rules, RAW_SOURCE));
      }
      // A hard delete (retention purges rows outright) moves the rollups too.
      await t.db.delete(submissions).where(sql`id IN (SELECT id FROM submissions WHERE form_id = 'household-visit' ORDER BY id LIMIT 3)`);
      const afterPurge = await rollupRows(t.db);
      await rebuildRollups(t.db);
      expect(await rollupRows(t.db)).toEqual(afterPurge);
    });
  }
});
