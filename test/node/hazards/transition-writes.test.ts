// What a hazard move answers and writes (src/hazards/service.ts), field by field: the refusals' exact words and
// details, the row's flags each move sets or clears, the history entry, the merge, and what the change hooks are
// told (found by mutation testing, issue 22; service.test.ts and policy.test.ts hold the paths and the policy).
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazardCoUnits, hazardEvents, hazards, submissions } from '../../../src/db/schema.ts';
import type { Principal } from '../../../src/auth/codes.ts';
import { AppError } from '../../../src/lib/errors.ts';
import { createHazard } from '../../../src/hazards/create.ts';
import { actorsFor, canSee, transition, type HazardActor, type TransitionInput } from '../../../src/hazards/service.ts';
import type { ChangeHook, HazardFact } from '../../../src/core/changes.ts';
import type { Deps } from '../../../src/deps.ts';
import { readTransitionState } from '../../../src/hazards/transition-reads.ts';
import { makeTestApp } from '../../helpers/app.ts';

const ADMIN: Principal = { codeId: 1, role: 'admin', unitCode: 'office' };
const POLICE: Principal = { codeId: 2, role: 'unit', unitCode: 'police' };
const SAFETY: Principal = { codeId: 3, role: 'unit', unitCode: 'work-safety' };
const EDUCATION: Principal = { codeId: 4, role: 'unit', unitCode: 'education' };
const LEADER: Principal = { codeId: 5, role: 'leader', unitCode: 'office' };
const TIPSTER: HazardActor = { role: 'tipster' };

// 2014-11-04 10:00 Beijing time.
const NOW = '2014-11-04T02:00:00Z';
const AT = Date.parse(NOW);

async function setup() {
  const t = await makeTestApp({ now: NOW });
  const facts: { action: string; hazardIds: readonly number[]; facts: HazardFact[] }[] = [];
  const hear: ChangeHook = (_q, change) => {
    if (change.kind === 'hazards') facts.push({ action: change.action, hazardIds: change.hazardIds, facts: [...(change.facts ?? [])] });
    return [];
  };
  const deps: Deps = { ...t.deps, plugins: { ...t.deps.plugins, changeHooks: [...t.deps.plugins.changeHooks, hear] } };
  const hazard = (place = '东风路12号') => createHazard(t.db, { source: 'tip', category: 'rental-housing', place, description: '消防通道堵塞', at: AT });
  /** A hazard put straight into a state, with the given row fields and co-units. */
  const inState = async (state: string, fields: Partial<typeof hazards.$inferInsert> = {}, coUnits: string[] = []) => {
    const h = await hazard();
    await t.db.update(hazards).set({ state, ...fields }).where(eq(hazards.id, h.id));
    if (coUnits.length) await t.db.insert(hazardCoUnits).values(coUnits.map((unitCode) => ({ hazardId: h.id, unitCode })));
    return h;
  };
  const move = (hazardId: number, actor: HazardActor, action: string, input?: TransitionInput) => transition(deps, { hazardId, actor, action, input });
  const row = async (id: number) => (await t.db.select().from(hazards).where(eq(hazards.id, id)))[0]!;
  const lastEvent = async (id: number) => (await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, id)).orderBy(hazardEvents.id)).at(-1)!;
  const coUnitsOf = async (id: number) => (await t.db.select().from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, id))).map((c) => c.unitCode);
  return { ...t, deps, facts, hazard, inState, move, row, lastEvent, coUnitsOf };
}

async function refusal(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`not refused: ${String(err)}`);
  return { status: err.status, code: err.code, message: err.message, details: err.details };
}

