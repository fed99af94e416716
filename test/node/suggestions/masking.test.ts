// Issue 16, finding 5: a phone number a deputy types into a suggestion reaches leaders masked; the office reads it.
import { describe, expect, it } from 'vitest';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';

describe('a suggestion’s free text', () => {
  it('is masked for leaders, as typed for the office', async () => {
    const t = await makeTestApp();
    const text = '建议联系校长 13698765432 协调上下学时段警力。';
    const res = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], subject: '校园周边 0917-3212345', suggestion: text });
    expect(res.status).toBe(201);
    const { id, receipt } = (await res.json()) as { id: number; receipt: string };
    const read = async (leader: boolean, path: string) => {
      const { code } = await issueAccessCode(t.db, { unitCode: 'office', leader });
      return (await t.app.request(path, { headers: { authorization: `Bearer ${code}` } })).text();
    };
    for (const path of [`/admin/suggestions/${id}`, '/admin/suggestions']) {
      const leader = await read(true, path);
      expect(leader).not.toContain('13698765432');
      expect(leader).not.toContain('3212345');
    }
    const leaderDetail = await read(true, `/admin/suggestions/${id}`);
    expect(leaderDetail).toContain('建议联系校长');
    expect(leaderDetail).not.toContain(receipt);
    expect(await read(false, `/admin/suggestions/${id}`)).toContain('13698765432');
  });
});
