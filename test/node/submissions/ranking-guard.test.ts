// Ranking stuffing (issue 16, finding 1): one address's anonymous answers beyond ten per unit per day are kept,
// flagged for the office and left out of the ranking until the office accepts the burst.
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { signIn } from '../../helpers/unit-portal.ts';
import { submissions } from '../../../src/db/schema.ts';
import { answerAggregates } from '../../../src/rankings/metrics.ts';

const PATH = '/api/v1/forms/mass-feedback/submissions?u=xiguan-c1';
const DAY = { from: '2014-11-04', to: '2014-11-04' };

describe('anonymous answers from one address', () => {
  it('count ten a day towards the ranking; the rest wait for the office, who may accept them', async () => {
    const t = await makeTestApp();
    const results = await Promise.all(
      Array.from({ length: 15 }, () => postJson(t, PATH, VALID['mass-feedback'], { 'cf-connecting-ip': '203.0.113.9' })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(201));
    await postJson(t, PATH, VALID['mass-feedback'], { 'cf-connecting-ip': '198.51.100.7' });

    const sDen = async () => (await answerAggregates(t.db, DAY)).find((r) => r.unit === 'xiguan')?.sDen;
    expect(await sDen()).toBe(11);
    const rows = await t.db.select({ key: submissions.addressKey, unranked: submissions.unranked }).from(submissions);
    expect(rows.filter((r) => r.unranked)).toHaveLength(5);
    // The address itself is never stored, only its keyed digest.
    expect(JSON.stringify(rows)).not.toContain('203.0.113.9');

    const office = await signIn(t, 'office');
    expect(await (await office.page('/admin')).text()).toContain('5 份待确认');
    const list = await (await office.page('/admin/flagged')).text();
    const key = /name="key" value="([0-9a-f]{32})"/.exec(list)![1]!;
    const leader = await signIn(t, 'xiguan');
    expect((await leader.post('/admin/flagged/accept', { key, unit: 'xiguan-c1', day: '2014-11-04' })).status).not.toBe(303);
    expect((await office.post('/admin/flagged/accept', { key, unit: 'xiguan-c1', day: '2014-11-04' })).status).toBe(303);
    expect(await sDen()).toBe(16);
  });
});
