// The police's duties per the plan: each police station's patrols (R16: communities daily, rural areas twice a week)
// against the station's own target, seen per station by the police branch; and "三个一" (R15) per 包村、社区干警 — the
// station reports naming the officer, the town sees who has and has not done it, and its task total counts it.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cadres } from '../../../src/db/schema.ts';
import { computeRanking, DEFAULT_RULES } from '../../../src/rankings/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn, type Json } from '../../helpers/unit-portal.ts';
import { OFFICER_REQUIRED_MESSAGE } from '../../../src/unit/forms-routes.tsx';
import { formById } from '../../../src/forms/store.ts';
import { storeSubmission } from '../../../src/submissions/store.ts';

const NOW = '2014-11-05T02:00:00Z';

async function as(t: TestContext, unit: string) {
  const s = await signIn(t, unit);
  return {
    s,
    get: async (path: string) => {
      const res = await s.api(path);
      return { status: res.status, body: (await res.json()) as Json };
    },
    report: async (body: Record<string, unknown>) => {
      const res = await s.api('/api/v1/unit/forms/task-report/submissions', { body: { date: '2014-11-03', ...body } });
      return { status: res.status, body: (await res.json()) as Json };
    },
  };
}

const cadreId = async (t: TestContext, name: string) => (await t.db.select({ id: cadres.id }).from(cadres).where(eq(cadres.name, name)))[0]!.id;
const figures = (tasks: Json[]) => Object.fromEntries(tasks.map((x: Json) => [x.id, [x.done, x.target]]));

describe('police stations’ patrols (R16)', () => {
  it('are each station’s own, per station for the police branch, and the branch’s total against target × stations', async () => {
    const t = await makeTestApp({ now: NOW });
    const [panlong, zhongshan, police, education] = [await as(t, 'station-panlong'), await as(t, 'station-zhongshan'), await as(t, 'police'), await as(t, 'education')];
    expect((await panlong.report({ task: 'police-community-patrols', quantity: 5 })).status).toBe(201);
    expect((await zhongshan.report({ task: 'police-rural-patrols', quantity: 2 })).status).toBe(201);
    // A station reports its own tasks and its officers' "三个一" only.
    const refused = await panlong.report({ task: 'towns-deputy-briefings', quantity: 1 });
    expect([refused.status, refused.body.errors.map((e: Json) => e.field)]).toEqual([422, ['task']]);

    const own = await panlong.get('/api/v1/unit/tasks');
    expect(own.body.map((x: Json) => [x.id, x.done, x.target, x.source])).toEqual([
      ['police-community-patrols', 5, 30, 'typed'],
      ['police-rural-patrols', 0, 8, 'typed'],
    ]);
    const stations = await police.get('/api/v1/unit/stations');
    expect(stations.body.map((s: Json) => [s.unit, s.name, s.tasks.map((x: Json) => [x.id, x.done, x.target])])).toEqual([
      ['station-jinhe', '金河派出所（演示）', [['police-community-patrols', 0, 30], ['police-rural-patrols', 0, 8]]],
      ['station-panlong', '蟠龙派出所（演示）', [['police-community-patrols', 5, 30], ['police-rural-patrols', 0, 8]]],
      ['station-zhongshan', '中山路派出所（演示）', [['police-community-patrols', 0, 30], ['police-rural-patrols', 2, 8]]],
    ]);
    expect((await education.get('/api/v1/unit/stations')).body).toEqual([]);
    const branch = figures((await police.get('/api/v1/unit/tasks')).body);
    expect([branch['police-community-patrols'], branch['police-rural-patrols'], branch['police-venue-checks']]).toEqual([[5, 90], [2, 24], [0, 100]]);
    expect(figures((await education.get('/api/v1/unit/tasks')).body)['police-community-patrols']).toBeUndefined();

    // The ranking's G of the police branch reads the same: 4 own tasks at 0 and 5/90 + 2/24 over 6 tasks.
    const ranked = (await computeRanking(t.db, '2014-11-05', DEFAULT_RULES)).find((r) => r.unitCode === 'police')!;
    expect(ranked.metrics.G).toEqual({ num: 0.1389, den: 6, value: 0.0231 });
    expect((await computeRanking(t.db, '2014-11-05', DEFAULT_RULES)).some((r) => r.unitCode.startsWith('station-'))).toBe(false);

    const page = await (await police.s.page('/unit')).text();
    expect([page.includes('各派出所巡查'), page.includes('data-station="station-panlong"'), page.includes('5 / 30 次')]).toEqual([true, true, true]);
  });
});

