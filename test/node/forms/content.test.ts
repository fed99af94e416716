// Integrity of the district's content in forms/: campaign, department tasks, demo organisation.
import { describe, expect, it } from 'vitest';
import campaign from '../../../forms/campaign.ts';
import organisation from '../../../forms/organisation.ts';
import tasks from '../../../forms/tasks.ts';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const units = organisation.units;
const byCode = new Map(units.map((u) => [u.code, u]));
const places = units.filter((u) => u.kind === 'village' || u.kind === 'community');
const departments = units.filter((u) => u.kind === 'department');
const towns = units.filter((u) => u.kind === 'town' || u.kind === 'subdistrict');

describe('forms/organisation', () => {
  it('has unique ASCII kebab-case unit codes', () => {
    const codes = units.map((u) => u.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code, code).toMatch(KEBAB);
  });

  it('has one district office, code office, without a parent', () => {
    const offices = units.filter((u) => u.kind === 'office');
    expect(offices).toHaveLength(1);
    expect(offices[0]).toMatchObject({ code: 'office', name: '金台区综治办' });
    expect(offices[0]!.parent).toBeUndefined();
  });

  it('has parents that exist, and no cycles', () => {
    for (const u of units) {
      if (u.kind === 'office') continue;
      expect(u.parent, u.code).toBeDefined();
      expect(byCode.has(u.parent!), `${u.code} → ${u.parent}`).toBe(true);
      const seen = new Set<string>();
      let at: string | undefined = u.code;
      while (at !== undefined) {
        expect(seen.has(at), `cycle at ${at}`).toBe(false);
        seen.add(at);
        at = byCode.get(at)?.parent;
      }
    }
  });

  it('puts towns, sub-districts and departments under the office', () => {
    for (const u of [...towns, ...departments]) expect(u.parent, u.code).toBe('office');
    expect(towns.filter((u) => u.kind === 'town').map((u) => u.name).sort()).toEqual(['硖石镇', '蟠龙镇', '金河镇', '陈仓镇'].sort());
    expect(towns.filter((u) => u.kind === 'subdistrict')).toHaveLength(7);
  });

  it('puts villages under towns and communities under sub-districts, 2–3 each', () => {
    for (const p of places) {
      const parent = byCode.get(p.parent!)!;
      expect(['town', 'subdistrict'], p.code).toContain(parent.kind);
      expect(parent.kind, p.code).toBe(p.kind === 'village' ? 'town' : 'subdistrict');
      expect(Number.isInteger(p.population) && p.population! > 0, p.code).toBe(true);
      expect(p.name, p.code).toMatch(/演示/);
    }
    for (const t of towns) {
      const n = places.filter((p) => p.parent === t.code).length;
      expect(n, t.code).toBeGreaterThanOrEqual(2);
      expect(n, t.code).toBeLessThanOrEqual(3);
    }
  });

  it('has village/community populations on both sides of 1,000', () => {
    const pops = places.map((p) => p.population!);
    expect(pops.some((n) => n < 1000)).toBe(true);
    expect(pops.some((n) => n >= 1000)).toBe(true);
  });

  it('has exactly the 20 departments of section 二(四)', () => {
    expect(departments).toHaveLength(20);
    expect(departments.map((d) => d.name).sort()).toEqual(
      [
        '金台公安分局', '区检察院', '区法院', '区司法局', '金台巡警大队', '金台交警大队', '区教体局',
        '区住建局', '区文化广电局', '金台工商分局', '区卫生局', '区交通运输局', '区商务局', '区民政局',
        '金台执法大队', '区安监局', '区总工会', '区工信局', '团区委', '金台信用联社',
      ].sort(),
    );
  });

  it('has cadres whose unit exists and who are assigned to a village or community', () => {
    const { cadres } = organisation;
    for (const c of cadres) {
      const where = `${c.unit}/${c.name}`;
      expect(byCode.has(c.unit), where).toBe(true);
      expect(c.assigned, where).toBeDefined();
      const assigned = byCode.get(c.assigned!);
      expect(assigned, where).toBeDefined();
      expect(['village', 'community'], where).toContain(assigned!.kind);
      expect(['district_leader', 'unit_leader', 'cadre'], where).toContain(c.role);
      expect(c.post.length, where).toBeGreaterThan(0);
      // A town's cadres work in the town's own villages/communities.
      if (towns.some((t) => t.code === c.unit)) expect(assigned!.parent, where).toBe(c.unit);
    }
    const names = cadres.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(cadres.some((c) => c.role === 'district_leader')).toBe(true);
    for (const t of towns) {
      const n = cadres.filter((c) => c.unit === t.code).length;
      expect(n, t.code).toBeGreaterThanOrEqual(2);
      expect(n, t.code).toBeLessThanOrEqual(4);
    }
    for (const d of departments) {
      const n = cadres.filter((c) => c.unit === d.code).length;
      expect(n, d.code).toBeGreaterThanOrEqual(1);
      expect(n, d.code).toBeLessThanOrEqual(2);
    }
  });
});

