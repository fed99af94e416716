// The leaders' 每日排名 tab shows patrol and publicity coverage only while the campaign weights them, as the
// leader page does: a leader reading the sheet sees every figure behind a score.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/index.ts';
import { makeSheetsApp } from '../../helpers/sheets.ts';
import { signIn, type Json } from '../../helpers/unit-portal.ts';
import { computeSnapshot } from '../../../src/rankings/index.ts';
import { flushSheets } from '../../../src/sheets/flush.ts';
import { enqueueTabs } from '../../../src/sheets/outbox.ts';

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await startFakeGoogle();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const DAY = '2014-11-06';

describe('the ranking tab and the coverage metrics', () => {
  it('has the seven columns of the template, and a 巡逻覆盖 column with each unit\'s figure once the office weights it', async () => {
    const t = await makeSheetsApp(fake, '2014-11-07T02:00:00Z');
    const office = await signIn(t, 'office');
    const header = () => fake.readTab('每日排名')![0];
    await computeSnapshot(t.deps, DAY);
    await enqueueTabs(t.db, ['rankings']);
    await flushSheets(t.deps, { full: true, sleep: async () => {} });
    expect(header()).toEqual(['日期', '分组', '名次', '单位', '得分', '入户走访(%)', '隐患办结(%)', '按期办结(%)', '满意度(%)', '知晓率(%)', '参与率(%)', '任务完成(%)']);

    const template = (await (await office.api('/api/v1/campaign')).json()) as Json;
    const saved = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { rankingWeights: { ...template.rankingWeights, C: 20 } } });
    expect(saved.status).toBe(200);
    await computeSnapshot(t.deps, DAY);
    await enqueueTabs(t.db, ['rankings']);
    await flushSheets(t.deps, { full: true, sleep: async () => {} });
    expect(header()).toEqual(['日期', '分组', '名次', '单位', '得分', '入户走访(%)', '隐患办结(%)', '按期办结(%)', '满意度(%)', '知晓率(%)', '参与率(%)', '任务完成(%)', '巡逻覆盖(%)']);
    // A town has a coverage figure (a share of its villages with a patrol team); a department has none.
    const rows = fake.readTab('每日排名')!.slice(1);
    const town = rows.find((r) => r[1] === '镇街')!;
    const department = rows.find((r) => r[1] === '部门')!;
    expect(typeof town[12]).toBe('number');
    expect(town[12]).toBeGreaterThanOrEqual(0);
    expect(town[12]).toBeLessThanOrEqual(100);
    expect(department[12] ?? '').toBe('');
  });
});