describe('"三个一" per 包村、社区干警 (R15)', () => {
  it('shows who has done it, counts in the town’s total and its ranking, and only once', async () => {
    const t = await makeTestApp({ now: NOW });
    const [station, town, police] = [await as(t, 'station-panlong'), await as(t, 'panlong'), await as(t, 'police')];
    const [guo, ma] = [await cadreId(t, '郭鹏（演示）'), await cadreId(t, '马骏（演示）')];
    const before = (await computeRanking(t.db, '2014-11-05', DEFAULT_RULES)).find((r) => r.unitCode === 'panlong')!;

    expect((await station.report({ task: 'towns-law-lectures', quantity: 1, officer: guo })).status).toBe(201);
    expect((await station.report({ task: 'towns-volunteer-patrols', quantity: 2, officer: guo })).status).toBe(201);
    expect((await station.report({ task: 'towns-volunteer-patrols', quantity: 1, officer: ma })).status).toBe(201);
    // The town's own typed lecture still counts in its total; a station's "三个一" must name the officer who did it,
    // or it would count for no town.
    expect((await town.report({ task: 'towns-law-lectures', quantity: 1 })).status).toBe(201);
    const unnamed = await station.report({ task: 'towns-law-lectures', quantity: 1 });
    expect(unnamed).toEqual({ status: 422, body: { error: 'VALIDATION_FAILED', message: '提交的内容有误', errors: [{ field: 'officer', message: OFFICER_REQUIRED_MESSAGE }] } });

    const officers = await town.get('/api/v1/unit/officers');
    expect(officers.body.map((o: Json) => [o.name, o.placeName, o.stationName, o.tasks.map((x: Json) => [x.id, x.done, x.target])])).toEqual([
      ['郭鹏（演示）', '蟠龙示范村一（演示）', '蟠龙派出所（演示）', [['towns-law-lectures', 1, 1], ['towns-volunteer-patrols', 2, 4]]],
      ['马骏（演示）', '蟠龙示范村二（演示）', '蟠龙派出所（演示）', [['towns-law-lectures', 0, 1], ['towns-volunteer-patrols', 1, 4]]],
    ]);
    const totals = figures((await town.get('/api/v1/unit/tasks')).body);
    expect([totals['towns-law-lectures'], totals['towns-volunteer-patrols']]).toEqual([[2, 3], [3, 12]]);
    // Another town's figures do not move; the station's own list has only its patrols.
    expect(figures((await (await as(t, 'jinhe')).get('/api/v1/unit/tasks')).body)['towns-law-lectures']).toEqual([0, 3]);
    expect((await station.get('/api/v1/unit/tasks')).body.map((x: Json) => x.id)).toEqual(['police-community-patrols', 'police-rural-patrols']);
    expect((await police.get('/api/v1/unit/officers')).body.map((o: Json) => o.name)).toEqual(['罗浩（演示）', '郭鹏（演示）', '马骏（演示）', '王磊（演示）', '周丹（演示）']);
    expect((await station.get('/api/v1/unit/officers')).body.map((o: Json) => o.name)).toEqual(['郭鹏（演示）', '马骏（演示）']);

    // The ranking's G counts the lectures (2 of 3) and patrols (3 of 12) as the town's page does: + 2/3 + 1/4 over 7 tasks.
    const after = (await computeRanking(t.db, '2014-11-05', DEFAULT_RULES)).find((r) => r.unitCode === 'panlong')!;
    expect([before.metrics.G!.den, after.metrics.G!.den]).toEqual([7, 7]);
    expect(after.metrics.G!.num - before.metrics.G!.num).toBeCloseTo(2 / 3 + 1 / 4, 4);

    const page = await (await town.s.page('/unit')).text();
    expect(page).toContain('包村、社区干警“三个一”');
    expect(page).toMatch(/data-officer="\d+"><td>郭鹏（演示）<\/td><td>蟠龙示范村一（演示）<\/td><td>蟠龙派出所（演示）<\/td><td class="num">1 \/ 1 ✓ 已完成/);
    expect(page).toContain('共 2 名包村、社区干警，2 名尚未完成');
  });

  it("a station’s page refuses a “三个一” report without its officer beside the field, and keeps what was typed", async () => {
    const t = await makeTestApp({ now: NOW });
    const station = await as(t, 'station-panlong');
    const page = await station.s.post('/unit/forms/task-report', { task: 'towns-law-lectures', quantity: '1', date: '2014-11-03', note: '蟠龙小学法制课' });
    expect(page.status).toBe(422);
    const html = await page.text();
    // Beside the field (and in the summary above the form).
    expect(html).toMatch(new RegExp(`id="f-officer-err"[^>]*>[^<]*${OFFICER_REQUIRED_MESSAGE}`));
    expect(html).toContain('蟠龙小学法制课');
    // A station's own patrols (no per-officer target) need no officer.
    expect((await station.report({ task: 'police-rural-patrols', quantity: 1 })).status).toBe(201);
  });

  it('the officer is asked for in the same round as the other fields, for the office writing on a station’s behalf too', async () => {
    const t = await makeTestApp({ now: NOW });
    const station = await as(t, 'station-panlong');
    const both = await station.report({ task: 'towns-law-lectures' });
    expect(both.status).toBe(422);
    expect(both.body.errors.map((e: Json) => e.field)).toEqual(['quantity', 'officer']);
    const office = await signIn(t, 'office');
    const res = await office.api('/api/v1/unit/forms/task-report/submissions?unit=station-panlong', { body: { task: 'towns-law-lectures', quantity: 1, date: '2014-11-03' } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Json).errors).toEqual([{ field: 'officer', message: OFFICER_REQUIRED_MESSAGE }]);
  });

  it('a record kept without an officer before the rule can still be corrected, but not moved to another “三个一” task without one', async () => {
    const t = await makeTestApp({ now: NOW });
    const station = await as(t, 'station-panlong');
    const form = (await formById(t.db, 'task-report'))!;
    const old = await storeSubmission(t.deps, { form, answers: { task: 'towns-law-lectures', quantity: 1, date: '2014-11-03' }, personal: {}, unitCode: 'station-panlong', source: 'unit' });
    const put = (body: Record<string, unknown>) => station.s.api(`/api/v1/unit/forms/task-report/submissions/${old.id}`, { method: 'PUT', body: { date: '2014-11-03', ...body } });
    expect((await put({ task: 'towns-law-lectures', quantity: 2 })).status).toBe(200);
    const moved = await put({ task: 'towns-volunteer-patrols', quantity: 2 });
    expect(moved.status).toBe(422);
    expect(((await moved.json()) as Json).errors).toEqual([{ field: 'officer', message: OFFICER_REQUIRED_MESSAGE }]);
  });

  it('the police branch corrects a station’s “三个一” report against the station’s own officers and tasks', async () => {
    const t = await makeTestApp({ now: NOW });
    const [station, police] = [await as(t, 'station-panlong'), await as(t, 'police')];
    const guo = await cadreId(t, '郭鹏（演示）');
    const created = await station.report({ task: 'towns-law-lectures', quantity: 1, officer: guo });
    expect(created.status).toBe(201);
    const put = await police.s.api(`/api/v1/unit/forms/task-report/submissions/${created.body.id}`, {
      method: 'PUT',
      body: { task: 'towns-law-lectures', quantity: 2, date: '2014-11-03', officer: guo },
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as Json).answers).toMatchObject({ task: 'towns-law-lectures', quantity: 2, officer: guo });
    // Its edit page offers the station's officers.
    const page = await (await police.s.page(`/unit/forms/task-report?edit=${created.body.id}`)).text();
    expect(page).toContain('郭鹏（演示）');
  });
});
