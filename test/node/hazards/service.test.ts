// The hazard state machine through the service: numbering, every legal and illegal move, closing fields, merges.
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { hazardCoUnits, hazardEvents, hazards } from '../../../src/db/schema.ts';
import type { Principal } from '../../../src/auth/codes.ts';
import { AppError } from '../../../src/lib/errors.ts';
import { createHazard } from '../../../src/hazards/create.ts';
import { transition, type HazardActor, type TransitionInput } from '../../../src/hazards/service.ts';
import { ACTION_IDS, ACTIONS, STATE_IDS, STATES, allowedActions, isClosed, isOpen, nextState, type HazardAction } from '../../../src/hazards/states.ts';
import { duplicateCandidates, listHazards, normalisePlace } from '../../../src/hazards/queries.ts';
import { runHazardSupervision } from '../../../src/hazards/overdue.ts';
import type { Change, ChangeHook } from '../../../src/core/changes.ts';
import type { Deps } from '../../../src/deps.ts';
import { makeTestApp } from '../../helpers/app.ts';

type HazardChange = Omit<Extract<Change, { kind: 'hazards' }>, 'kind'>;

/** Deps whose change hooks end with `hooks` (more may be pushed later), and the hazard changes they were told of. */
function hearingHazardChanges(deps: Deps) {
  const seen: HazardChange[] = [];
  const record: ChangeHook = (_q, change) => {
    if (change.kind !== 'hazards') return [];
    const { kind: _kind, facts: _facts, ...hazardChange } = change;
    seen.push(hazardChange);
    return [];
  };
  const hooks: ChangeHook[] = [...deps.plugins.changeHooks, record];
  return { seen, hooks, deps: { ...deps, plugins: { ...deps.plugins, changeHooks: hooks } } };
}

const ADMIN: Principal = { codeId: 1, role: 'admin', unitCode: 'office' };
const POLICE: Principal = { codeId: 2, role: 'unit', unitCode: 'police' };
const FIRE: Principal = { codeId: 3, role: 'unit', unitCode: 'work-safety' };
const OTHER: Principal = { codeId: 4, role: 'unit', unitCode: 'education' };
const LEADER: Principal = { codeId: 5, role: 'leader', unitCode: 'office' };

// 2014-11-04 10:00 Beijing time.
const NOW = '2014-11-04T02:00:00Z';

async function tip(db: Parameters<typeof createHazard>[0], at = Date.parse(NOW), place = '金台区东风路12号出租屋', category = 'rental-housing') {
  return createHazard(db, { source: 'tip', category, place, description: '楼道堆放杂物，消防通道堵塞', at });
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    if (err instanceof AppError) return err.status;
    throw err;
  }
}

describe('hazard numbers', () => {
  it('count per Asia/Shanghai day of creation', async () => {
    const { db } = await makeTestApp();
    const a = await tip(db, Date.parse('2014-11-04T15:59:59Z')); // 23:59:59 Beijing
    const b = await tip(db, Date.parse('2014-11-04T10:00:00Z'));
    const c = await tip(db, Date.parse('2014-11-04T16:00:00Z')); // 00:00 on the 5th
    expect([a.number, b.number, c.number]).toEqual(['YH-20141104-0001', 'YH-20141104-0002', 'YH-20141105-0001']);
    expect(a.state).toBe('reported');
  });
});

describe('the state machine tables', () => {
  it('give every state a type and a label, and every action known states', () => {
    for (const s of STATE_IDS) {
      expect(['open', 'closed']).toContain(STATES[s].type);
      expect(STATES[s].label).toMatch(/\p{Script=Han}/u);
    }
    for (const a of ACTION_IDS) {
      const def = ACTIONS[a] as { from: readonly string[]; to?: string };
      for (const f of def.from) expect(STATE_IDS).toContain(f);
      if (def.to) expect(STATE_IDS).toContain(def.to);
    }
    expect(isOpen('reported')).toBe(true);
    expect(isClosed('fixed_on_spot')).toBe(true);
    expect(allowedActions('reported', ['admin'])).toEqual(['assign', 'fix_on_spot', 'duplicate', 'not_a_hazard']);
  });
});

