// Suggestions routed (R9, R13): the office forwards a deputy's suggestion to departments with a deadline, a
// department drafts its answer, the office returns or approves it, and only the approved answer reaches the receipt.
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { signIn, apiAs, type Json } from '../../helpers/unit-portal.ts';

const as = apiAs;

async function receiptOf(t: TestContext, receipt: string): Promise<Json> {
  return (await t.app.request(`/api/v1/receipts/${receipt}`)).json();
}

describe('a suggestion forwarded to departments', () => {
  it('reaches the deputy’s receipt only with the answer the office approved; late shares are overdue', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const res = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], subject: '校园周边治安', suggestion: '请联系 13698765432 协调警力' });
    const { id, receipt } = (await res.json()) as { id: number; receipt: string };
    const [office, police, education] = [await as(t, 'office'), await as(t, 'police'), await as(t, 'education')];
    const officePath = `/api/v1/admin/suggestions/${id}/transitions`;
    const unitPath = `/api/v1/unit/suggestions/${id}/transitions`;

    // Not yet forwarded: the department has nothing to answer.
    expect((await police(unitPath, { action: 'answer', text: '已安排' })).status).toBe(404);
    const bad = await office(officePath, { action: 'forward', units: ['nowhere'], deadline: '2014-11-01' });
    expect([bad.status, bad.body.errors.map((e: Json) => e.field)]).toEqual([422, ['deadline', 'units']]);
    const fwd = await office(officePath, { action: 'forward', units: ['police', 'education'], deadline: '2014-11-10' });
    expect([fwd.status, fwd.body.forwards.map((f: Json) => [f.unit, f.state, f.deadline])]).toEqual([
      200,
      [
        ['police', 'forwarded', '2014-11-10'],
        ['education', 'forwarded', '2014-11-10'],
      ],
    ]);
    expect((await receiptOf(t, receipt) as Json).status).toBe('办理中');

    const mine = await police('/api/v1/unit/suggestions');
    expect(mine.body.suggestions.map((s: Json) => [s.id, s.subject, s.suggestion])).toEqual([[id, '校园周边治安', '请联系 *********** 协调警力']]);
    expect((await police(unitPath, { action: 'answer' })).body.errors).toEqual([{ field: 'text', message: '请填写答复内容' }]);
    expect((await police(unitPath, { action: 'answer', text: '初稿' })).body.state).toBe('drafted');
    // A draft waiting for the office cannot be replaced.
    expect((await police(unitPath, { action: 'answer', text: '再改' })).status).toBe(409);
    const returned = await office(officePath, { action: 'return', unit: 'police', reason: '请写明具体措施' });
    expect(returned.body.forwards[0]).toMatchObject({ state: 'returned', reason: '请写明具体措施' });
    const answer = '上下学时段已安排民警在校门口定点值守。';
    await police(unitPath, { action: 'answer', text: answer });
    // Still only 办理中 on the receipt: the draft is not an answer yet.
    expect(JSON.stringify(await receiptOf(t, receipt))).not.toContain(answer);
    const approved = await office(officePath, { action: 'approve', unit: 'police' });
    expect(approved.body.forwards.map((f: Json) => f.state)).toEqual(['approved', 'forwarded']);
    expect((await office(officePath, { action: 'approve', unit: 'police' })).status).toBe(409);

    const shown = (await receiptOf(t, receipt)) as Json;
    expect([shown.status, shown.history.at(-1).note]).toEqual(['已答复', answer]);
    const page = await t.app.request(`/r/${receipt}`);
    expect(await page.text()).toContain(answer);

    // Past the deadline, the education bureau's unanswered share is overdue for the office.
    t.setNow('2014-11-11T02:00:00Z');
    const list = (await office('/api/v1/admin/suggestion-forwards')).body;
    expect([list.overdue, list.forwards[0].unit, list.forwards[0].overdue]).toEqual([1, 'education', true]);
    expect((await education('/api/v1/unit/suggestions')).status).toBe(200);
    const home = await (await signIn(t, 'office')).page('/admin');
    expect(await home.text()).toContain('部门逾期未答复 1 件');

    // The department answers from its page; the office sees the draft on the suggestion's page.
    const edu = await signIn(t, 'education');
    expect(await (await edu.page('/unit')).text()).toContain('href="/unit/suggestions"');
    expect(await (await edu.page('/unit/suggestions')).text()).toContain('校园周边治安');
    expect((await edu.post(`/unit/suggestions/${id}/answer`, { text: '已组织校园安全检查。' })).status).toBe(303);
    const officePage = await (await signIn(t, 'office')).page(`/admin/suggestions/${id}`);
    expect(await officePage.text()).toContain('已组织校园安全检查。');
  });
});