describe('forms/tasks', () => {
  const departmentCodes = new Set(departments.map((d) => d.code));

  it('has unique kebab-case ids', () => {
    const ids = tasks.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(KEBAB);
  });

  it('is owned by departments or towns, with positive integer targets', () => {
    for (const t of tasks) {
      expect(t.owner === 'towns' || t.owner === 'stations' || departmentCodes.has(t.owner), `${t.id} owner ${t.owner}`).toBe(true);
      expect(Number.isInteger(t.target) && t.target > 0, t.id).toBe(true);
      expect(t.rule, t.id).toMatch(/^R\d+(?:\.\d+)?$/);
      expect(t.title.length, t.id).toBeGreaterThan(0);
      expect(t.unitLabel.length, t.id).toBeGreaterThan(0);
    }
  });

  it('gives every department at least one task, and towns some', () => {
    for (const code of departmentCodes) expect(tasks.some((t) => t.owner === code), code).toBe(true);
    expect(tasks.some((t) => t.owner === 'towns')).toBe(true);
  });
});

describe('forms/campaign', () => {
  it('runs from the plan date to the end of November in Shanghai time', () => {
    expect(campaign).toMatchObject({ startDate: '2014-10-29', endDate: '2014-11-30', timezone: 'Asia/Shanghai', district: '金台区', office: '区综治办' });
  });

  it('has the R1 quotas and R5 patrol sizes', () => {
    expect(campaign.visitQuotas).toEqual({ district_leader: 30, unit_leader: 50, cadre: 80 });
    expect(campaign.patrolSizes).toEqual([
      { populationBelow: 1000, min: 7, max: 10 },
      { populationBelow: null, min: 10, max: 15 },
    ]);
  });

  it('has the default ranking weights', () => {
    expect(campaign.rankingWeights).toEqual({ V: 25, H: 15, T: 10, S: 20, A: 10, P: 5, G: 15 });
    expect(campaign.rankingThreshold).toBe(60);
  });

  it('has deadlines within the campaign dates, including R3 and R7', () => {
    const ids = campaign.deadlines.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of campaign.deadlines) {
      expect(d.date, d.id).toMatch(DATE);
      expect(d.date >= campaign.startDate && d.date <= campaign.endDate, d.id).toBe(true);
    }
    expect(campaign.deadlines.find((d) => d.rule === 'R7')?.date).toBe('2014-11-15');
    expect(campaign.deadlines.find((d) => d.rule === 'R3')?.date).toBe('2014-11-30');
  });

  it('has at least 12 unique, short slogans', () => {
    const { slogans } = campaign;
    expect(slogans.length).toBeGreaterThanOrEqual(12);
    expect(new Set(slogans).size).toBe(slogans.length);
    for (const s of slogans) {
      expect(s.trim(), s).toBe(s);
      expect([...s].length, s).toBeLessThanOrEqual(20);
    }
  });

  it('has a working-day hazard deadline with a reminder', () => {
    expect(campaign.hazardDeadline).toEqual({ days: 7, kind: 'working', remindDaysBefore: 1 });
  });
});