describe('the graph of the machine', () => {
  it('reaches every state from where hazards start, and no open state is a dead end', () => {
    const seen = new Set<string>(['reported', 'fixed_on_spot', 'rectifying']);
    const queue = [...seen];
    while (queue.length) {
      const state = queue.shift()!;
      for (const a of ACTION_IDS) {
        const to = nextState(state, a);
        if (to && !seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...STATE_IDS].sort());
    for (const s of STATE_IDS.filter(isOpen)) {
      const moves = ACTION_IDS.filter((a) => (ACTIONS[a] as { to?: string }).to && nextState(s, a) !== null && nextState(s, a) !== s);
      expect(moves.length, s).toBeGreaterThan(0);
    }
  });
});

const VALID_INPUT: Record<HazardAction, (keeperId: number) => TransitionInput> = {
  assign: () => ({ leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-10' }),
  reassign: () => ({ leadUnit: 'police', deadline: '2014-11-12' }),
  accept: () => ({}),
  return: () => ({ reason: '不属于本单位职责' }),
  report_fixed: () => ({ note: '已清理杂物' }),
  reject: () => ({ reason: '现场复查仍有杂物' }),
  close: () => ({ note: '复查合格' }),
  fix_on_spot: () => ({ note: '当场清理' }),
  duplicate: (keeperId) => ({ duplicateOf: keeperId }),
  not_a_hazard: () => ({ reason: '经核实为正常施工' }),
  urge: () => ({ note: '请于本周内整改到位' }),
  progress: () => ({ note: '已约谈房东' }),
  accept_part: () => ({}),
  report_part_fixed: () => ({ note: '已加装消防器材' }),
  reopen: () => ({}),
  confirm_fixed: () => ({}),
};

describe('every state × action × actor', () => {
  it('moves only along the table; every other move is refused and changes nothing', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    const keeper = await tip(db, Date.parse(NOW), '别处');
    const actors: { name: string; actor: HazardActor; plays: ('admin' | 'lead' | 'co' | 'tipster')[]; sees: boolean }[] = [
      { name: 'office', actor: ADMIN, plays: ['admin'], sees: true },
      { name: 'lead unit', actor: POLICE, plays: ['lead'], sees: true },
      { name: 'co-unit', actor: FIRE, plays: ['co'], sees: true },
      { name: 'another unit', actor: OTHER, plays: [], sees: false },
      { name: 'leader', actor: LEADER, plays: [], sees: true },
      { name: 'tipster', actor: { role: 'tipster' }, plays: ['tipster'], sees: true },
    ];
    let checked = 0;
    for (const state of STATE_IDS) {
      for (const action of [...ACTION_IDS, 'fly_away']) {
        for (const a of actors) {
          const h = await tip(db);
          await db.update(hazards).set({ state, leadUnitCode: 'police', deadline: '2014-11-08' }).where(eq(hazards.id, h.id));
          await db.insert(hazardCoUnits).values({ hazardId: h.id, unitCode: 'work-safety' });
          const before = (await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id))).length;
          const known = (ACTION_IDS as string[]).includes(action);
          const to = known ? nextState(state, action as HazardAction) : null;
          const byOk = known && (ACTIONS[action as HazardAction].by as readonly string[]).some((b) => a.plays.includes(b as 'admin'));
          // A co-unit that has not signed for its part may only sign for it (parts.ts).
          const partOk = !a.plays.includes('co') || action === 'accept_part';
          const expected = !a.sees ? 404 : a.actor.role === 'leader' ? 403 : !to ? 409 : !byOk ? 403 : !partOk ? 409 : 200;
          const status = await statusOf(
            transition(deps, { hazardId: h.id, actor: a.actor, action, input: known ? VALID_INPUT[action as HazardAction](keeper.id) : {} }),
          );
          const label = `${state} --${action}--> by ${a.name}`;
          expect(status, label).toBe(expected);
          const [after] = await db.select().from(hazards).where(eq(hazards.id, h.id));
          const events = (await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id))).length;
          if (expected === 200) {
            expect(after!.state, label).toBe(to);
            expect(events, label).toBe(before + 1);
          } else {
            expect(after!.state, label).toBe(state);
            expect(events, label).toBe(before);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(STATE_IDS.length * (ACTION_IDS.length + 1) * actors.length);
  });

  it('lets the lead unit return a hazard only before signing for it, never once it is being rectified (R13)', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    expect(ACTIONS.return.from).toEqual(['assigned']);
    expect(allowedActions('assigned', ['lead'])).toContain('return');
    expect(allowedActions('rectifying', ['lead'])).toEqual(['report_fixed', 'progress']);
    const h = await tip(db);
    await db.update(hazards).set({ state: 'rectifying', leadUnitCode: 'police', deadline: '2014-11-01', overdue: true }).where(eq(hazards.id, h.id));
    const err = (await transition(deps, { hazardId: h.id, actor: POLICE, action: 'return', input: { reason: '不属于本单位职责' } }).catch((e: unknown) => e)) as AppError;
    expect([err.status, err.code, (err.details as { allowed: string[] }).allowed]).toEqual([409, 'ILLEGAL_TRANSITION', ['report_fixed', 'progress']]);
    const [after] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([after!.state, after!.leadUnitCode, after!.overdue]).toEqual(['rectifying', 'police', true]);
  });

  it('answers an illegal move with 409 and the actions allowed to that actor', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    const err = await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'close' }).catch((e: unknown) => e as AppError);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(409);
    expect((err as AppError).details).toEqual({ state: 'reported', allowed: ['assign', 'fix_on_spot', 'duplicate', 'not_a_hazard'] });
    expect((err as AppError).message).toBe('该隐患当前为「待分办」，不能进行「核查销号」，现在可以：交办（挂牌督办）、已现场整改、合并为重复反映、不属于隐患');
  });

  it('requires the fields an action needs, with Chinese messages per field', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    const err = (await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'nowhere', deadline: '2014-11-01' } }).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(err.status).toBe(422);
    expect(err.details).toEqual({
      errors: [
        { field: 'leadUnit', message: '牵头单位不存在，请从列表中选择' },
        { field: 'deadline', message: '整改期限不能早于今天' },
      ],
    });
    const ret = (await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'not_a_hazard', input: { reason: '  ' } }).catch((e: unknown) => e)) as AppError;
    expect(ret.status).toBe(422);
    expect((await db.select().from(hazards).where(eq(hazards.id, h.id)))[0]!.state).toBe('reported');
  });
});

