// Tasks that count what was already entered: almanacs handed out from the household visits (a household visited
// again counts once), and school inspections as the distinct schools named in the education bureau's reports.
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cadres } from '../../../src/db/schema.ts';
import { templateSettings } from '../../../src/campaign/settings.ts';
import { registerAggregates } from '../../../src/unit/tasks.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn, apiAs, type Json } from '../../helpers/unit-portal.ts';

const as = apiAs;

const task = (list: Json[], id: string) => list.find((x) => x.id === id);

describe('almanacs from the household visits', () => {
  it('counts the visits that handed out the almanac, a household visited again once, and none typed', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const town = await as(t, 'chencang');
    expect(task((await town('/api/v1/unit/tasks')).body, 'towns-almanacs')).toMatchObject({ done: 0, source: 'register', target: 300 });
    const [cadre] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'chencang')));
    const visit = (head: string, address: string, almanac: boolean | string) => ({
      cadre: cadre!.id, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: head, address, almanac, aware: true, participated: false, satisfaction: 'satisfied',
    });
    for (const v of [visit('张三', '3组15号', true), visit('李四', '3组16号', 'yes'), visit('王五', '3组17号', false), visit(' 张三 ', '3组15号', true)]) {
      expect((await town('/api/v1/unit/forms/household-visit/submissions', v)).status).toBe(201);
    }
    // 张三 and 李四 got the almanac; 王五 did not; 张三's second visit is the same household.
    expect(task((await town('/api/v1/unit/tasks')).body, 'towns-almanacs').done).toBe(2);
    const figures = await registerAggregates(t.db, templateSettings().tasks.filter((x) => x.id === 'towns-almanacs'), { from: '2014-11-01', to: '2014-11-30' });
    expect(figures).toEqual([{ unit: 'chencang', taskId: 'towns-almanacs', reported: 2 }]);
  });
});

describe('school inspections from a list of inspected schools', () => {
  it('counts distinct named schools from the bureau’s own reports: a school reported twice counts once', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const edu = await as(t, 'education');
    const report = (taskId: string, objectName?: string) => ({ task: taskId, quantity: 1, date: '2014-11-04', ...(objectName === undefined ? {} : { objectName }) });
    for (const r of [
      report('education-safety-inspections', '陈仓区第一中学'),
      report('education-safety-inspections', ' 陈仓区第一中学 '),
      report('education-safety-inspections', '虢镇小学'),
      // Without a school's name it is no inspected school.
      report('education-safety-inspections'),
      // Another task's report names no inspected school.
      report('education-gate-armbands', '千河小学'),
    ]) {
      expect((await edu('/api/v1/unit/forms/task-report/submissions', r)).status).toBe(201);
    }
    const tasks = (await edu('/api/v1/unit/tasks')).body as Json[];
    expect(task(tasks, 'education-safety-inspections')).toMatchObject({ done: 2, target: 60, source: 'objects' });
    // The typed task still sums its quantities.
    expect(task(tasks, 'education-gate-armbands')).toMatchObject({ done: 1, source: 'typed' });
    const figures = await registerAggregates(t.db, templateSettings().tasks.filter((x) => x.id === 'education-safety-inspections'), { from: '2014-11-01', to: '2014-11-30' });
    expect(figures).toEqual([{ unit: 'education', taskId: 'education-safety-inspections', reported: 2 }]);

    // The bureau still reports an inspection from its task form, with the school's name.
    const page = await (await (await signIn(t, 'education')).page('/unit/forms/task-report')).text();
    expect(page).toContain('value="education-safety-inspections"');
    expect(page).toContain('name="objectName"');
  });
});
