// A refused forward, decision or answer on the suggestion pages comes back as the same page (422, or 409 for a state
// conflict) with the error beside the field that caused it and what was typed kept — never a bare error page.
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { signIn } from '../../helpers/unit-portal.ts';

async function suggestion(t: TestContext): Promise<number> {
  const res = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], subject: '校园周边治安', suggestion: '请在上下学时段协调警力到校门口值守' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** The text of the element with this id (its first text run), or null when the page has none. */
function byId(html: string, id: string): string | null {
  const m = html.match(new RegExp(`id="${id}"[^>]*>([^<]*)<`));
  return m ? m[1]!.trim() : null;
}

describe('the office’s forward card', () => {
  it('shows a refused forward again with each error beside its field and the typed units and deadline kept', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const id = await suggestion(t);
    const office = await signIn(t, 'office');
    const res = await office.post(`/admin/suggestions/${id}/transitions`, { action: 'forward', units: 'police，nowhere', deadline: '2014-11-01' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(byId(html, 'fw-units-err')).toBe('承办单位不存在：nowhere');
    expect(byId(html, 'fw-deadline-err')).toBe('答复期限不能早于今天');
    expect(html).toMatch(/id="fw-units"[^>]*value="police，nowhere"/);
    expect(html).toMatch(/id="fw-deadline"[^>]*value="2014-11-01"/);
    expect(html).toContain('href="#fw-units"');
    // Nothing was forwarded, and the rest of the suggestion's page is there.
    expect(html).toContain('尚未转办。');
    expect(html).toContain('办理与答复');
  });

  it('keeps a return reason that was refused beside that department’s row, and shows a decision on a settled share as 409 there', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const id = await suggestion(t);
    const office = await signIn(t, 'office');
    expect((await office.post(`/admin/suggestions/${id}/transitions`, { action: 'forward', units: 'police', deadline: '2014-11-10' })).status).toBe(303);
    const police = await signIn(t, 'police');
    expect((await police.post(`/unit/suggestions/${id}/answer`, { text: '已安排民警值守。' })).status).toBe(303);

    const long = '理'.repeat(2001);
    const refused = await office.post(`/admin/suggestions/${id}/transitions`, { action: 'return', unit: 'police', reason: long });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(byId(html, 'sh-police-reason-err')).toBe('退回原因不能超过 2000 字');
    expect(html).toMatch(new RegExp(`id="sh-police-reason"[^>]*value="${long}"`));
    // The draft is still waiting: the row still offers both decisions.
    expect(html).toContain('已拟答复，待审核');

    expect((await office.post(`/admin/suggestions/${id}/transitions`, { action: 'approve', unit: 'police' })).status).toBe(303);
    const again = await office.post(`/admin/suggestions/${id}/transitions`, { action: 'return', unit: 'police', reason: '请补充' });
    expect(again.status).toBe(409);
    const page = await again.text();
    expect(byId(page, 'sh-police-action')).toBe('该单位的答复当前为「答复已审核通过」，只能审核待审核的答复');
    expect(page).toContain('转办部门答复');
  });
});

describe('a department’s answer form', () => {
  it('shows an empty or too long answer again beside its text (422), and an answer to a draft already waiting as 409 with the text kept', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const id = await suggestion(t);
    const office = await signIn(t, 'office');
    await office.post(`/admin/suggestions/${id}/transitions`, { action: 'forward', units: 'education', deadline: '2014-11-10' });
    const edu = await signIn(t, 'education');

    const empty = await edu.post(`/unit/suggestions/${id}/answer`, { text: '   ' });
    expect(empty.status).toBe(422);
    expect(byId(await empty.text(), `a-${id}-err`)).toBe('请填写答复内容');

    const long = '答'.repeat(2001);
    const tooLong = await edu.post(`/unit/suggestions/${id}/answer`, { text: long });
    expect(tooLong.status).toBe(422);
    const html = await tooLong.text();
    expect(byId(html, `a-${id}-err`)).toBe('答复内容不能超过 2000 字');
    expect(byId(html, `a-${id}`)).toBe(long);

    expect((await edu.post(`/unit/suggestions/${id}/answer`, { text: '已组织检查。' })).status).toBe(303);
    const waiting = await edu.post(`/unit/suggestions/${id}/answer`, { text: '再补充一句。' });
    expect(waiting.status).toBe(409);
    const page = await waiting.text();
    expect(byId(page, `a-${id}`)).toBe('本单位的答复当前为「已拟答复，待审核」，不能再修改');
    expect(page).toContain('您刚填写的内容（未保存）：再补充一句。');
    expect(page).not.toContain('已提交，等待区综治办审核');
  });
});