describe('paths through the machine', () => {
  it('assign → return → reassign: the returning unit lets go, the new lead takes it with co-units and a deadline', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    const r1 = await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'education', days: 5, deadlineKind: 'working' } });
    expect(r1.state).toBe('assigned');
    let [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    // 2014-11-04 is a Tuesday: five working days later is Tuesday 11th.
    expect([row!.leadUnitCode, row!.deadline, row!.deadlineKind]).toEqual(['education', '2014-11-11', 'working']);
    const r2 = await transition(deps, { hazardId: h.id, actor: { codeId: 9, role: 'unit', unitCode: 'education' }, action: 'return', input: { reason: '出租屋不归教育部门管' } });
    expect(r2.state).toBe('returned');
    [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect(row!.leadUnitCode).toBeNull();
    const r3 = await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', coUnits: 'work-safety,housing', deadline: '2014-11-10' } });
    expect(r3.state).toBe('assigned');
    const co = await db.select().from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, h.id));
    expect(co.map((c) => c.unitCode).sort()).toEqual(['housing', 'work-safety']);
    const events = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id)).orderBy(hazardEvents.id);
    expect(events.map((e) => [e.action, e.fromState, e.toState, e.actorRole, e.actorUnitCode, e.note])).toEqual([
      ['report', null, 'reported', 'tipster', null, null],
      ['assign', 'reported', 'assigned', 'admin', 'office', null],
      ['return', 'assigned', 'returned', 'unit', 'education', '出租屋不归教育部门管'],
      ['assign', 'returned', 'assigned', 'admin', 'office', null],
    ]);
  });

  it('fix → rejected → fixed → closed: closing sets the close day and whether it was on time', async () => {
    const { db, deps, setNow } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-07' } });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'accept' });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理', photo: 'photos/2014/abc.jpg' } });
    const rej = await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'reject', input: { reason: '复查仍堵塞' } });
    expect(rej.state).toBe('rectifying');
    setNow('2014-11-07T15:00:00Z'); // 23:00 on the deadline day, Beijing time
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'report_fixed', input: { note: '彻底清理并加装指示牌' } });
    const closed = await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'close', input: { note: '复查合格，予以销号' } });
    expect(closed.state).toBe('closed');
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.closedDay, row!.closedOnTime, row!.closedAt]).toEqual(['2014-11-07', true, Date.parse('2014-11-07T15:00:00Z')]);
    const photoEvent = (await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id))).find((e) => e.data?.includes('photo'));
    expect(JSON.parse(photoEvent!.data!)).toEqual({ photo: 'photos/2014/abc.jpg' });
  });

  it('a close after the deadline day is late', async () => {
    const { db, deps, setNow } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-07' } });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'accept' });
    setNow('2014-11-07T16:00:00Z'); // 00:00 on the 8th, Beijing time
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理' } });
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'close' });
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.closedDay, row!.closedOnTime]).toEqual(['2014-11-08', false]);
  });

  it('a fix reported on the deadline day waits on the office without being marked overdue, and closes on time when verified later', async () => {
    const { db, deps, setNow } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    const slow = await tip(db, Date.parse(NOW), '别处仓库');
    for (const x of [h, slow]) {
      await transition(deps, { hazardId: x.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-07' } });
      await transition(deps, { hazardId: x.id, actor: POLICE, action: 'accept' });
    }
    setNow('2014-11-07T15:00:00Z'); // 23:00 on the deadline day, Beijing time
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理' } });
    // The office verifies three days later; the supervision pass runs in between.
    for (const iso of ['2014-11-07T16:05:00Z', '2014-11-09T02:00:00Z']) {
      setNow(iso);
      await runHazardSupervision(deps, new Date(iso));
    }
    const marks = async (id: number) => (await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, id))).filter((e) => e.action === 'overdue').length;
    const [waiting] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([waiting!.state, waiting!.overdue, await marks(h.id)]).toEqual(['fixed_reported', false, 0]);
    // The one still with the unit is late, as before.
    const [late] = await db.select().from(hazards).where(eq(hazards.id, slow.id));
    expect([late!.state, late!.overdue, await marks(slow.id)]).toEqual(['rectifying', true, 1]);
    const list = await listHazards(db, { status: 'overdue', today: '2014-11-09' });
    expect(list.map((v) => v.id)).toEqual([slow.id]);
    const all = await listHazards(db, { status: 'open', today: '2014-11-09' });
    expect(all.find((v) => v.id === h.id)).toMatchObject({ overdue: false, daysOverdue: 0 });

    setNow('2014-11-10T02:00:00Z');
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'close' });
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.closedDay, row!.closedOnTime]).toEqual(['2014-11-10', true]);
  });

  it('on-time is judged on the latest fix report: one rejected and reported again after the deadline is late', async () => {
    const { db, deps, setNow } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-07' } });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'accept' });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理' } });
    setNow('2014-11-08T02:00:00Z');
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'reject', input: { reason: '复查仍堵塞' } });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'report_fixed', input: { note: '彻底清理' } });
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'close' });
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.closedDay, row!.closedOnTime]).toEqual(['2014-11-08', false]);
  });

  it('a tipster\'s "not fixed" reopens it without the old deadline, so it is not shown as overdue until the office assigns it again', async () => {
    const { db, deps, setNow } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-07' } });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'accept' });
    await transition(deps, { hazardId: h.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理' } });
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'close' });
    setNow('2014-11-20T02:00:00Z');
    const r = await transition(deps, { hazardId: h.id, actor: { role: 'tipster' }, action: 'reopen' });
    expect(r.state).toBe('reopened');
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.deadline, row!.deadlineKind, row!.overdue, row!.remindedAt, row!.closedDay]).toEqual([null, null, false, null, null]);
    await runHazardSupervision(deps, new Date('2014-11-20T02:00:00Z'));
    expect((await db.select().from(hazards).where(eq(hazards.id, h.id)))[0]!.overdue).toBe(false);
    // The office assigns it again with a fresh deadline.
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-25' } });
    const [again] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([again!.state, again!.deadline, again!.overdue]).toEqual(['assigned', '2014-11-25', false]);
  });

  it('fixed on the spot closes at once, on time, and counts for the unit that fixed it', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    const h = await tip(db);
    const r = await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'fix_on_spot', input: { note: '社区网格员当场清理', leadUnit: 'zhongshan-east' } });
    expect(r.state).toBe('fixed_on_spot');
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.closedDay, row!.closedOnTime, row!.leadUnitCode]).toEqual(['2014-11-04', true, 'zhongshan-east']);
  });
});

