// Issue 16, finding 13: zero-width and direction-override characters are stripped from every typed text, so a
// required answer of nothing but them is empty and no place is shown reversed.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cadres, hazards, submissions } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { stripInvisible } from '../../../src/lib/text.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';

const ZW = '\u200b\u200b';
const RLO = '\u202e';

describe('invisible characters', () => {
  it.each([
    ['zero-width space and joiner', 'a\u200bb\u200dc', 'abc'],
    ['bidi override and isolate', `${RLO}中山路\u2066东\u2069\u202c`, '中山路东'],
    ['BOM and soft hyphen', '\ufeff出租\u00ad屋', '出租屋'],
    ['newlines kept, C1 controls gone', '一\r\n二\u0085', '一\n二'],
  ])('%s', (_name, input, expected) => {
    expect(stripInvisible(input)).toBe(expected);
  });

  it('a required answer of zero-width spaces is empty, and a place loses its override', async () => {
    const t = await makeTestApp();
    const empty = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], name: ZW });
    expect(empty.status).toBe(422);
    expect(JSON.stringify(await empty.json())).toContain('请填写');

    const tip = await postJson(t, '/api/v1/forms/hazard-tip/submissions', { ...VALID['hazard-tip'], place: `${RLO}中山东路12号出租屋` });
    expect(tip.status).toBe(201);
    const { id } = (await tip.json()) as { id: number };
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) }))!;
    expect(h.place).toBe('中山东路12号出租屋');
    const [row] = await t.db.select({ payload: submissions.payload }).from(submissions).where(eq(submissions.id, id));
    expect(row!.payload).not.toContain(RLO);
  });

  it('a hazard note, a suggestion reply and a cadre’s name of nothing but format characters are empty', async () => {
    const t = await makeTestApp();
    const office = await issueAccessCode(t.db, { unitCode: 'office' });
    const auth = { authorization: `Bearer ${office.code}` };
    const tip = (await (await postJson(t, '/api/v1/forms/hazard-tip/submissions', VALID['hazard-tip'])).json()) as { id: number };
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, tip.id) }))!;
    const move = await postJson(t, `/api/v1/admin/hazards/${h.id}/transitions`, { action: 'fix_on_spot', note: ZW + RLO }, auth);
    expect(move.status).toBe(422);

    const sug = (await (await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', VALID['deputy-suggestion'])).json()) as { id: number };
    const reply = await postJson(t, `/api/v1/admin/suggestions/${sug.id}/replies`, { status: 'answered', note: ZW }, auth);
    expect(reply.status).toBe(422);

    const town = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const cadre = await postJson(t, '/api/v1/unit/cadres', { name: ZW, post: '', role: 'cadre', assignedCode: 'chencang-v1' }, { authorization: `Bearer ${town.code}` });
    expect(cadre.status).toBe(422);
    expect(JSON.stringify(await cadre.json())).toContain('请填写姓名');
    expect(await t.db.select().from(cadres).where(eq(cadres.name, ZW))).toHaveLength(0);
  });
});