describe('refusals', () => {
  it('an illegal move: 409 with the state, the move and what this actor may do instead, in words', async () => {
    const s = await setup();
    const h = await s.hazard();
    expect(await refusal(s.move(h.id, ADMIN, 'accept'))).toEqual({
      status: 409,
      code: 'ILLEGAL_TRANSITION',
      message: '该隐患当前为「待分办」，不能进行「签收」，现在可以：交办（挂牌督办）、已现场整改、合并为重复反映、不属于隐患',
      details: { state: 'reported', allowed: ['assign', 'fix_on_spot', 'duplicate', 'not_a_hazard'] },
    });
    expect(await refusal(s.move(h.id, ADMIN, 'explode'))).toEqual({
      status: 409,
      code: 'ILLEGAL_TRANSITION',
      message: '该隐患当前为「待分办」，不能进行该操作，现在可以：交办（挂牌督办）、已现场整改、合并为重复反映、不属于隐患',
      details: { state: 'reported', allowed: ['assign', 'fix_on_spot', 'duplicate', 'not_a_hazard'] },
    });
    // Nothing to offer: no "现在可以".
    expect(await refusal(s.move(h.id, TIPSTER, 'reopen'))).toEqual({
      status: 409,
      code: 'ILLEGAL_TRANSITION',
      message: '该隐患当前为「待分办」，不能进行「群众反映未整改」',
      details: { state: 'reported', allowed: [] },
    });
  });

  it("a move that is someone else's: 403, saying so, with what this actor may do", async () => {
    const s = await setup();
    const h = await s.inState('fixed_reported', { leadUnitCode: 'police', deadline: '2014-11-10' });
    expect(await refusal(s.move(h.id, POLICE, 'close', { note: '自己核查合格' }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: '该操作应由其他单位进行',
      details: { state: 'fixed_reported', allowed: [] },
    });
    const r = await s.inState('rectifying', { leadUnitCode: 'police', deadline: '2014-11-10' });
    expect((await refusal(s.move(r.id, POLICE, 'reassign', { leadUnit: 'education', deadline: '2014-11-10' }))).details).toEqual({
      state: 'rectifying',
      allowed: ['report_fixed', 'progress'],
    });
    expect((await s.row(r.id)).leadUnitCode).toBe('police');
  });

  it('a leader reads only: 403 in words, nothing written', async () => {
    const s = await setup();
    const h = await s.hazard();
    expect(await refusal(s.move(h.id, LEADER, 'assign', { leadUnit: 'police', deadline: '2014-11-10' }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: '领导查看码只能查看，不能操作',
      details: undefined,
    });
    expect((await s.row(h.id)).state).toBe('reported');
  });

  it('a hazard that does not exist, or that a unit has nothing to do with: 404', async () => {
    const s = await setup();
    const h = await s.inState('assigned', { leadUnitCode: 'police', deadline: '2014-11-10' }, ['work-safety']);
    const notFound = { status: 404, code: 'NOT_FOUND', message: '找不到该隐患', details: undefined };
    expect(await refusal(s.move(h.id + 100, ADMIN, 'assign', { leadUnit: 'police', deadline: '2014-11-10' }))).toEqual(notFound);
    expect(await refusal(s.move(h.id, EDUCATION, 'accept'))).toEqual(notFound);
    // A co-unit sees it, and may sign for its part, not for the whole.
    expect((await refusal(s.move(h.id, SAFETY, 'accept'))).status).toBe(403);
  });
});

describe('who plays which part', () => {
  it('actorsFor: the office, the lead unit, a co-unit, the tipster, the system; anyone else none', () => {
    const h = { leadUnitCode: 'police' };
    expect(actorsFor(ADMIN, h)).toEqual(['admin']);
    expect(actorsFor(POLICE, h, ['work-safety'])).toEqual(['lead']);
    expect(actorsFor(SAFETY, h, ['work-safety'])).toEqual(['co']);
    expect(actorsFor(SAFETY, h)).toEqual([]);
    expect(actorsFor(EDUCATION, h, ['work-safety'])).toEqual([]);
    expect(actorsFor(POLICE, { leadUnitCode: null })).toEqual([]);
    expect(actorsFor(TIPSTER, h)).toEqual(['tipster']);
    expect(actorsFor({ role: 'system' }, h)).toEqual(['system']);
    expect(actorsFor(LEADER, h)).toEqual([]);
  });

  it('canSee: the office and leaders see every hazard, a unit only those it leads or co-operates on', async () => {
    const s = await setup();
    const h = await s.inState('assigned', { leadUnitCode: 'police', deadline: '2014-11-10' }, ['work-safety']);
    const row = await s.row(h.id);
    expect(await Promise.all([ADMIN, LEADER, POLICE, SAFETY, EDUCATION].map((p) => canSee(s.db, p, row)))).toEqual([true, true, true, true, false]);
  });
});

describe('what a move writes', () => {
  it('an assignment: the lead, its deadline and kind, a fresh start (no overdue mark, no reminder), the co-units, one entry', async () => {
    const s = await setup();
    // Reopened after a close: the old overdue mark and reminder must not carry over.
    const h = await s.inState('reopened', { overdue: true, remindedAt: AT - 1000 });
    const result = await s.move(h.id, ADMIN, 'assign', { leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-10', deadlineKind: 'calendar', note: '请尽快' });
    expect(result).toEqual({ id: h.id, number: h.number, from: 'reopened', state: 'assigned', action: 'assign', allowed: ['reassign', 'urge'] });
    expect(await s.row(h.id)).toMatchObject({ state: 'assigned', leadUnitCode: 'police', deadline: '2014-11-10', deadlineKind: 'calendar', overdue: false, remindedAt: null, updatedAt: AT });
    expect(await s.coUnitsOf(h.id)).toEqual(['work-safety']);
    const e = await s.lastEvent(h.id);
    expect([e.action, e.at, e.fromState, e.toState, e.actorRole, e.actorUnitCode, e.note, JSON.parse(e.data!)]).toEqual([
      'assign', AT, 'reopened', 'assigned', 'admin', 'office', '请尽快',
      { leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-10', deadlineKind: 'calendar' },
    ]);
    expect(s.facts.at(-1)).toEqual({
      action: 'assign',
      hazardIds: [h.id],
      facts: [{ id: h.id, number: h.number, category: 'rental-housing', place: '东风路12号', deadline: '2014-11-10', state: 'assigned', leadUnitCode: 'police', coUnits: ['work-safety'], actorUnitCode: 'office', tipster: null }],
    });
  });

  it('a reassignment without co-units drops the old ones, and an overdue hazard starts afresh', async () => {
    const s = await setup();
    const h = await s.inState('rectifying', { leadUnitCode: 'police', deadline: '2014-11-01', deadlineKind: 'working', overdue: true, remindedAt: AT - 1000 }, ['work-safety']);
    await s.move(h.id, ADMIN, 'reassign', { leadUnit: 'education', deadline: '2014-11-12' });
    expect(await s.row(h.id)).toMatchObject({ state: 'assigned', leadUnitCode: 'education', deadline: '2014-11-12', deadlineKind: 'working', overdue: false, remindedAt: null });
    expect(await s.coUnitsOf(h.id)).toEqual([]);
    expect(JSON.parse((await s.lastEvent(h.id)).data!)).toEqual({ leadUnit: 'education', coUnits: [], deadline: '2014-11-12', deadlineKind: 'working' });
    expect(s.facts.at(-1)!.facts[0]!.coUnits).toEqual([]);
  });

  it('a return: the unit lets go — no lead, deadline, kind, overdue mark, reminder or co-units; the reason is the note', async () => {
    const s = await setup();
    const h = await s.inState('assigned', { leadUnitCode: 'police', deadline: '2014-11-01', deadlineKind: 'working', overdue: true, remindedAt: AT - 1000 }, ['work-safety']);
    const result = await s.move(h.id, POLICE, 'return', { reason: '不属于本单位职责' });
    // Once returned, the unit has nothing more to do with it.
    expect(result).toEqual({ id: h.id, number: h.number, from: 'assigned', state: 'returned', action: 'return', allowed: [] });
    expect(await s.row(h.id)).toMatchObject({ state: 'returned', leadUnitCode: null, deadline: null, deadlineKind: null, overdue: false, remindedAt: null });
    expect(await s.coUnitsOf(h.id)).toEqual([]);
    const e = await s.lastEvent(h.id);
    expect([e.actorRole, e.actorUnitCode, e.note, e.data]).toEqual(['unit', 'police', '不属于本单位职责', null]);
    expect(s.facts.at(-1)!.facts[0]).toMatchObject({ leadUnitCode: null, deadline: null, coUnits: [], actorUnitCode: 'police' });
  });

  it('a move that names no units keeps the co-units, and tells the hooks who they are', async () => {
    const s = await setup();
    const h = await s.inState('rectifying', { leadUnitCode: 'police', deadline: '2014-11-10', deadlineKind: 'working' }, ['work-safety']);
    await s.move(h.id, ADMIN, 'urge', { note: '请本周内整改到位' });
    expect(await s.row(h.id)).toMatchObject({ state: 'rectifying', leadUnitCode: 'police', deadline: '2014-11-10' });
    expect(await s.coUnitsOf(h.id)).toEqual(['work-safety']);
    expect(s.facts.at(-1)!.facts[0]).toMatchObject({ state: 'rectifying', leadUnitCode: 'police', deadline: '2014-11-10', coUnits: ['work-safety'], actorUnitCode: 'office' });
  });

  it('a close-out: when, which day, and on time if the fix was reported by the deadline; no deadline is on time', async () => {
    const s = await setup();
    const late = await s.inState('fixed_reported', { leadUnitCode: 'police', deadline: '2014-11-03' });
    await s.move(late.id, ADMIN, 'close');
    expect(await s.row(late.id)).toMatchObject({ state: 'closed', closedAt: AT, closedDay: '2014-11-04', closedOnTime: false });
    const onTheDay = await s.inState('fixed_reported', { leadUnitCode: 'police', deadline: '2014-11-04' });
    await s.move(onTheDay.id, ADMIN, 'close');
    expect((await s.row(onTheDay.id)).closedOnTime).toBe(true);
    const none = await s.inState('fixed_reported', { leadUnitCode: 'police' });
    await s.move(none.id, ADMIN, 'close', { note: '复查合格' });
    expect(await s.row(none.id)).toMatchObject({ closedOnTime: true, closedDay: '2014-11-04' });
    expect((await s.lastEvent(none.id)).note).toBe('复查合格');
  });

  it('a move between open states sets no close fields; one between closed states clears none', async () => {
    const s = await setup();
    const h = await s.inState('fixed_reported', { leadUnitCode: 'police', deadline: '2014-11-10' });
    await s.move(h.id, ADMIN, 'reject', { reason: '仍有杂物' });
    expect(await s.row(h.id)).toMatchObject({ state: 'rectifying', closedAt: null, closedDay: null, closedOnTime: null });
    const c = await s.inState('closed', { leadUnitCode: 'police', deadline: '2014-11-03', deadlineKind: 'working', closedAt: AT - 5000, closedDay: '2014-11-03', closedOnTime: true });
    await s.move(c.id, TIPSTER, 'confirm_fixed');
    expect(await s.row(c.id)).toMatchObject({ state: 'closed', deadline: '2014-11-03', deadlineKind: 'working', closedAt: AT - 5000, closedDay: '2014-11-03', closedOnTime: true });
    const e = await s.lastEvent(c.id);
    expect([e.action, e.fromState, e.toState, e.actorRole, e.actorUnitCode, e.note, e.data]).toEqual(['confirm_fixed', 'closed', 'closed', 'tipster', null, null, null]);
  });

  it("a tipster's reopen clears every close field, the old deadline, its kind, the overdue mark and the reminder", async () => {
    const s = await setup();
    const h = await s.inState('fixed_on_spot', {
      leadUnitCode: 'police', deadline: '2014-11-01', deadlineKind: 'working', overdue: true, remindedAt: AT - 9000, closedAt: AT - 5000, closedDay: '2014-11-03', closedOnTime: false,
    });
    const result = await s.move(h.id, TIPSTER, 'reopen');
    expect(result).toEqual({ id: h.id, number: h.number, from: 'fixed_on_spot', state: 'reopened', action: 'reopen', allowed: [] });
    expect(await s.row(h.id)).toMatchObject({
      state: 'reopened', deadline: null, deadlineKind: null, overdue: false, remindedAt: null, closedAt: null, closedDay: null, closedOnTime: null,
    });
  });

  it('a fix report keeps its photo in the entry; without one the entry has no data', async () => {
    const s = await setup();
    const h = await s.inState('rectifying', { leadUnitCode: 'police', deadline: '2014-11-10' });
    const r = await s.move(h.id, POLICE, 'report_fixed', { note: '已清理', photo: 'h/2014/a.jpg' });
    expect(r.allowed).toEqual([]);
    expect(JSON.parse((await s.lastEvent(h.id)).data!)).toEqual({ photo: 'h/2014/a.jpg' });
    const other = await s.inState('rectifying', { leadUnitCode: 'police', deadline: '2014-11-10' });
    await s.move(other.id, POLICE, 'progress', { note: '已约谈房东' });
    expect((await s.lastEvent(other.id)).data).toBeNull();
  });
});

describe('a merge', () => {
  it('marks the duplicate, adds its reports to the kept one, and writes the merge in the kept one\'s history', async () => {
    const s = await setup();
    const keeper = await s.inState('assigned', { leadUnitCode: 'police', deadline: '2014-11-10', reportCount: 2 });
    const dup = await s.hazard('东风路12号院');
    await s.db.update(hazards).set({ reportCount: 3 }).where(eq(hazards.id, dup.id));
    const result = await s.move(dup.id, ADMIN, 'duplicate', { duplicateOf: keeper.id, note: '同一处' });
    expect(result).toEqual({ id: dup.id, number: dup.number, from: 'reported', state: 'duplicate', action: 'duplicate', allowed: [] });
    expect(await s.row(dup.id)).toMatchObject({ state: 'duplicate', duplicateOf: keeper.id, closedAt: AT, closedDay: '2014-11-04' });
    expect(await s.row(keeper.id)).toMatchObject({ state: 'assigned', reportCount: 5, updatedAt: AT });
    const merged = await s.lastEvent(keeper.id);
    expect([merged.action, merged.at, merged.fromState, merged.toState, merged.actorRole, merged.actorUnitCode, merged.note, JSON.parse(merged.data!)]).toEqual([
      'merged', AT, 'assigned', 'assigned', 'admin', 'office', `合并重复反映 ${dup.number}`, { merged: dup.id },
    ]);
    const e = await s.lastEvent(dup.id);
    expect([e.action, e.note, JSON.parse(e.data!)]).toEqual(['duplicate', '同一处', { duplicateOf: keeper.id }]);
    expect(s.facts.at(-1)).toMatchObject({ action: 'duplicate', hazardIds: [dup.id, keeper.id] });
  });
});

describe("a co-unit's part", () => {
  it('after signing for it, the co-unit may report progress and its part done; after that, progress only', async () => {
    const s = await setup();
    const h = await s.inState('rectifying', { leadUnitCode: 'police', deadline: '2014-11-10' }, ['work-safety']);
    expect((await s.move(h.id, SAFETY, 'accept_part')).allowed).toEqual(['progress', 'report_part_fixed']);
    expect((await s.move(h.id, SAFETY, 'progress', { note: '已排查' })).allowed).toEqual(['progress', 'report_part_fixed']);
    expect((await s.move(h.id, SAFETY, 'report_part_fixed', { note: '已加装消防器材' })).allowed).toEqual(['progress']);
    expect(await refusal(s.move(h.id, SAFETY, 'report_part_fixed', { note: '再报一次' }))).toMatchObject({ status: 409, details: { state: 'rectifying', allowed: ['progress'] } });
    const e = await s.lastEvent(h.id);
    expect([e.action, e.fromState, e.toState, e.actorRole, e.actorUnitCode]).toEqual(['report_part_fixed', 'rectifying', 'rectifying', 'unit', 'work-safety']);
    expect((await s.row(h.id)).state).toBe('rectifying');
  });

  it('signed for before the lead signs: nothing more to do until the hazard is being rectified', async () => {
    const s = await setup();
    const h = await s.inState('assigned', { leadUnitCode: 'police', deadline: '2014-11-10' }, ['work-safety']);
    expect((await s.move(h.id, SAFETY, 'accept_part')).allowed).toEqual([]);
    expect((await s.move(h.id, POLICE, 'accept')).allowed).toEqual(['report_fixed', 'progress']);
  });
});

describe('the tipster', () => {
  it('is named to the hooks (for an SMS) when the tip asked for updates, and only then', async () => {
    const s = await setup();
    const tipWith = async (payload: Record<string, unknown>, receipt: string) => {
      const [sub] = await s.db
        .insert(submissions)
        .values({ formId: 'hazard-tip', formVersion: 1, source: 'public', day: '2014-11-04', payload: JSON.stringify(payload), receipt, createdAt: AT })
        .returning({ id: submissions.id });
      return { submissionId: sub!.id, hazard: await s.inState('reported', { submissionId: sub!.id }) };
    };
    const asked = await tipWith({ smsUpdates: 'yes' }, 'R-ASKED');
    await s.move(asked.hazard.id, ADMIN, 'not_a_hazard', { reason: '正常施工' });
    expect(s.facts.at(-1)!.facts[0]!.tipster).toEqual({ submissionId: asked.submissionId, receipt: 'R-ASKED' });
    const quiet = await tipWith({}, 'R-QUIET');
    await s.move(quiet.hazard.id, ADMIN, 'not_a_hazard', { reason: '正常施工' });
    expect(s.facts.at(-1)!.facts[0]!.tipster).toBeNull();
  });
});

describe('a move decided on reads that are out of date (a race lost)', () => {
  it('is refused with 409 and writes nothing, whether the state or only the history moved on', async () => {
    const s = await setup();
    const h = await s.inState('assigned', { leadUnitCode: 'police', deadline: '2014-11-10' });
    const stale = await readTransitionState(s.db, h.id, {});
    // The office urges in between: same state, one more entry in the history.
    await s.move(h.id, ADMIN, 'urge', { note: '请尽快签收' });
    const before = await s.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id));
    const lost = transition(s.deps, { hazardId: h.id, actor: POLICE, action: 'accept', reads: stale });
    expect(await refusal(lost)).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION' });
    expect(await s.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id))).toEqual(before);
    expect((await s.row(h.id)).state).toBe('assigned');

    // The state moved without an entry (a write from elsewhere): the state as read guards too.
    const read = await readTransitionState(s.db, h.id, {});
    await s.db.update(hazards).set({ state: 'rectifying' }).where(eq(hazards.id, h.id));
    expect((await refusal(transition(s.deps, { hazardId: h.id, actor: POLICE, action: 'accept', reads: read }))).status).toBe(409);
    expect(await s.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id))).toEqual(before);
  });

  it('reads made for another input are made again (the units it names are looked up)', async () => {
    const s = await setup();
    const h = await s.hazard();
    const forOther = await readTransitionState(s.db, h.id, { leadUnit: 'nowhere' });
    const r = await transition(s.deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-10' }, reads: forOther });
    expect(r.state).toBe('assigned');
    expect((await s.row(h.id)).leadUnitCode).toBe('police');
  });
});