describe('duplicates', () => {
  it('finds tips at the same normalised place and category within 7 days, and merging raises the kept count', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    const kept = await tip(db, Date.parse('2014-11-01T02:00:00Z'), '东风路 12 号出租屋');
    const again = await tip(db, Date.parse(NOW), '东风路12号，出租屋');
    await tip(db, Date.parse(NOW), '东风路12号出租屋', 'fire'); // another category
    await tip(db, Date.parse('2014-10-20T02:00:00Z'), '东风路12号出租屋'); // too long ago
    await tip(db, Date.parse(NOW), '西关街3号'); // another place
    expect(normalisePlace('东风路１２号 出租屋。')).toBe(normalisePlace('东风路12号出租屋'));
    const [row] = await db.select().from(hazards).where(eq(hazards.id, again.id));
    const candidates = await duplicateCandidates(db, row!, '2014-11-04');
    expect(candidates.map((c) => c.number)).toEqual([kept.number]);

    const merged = await transition(deps, { hazardId: again.id, actor: ADMIN, action: 'duplicate', input: { duplicateOf: kept.number } });
    expect(merged.state).toBe('duplicate');
    const [k] = await db.select().from(hazards).where(eq(hazards.id, kept.id));
    const [m] = await db.select().from(hazards).where(eq(hazards.id, again.id));
    expect(k!.reportCount).toBe(2);
    expect([m!.duplicateOf, m!.closedDay]).toEqual([kept.id, '2014-11-04']);
    const keptEvents = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, kept.id));
    expect(keptEvents.map((e) => e.action)).toEqual(['report', 'merged']);

    // More reports, higher in the triage list.
    const list = await listHazards(db, { status: 'triage', today: '2014-11-04' });
    expect(list[0]!.number).toBe(kept.number);
    expect(list[0]!.reportCount).toBe(2);
    expect(list.map((h) => h.number)).not.toContain(again.number);

    const self = (await transition(deps, { hazardId: kept.id, actor: ADMIN, action: 'duplicate', input: { duplicateOf: again.id } }).catch((e: unknown) => e)) as AppError;
    expect(self.status).toBe(422);
  });
});

