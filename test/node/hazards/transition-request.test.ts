// What a route hands a hazard move besides the move itself (src/hazards/service.ts TransitionRequest): reads it
// started early, and statements for the same batch — and a tipster's move on a hazard that is gone (found by
// mutation testing, issue 22).
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazardEvents, hazards } from '../../../src/db/schema.ts';
import type { Principal } from '../../../src/auth/codes.ts';
import { AppError } from '../../../src/lib/errors.ts';
import { createHazard } from '../../../src/hazards/create.ts';
import type { StmtBuilder } from '../../../src/db/batch.ts';
import { transition } from '../../../src/hazards/service.ts';
import { readTransitionState } from '../../../src/hazards/transition-reads.ts';
import { makeTestApp } from '../../helpers/app.ts';

const ADMIN: Principal = { codeId: 1, role: 'admin', unitCode: 'office' };
const NOW = '2014-11-04T02:00:00Z';

async function setup() {
  const t = await makeTestApp({ now: NOW });
  const hazard = (place: string) => createHazard(t.db, { source: 'tip', category: 'rental-housing', place, description: '消防通道堵塞', at: Date.parse(NOW) });
  const row = async (id: number) => (await t.db.select().from(hazards).where(eq(hazards.id, id)))[0]!;
  const events = async (id: number) => t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, id));
  return { ...t, hazard, row, events };
}

async function refusal(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`not refused with an AppError: ${String(err)}`);
  return [err.status, err.code, err.message];
}

describe('a hazard move', () => {
  it("by the tipster, on a hazard that is gone: 404, not a crash", async () => {
    const s = await setup();
    expect(await refusal(transition(s.deps, { hazardId: 999, actor: { role: 'tipster' }, action: 'reopen' }))).toEqual([404, 'NOT_FOUND', '找不到该隐患']);
  });

  it("with reads made for another hazard: 404, and neither hazard moves", async () => {
    const s = await setup();
    const a = await s.hazard('东风路12号');
    const b = await s.hazard('西关街3号');
    const readsOfA = await readTransitionState(s.db, a.id, { reason: '正常施工' });
    expect(await refusal(transition(s.deps, { hazardId: b.id, actor: ADMIN, action: 'not_a_hazard', input: { reason: '正常施工' }, reads: readsOfA }))).toEqual([
      404,
      'NOT_FOUND',
      '找不到该隐患',
    ]);
    expect([(await s.row(a.id)).state, (await s.row(b.id)).state]).toEqual(['reported', 'reported']);
  });

  it('writes the statements the route adds in the same batch: they stay with the move, and go with it when it is refused', async () => {
    const s = await setup();
    const h = await s.hazard('东风路12号');
    const movePlace = (place: string) => (q: StmtBuilder) => [q.update(hazards).set({ place }).where(eq(hazards.id, h.id))];
    await transition(s.deps, { hazardId: h.id, actor: ADMIN, action: 'fix_on_spot', input: { note: '当场清理' }, also: movePlace('东风路12号北侧') });
    expect(await s.row(h.id)).toMatchObject({ state: 'fixed_on_spot', place: '东风路12号北侧' });

    // A move on reads that are out of date is refused: the route's statements are not written either.
    const other = await s.hazard('西关街3号');
    const stale = await readTransitionState(s.db, other.id, {});
    await transition(s.deps, { hazardId: other.id, actor: ADMIN, action: 'not_a_hazard', input: { reason: '正常施工' } });
    const before = await s.events(other.id);
    const lost = transition(s.deps, {
      hazardId: other.id,
      actor: ADMIN,
      action: 'fix_on_spot',
      input: { note: '当场清理' },
      reads: stale,
      also: (q) => [q.update(hazards).set({ place: '不该写入' }).where(eq(hazards.id, other.id))],
    });
    expect((await refusal(lost))[0]).toBe(409);
    expect(await s.row(other.id)).toMatchObject({ state: 'not_a_hazard', place: '西关街3号' });
    expect(await s.events(other.id)).toEqual(before);
  });
});
