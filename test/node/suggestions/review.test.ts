// The office's review of a department's draft answer is one batch: the decision guarded on the draft it read, the
// approved text as the public answer, and — when returned — the department's notice. A refused review writes nothing;
// two reviews at once leave one decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { notifyEvents, suggestionForwards, suggestionReplies } from '../../../src/db/schema.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { apiAs, type Json } from '../../helpers/unit-portal.ts';
import { BACKENDS, bearer, post, raceContext, type RaceContext } from '../../helpers/races.ts';

const NOW = '2014-11-04T02:00:00Z';
const AT = new Date(NOW).getTime();

async function forwardedAndDrafted(t: TestContext) {
  const res = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], subject: '校园周边治安' });
  const { id } = (await res.json()) as { id: number };
  const [office, police] = [await apiAs(t, 'office'), await apiAs(t, 'police')];
  const path = `/api/v1/admin/suggestions/${id}/transitions`;
  expect((await office(path, { action: 'forward', units: ['police'], deadline: '2014-11-10' })).status).toBe(200);
  expect((await police(`/api/v1/unit/suggestions/${id}/transitions`, { action: 'answer', text: '初稿' })).status).toBe(200);
  return { id, office, police, path };
}

const shareOf = async (t: TestContext, id: number) =>
  (await t.db.select().from(suggestionForwards).where(and(eq(suggestionForwards.submissionId, id), eq(suggestionForwards.unitCode, 'police'))))[0]!;
const repliesOf = async (t: TestContext, id: number) =>
  (await t.db.select().from(suggestionReplies).where(eq(suggestionReplies.submissionId, id)).orderBy(asc(suggestionReplies.id))).map((r) => [r.status, r.note, r.unitCode]);
const notices = async (t: TestContext) =>
  (await t.db.select().from(notifyEvents).orderBy(asc(notifyEvents.id))).map((r) => [r.event, r.target, JSON.parse(r.data) as Json]);

describe('the office reviews a department’s draft', () => {
  it('returns it: the share is returned with its reason, the department is told, the deputy’s receipt is untouched', async () => {
    const t = await makeTestApp({ now: NOW });
    const { id, office, path } = await forwardedAndDrafted(t);
    const before = (await notices(t)).length;
    const returned = await office(path, { action: 'return', unit: 'police', reason: '请写明具体措施' });
    expect([returned.status, returned.body.forwards.map((f: Json) => [f.unit, f.state, f.reason, f.draft])]).toEqual([200, [['police', 'returned', '请写明具体措施', '初稿']]]);
    const share = await shareOf(t, id);
    expect([share.state, share.reason, share.decidedAt, share.draft]).toEqual(['returned', '请写明具体措施', AT, '初稿']);
    expect(await repliesOf(t, id)).toEqual([['in_progress', null, 'office']]);
    expect((await notices(t)).slice(before)).toEqual([['suggestion_returned', 'police', { path: '/unit/suggestions' }]]);
  });

  it('approves it: the draft becomes the answer, no department notice', async () => {
    const t = await makeTestApp({ now: NOW });
    const { id, office, path } = await forwardedAndDrafted(t);
    const before = (await notices(t)).length;
    const approved = await office(path, { action: 'approve', unit: 'police' });
    expect([approved.status, approved.body.forwards.map((f: Json) => [f.state, f.reason])]).toEqual([200, [['approved', null]]]);
    expect(await repliesOf(t, id)).toEqual([
      ['in_progress', null, 'office'],
      ['answered', '初稿', 'police'],
    ]);
    expect((await notices(t)).slice(before)).toEqual([]);
  });

  it('refuses a review without a reason (422), of a unit not forwarded (422), or of a share with no draft waiting (409), writing nothing', async () => {
    const t = await makeTestApp({ now: NOW });
    const { id, office, path } = await forwardedAndDrafted(t);
    const before = await notices(t);
    const noReason = await office(path, { action: 'return', unit: 'police' });
    expect([noReason.status, noReason.body.error, noReason.body.errors]).toEqual([422, 'VALIDATION_FAILED', [{ field: 'reason', message: '请填写退回原因' }]]);
    const elsewhere = await office(path, { action: 'approve', unit: 'education' });
    expect([elsewhere.status, elsewhere.body.errors]).toEqual([422, [{ field: 'unit', message: '这条建议没有转给该单位' }]]);
    expect((await office(path, { action: 'return', unit: 'police', reason: '再改' })).status).toBe(200);
    const again = await office(path, { action: 'return', unit: 'police', reason: '又改' });
    expect([again.status, again.body.error, again.body.state, again.body.allowed]).toEqual([409, 'ILLEGAL_TRANSITION', 'returned', ['forward']]);
    const share = await shareOf(t, id);
    expect([share.state, share.reason]).toEqual(['returned', '再改']);
    expect((await notices(t)).slice(before.length).map((n) => n[0])).toEqual(['suggestion_returned']);
  });
});

describe.each(BACKENDS)('two reviews of one draft at once on %s', (backend) => {
  let r: RaceContext;
  let office: Record<string, string>;
  let police: Record<string, string>;
  beforeAll(async () => {
    r = await raceContext(backend);
    office = await bearer(r.t, 'office');
    police = await bearer(r.t, 'police');
  }, 30_000);
  afterAll(async () => r?.close());

  it('one decision stands, the other is a 409 that wrote nothing', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await post(r.clients[0], '/api/v1/forms/deputy-suggestion/submissions', VALID['deputy-suggestion']);
      const id = res.body.id as number;
      const path = `/api/v1/admin/suggestions/${id}/transitions`;
      expect((await post(r.clients[0], path, { action: 'forward', units: ['police'], deadline: '2030-01-01' }, office)).status).toBe(200);
      expect((await post(r.clients[0], `/api/v1/unit/suggestions/${id}/transitions`, { action: 'answer', text: '初稿' }, police)).status).toBe(200);
      const mark = (await r.t.db.select({ id: notifyEvents.id }).from(notifyEvents)).reduce((m, x) => Math.max(m, x.id), 0);
      const answers = await Promise.all([
        post(r.clients[0], path, { action: 'approve', unit: 'police' }, office),
        post(r.clients[1], path, { action: 'return', unit: 'police', reason: '请补充' }, office),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses, `round ${i}`).toEqual([200, 409]);
      const approvedWon = answers[0]!.status === 200;
      const share = (await r.t.db.select().from(suggestionForwards).where(eq(suggestionForwards.submissionId, id)))[0]!;
      expect([share.state, share.reason], `round ${i}`).toEqual(approvedWon ? ['approved', null] : ['returned', '请补充']);
      const answered = await r.t.db.select().from(suggestionReplies).where(and(eq(suggestionReplies.submissionId, id), eq(suggestionReplies.status, 'answered')));
      expect(answered.length, `round ${i}`).toBe(approvedWon ? 1 : 0);
      const events = (await r.t.db.select().from(notifyEvents)).filter((e) => e.id > mark && e.event === 'suggestion_returned');
      expect(events.length, `round ${i}`).toBe(approvedWon ? 0 : 1);
    }
  });
});