describe('hazard change hooks', () => {
  it('add their statements to the transition’s batch: a failing statement rolls the move back', async () => {
    const t = await makeTestApp({ now: NOW });
    const { db } = t;
    const h = await tip(db);
    const { seen, hooks, deps } = hearingHazardChanges(t.deps);
    // A statement the database refuses, as when a plugin's table is gone.
    const fail: ChangeHook = (q) => [q.run(sql`INSERT INTO outbox_that_is_gone (x) VALUES (1)`)];
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'not_a_hazard', input: { reason: '正常施工' } });
    expect(seen).toContainEqual({ hazardIds: [h.id], action: 'not_a_hazard', at: Date.parse(NOW) });
    const other = await tip(db);
    hooks.push(fail);
    await expect(transition(deps, { hazardId: other.id, actor: ADMIN, action: 'fix_on_spot', input: { note: '当场清理' } })).rejects.toThrow(/outbox_that_is_gone/);
    const [row] = await db.select().from(hazards).where(eq(hazards.id, other.id));
    expect(row!.state).toBe('reported');
    expect(await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, other.id))).toHaveLength(1);
  });
});

describe('the supervision pass', () => {
  it('tells the change hooks (where a notifier would sit) about reminders and overdue marks, once each', async () => {
    const t = await makeTestApp({ now: NOW });
    const { db } = t;
    const h = await tip(db);
    await transition(t.deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-05', deadlineKind: 'calendar' } });
    const { seen, deps } = hearingHazardChanges(t.deps);
    for (const at of ['2014-11-04T03:00:00Z', '2014-11-04T03:05:00Z', '2014-11-05T16:00:00Z', '2014-11-05T16:05:00Z']) {
      await runHazardSupervision(deps, new Date(at));
    }
    expect(seen).toEqual([
      { hazardIds: [h.id], action: 'remind', at: Date.parse('2014-11-04T03:00:00Z') },
      { hazardIds: [h.id], action: 'overdue', at: Date.parse('2014-11-05T16:00:00Z') },
    ]);
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.overdue, row!.remindedAt]).toEqual([true, Date.parse('2014-11-04T03:00:00Z')]);
  });
});

describe('numbers past 9999 a day', () => {
  it('keep counting numerically', async () => {
    const { db } = await makeTestApp({ now: NOW });
    const first = await tip(db);
    await db.update(hazards).set({ number: 'YH-20141104-9999' }).where(eq(hazards.id, first.id));
    const next = await tip(db);
    expect(next.number).toBe('YH-20141104-10000');
    expect((await tip(db)).number).toBe('YH-20141104-10001');
  });
});
