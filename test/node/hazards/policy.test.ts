// Who may do what to a hazard, written from the plan (R10–R13, DOMAIN.md) as literal data — not derived from
// states.ts — and compared both ways with the table (allowedActions) and with what transition() really does.
// A change of who may close out (销号), return (退单) or reopen fails here with the rule it breaks.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazardCoUnits, hazardEvents, hazards } from '../../../src/db/schema.ts';
import type { Principal } from '../../../src/auth/codes.ts';
import { AppError } from '../../../src/lib/errors.ts';
import { createHazard } from '../../../src/hazards/create.ts';
import { transition, type HazardActor, type TransitionInput } from '../../../src/hazards/service.ts';
import { ACTION_IDS, STATE_IDS, allowedActions, type Actor, type HazardAction, type HazardState } from '../../../src/hazards/states.ts';
import { makeTestApp } from '../../helpers/app.ts';

type Role = 'office' | 'lead' | 'co' | 'leader' | 'tipster';
const ROLES: readonly Role[] = ['office', 'lead', 'co', 'leader', 'tipster'];

/** The office's desk (R13): a new report, one a unit returned, one the tipster reopened. */
const TRIAGE = ['assign', 'fix_on_spot', 'duplicate', 'not_a_hazard'] as const;

/** THE PLAN. Every state, every role: the actions it may take. Anything not listed is refused. */
const POLICY: Record<HazardState, Record<Role, readonly HazardAction[]>> = {
  reported: { office: TRIAGE, lead: [], co: [], leader: [], tipster: [] },
  assigned: { office: ['reassign', 'urge'], lead: ['accept', 'return'], co: ['accept_part'], leader: [], tipster: [] },
  returned: { office: TRIAGE, lead: [], co: [], leader: [], tipster: [] },
  rectifying: { office: ['reassign', 'urge'], lead: ['report_fixed', 'progress'], co: ['accept_part', 'progress', 'report_part_fixed'], leader: [], tipster: [] },
  fixed_reported: { office: ['reject', 'close'], lead: [], co: [], leader: [], tipster: [] },
  reopened: { office: TRIAGE, lead: [], co: [], leader: [], tipster: [] },
  closed: { office: [], lead: [], co: [], leader: [], tipster: ['reopen', 'confirm_fixed'] },
  fixed_on_spot: { office: [], lead: [], co: [], leader: [], tipster: ['reopen', 'confirm_fixed'] },
  duplicate: { office: [], lead: [], co: [], leader: [], tipster: [] },
  not_a_hazard: { office: [], lead: [], co: [], leader: [], tipster: [] },
};

/** The rule each action answers to; a mismatch on it fails with this name. */
const RULE: Record<HazardAction, string> = {
  assign: 'R13: only the office names the responsible unit (挂牌督办), from its desk',
  reassign: 'R13: only the office reassigns or moves a deadline, while a unit holds the hazard',
  accept: 'R13: only the lead unit signs for (签收) its assigned hazard',
  return: 'R13: only the lead unit returns (退单), and only before signing — no buck-passing once signed',
  report_fixed: 'R11: only the lead unit reports its hazard fixed, while rectifying',
  reject: 'R13: only the office verifies a reported fix (and sends it back)',
  close: 'R13: only the office closes out (销号), after the fix is reported',
  fix_on_spot: 'R10: only the office records an on-the-spot fix, from its desk',
  duplicate: 'R13: only the office merges duplicates, from its desk',
  not_a_hazard: 'R13: only the office rules a report not a hazard, from its desk',
  urge: 'R13/R14: only the office urges (催办) a unit that holds the hazard',
  progress: 'R12: the lead unit and co-units report progress while rectifying',
  accept_part: 'R12: only a co-unit signs for its part, before the hazard is fixed',
  report_part_fixed: 'R12: only a co-unit reports its part done, while rectifying',
  reopen: 'R13: only the tipster reopens, and only after close-out',
  confirm_fixed: 'R13: only the tipster confirms the fix, and only after close-out',
};
const LEADERS_READ = 'R14: leaders read the results; they take no action';

const ADMIN: Principal = { codeId: 1, role: 'admin', unitCode: 'office' };
const LEAD: Principal = { codeId: 2, role: 'unit', unitCode: 'police' };
const CO: Principal = { codeId: 3, role: 'unit', unitCode: 'work-safety' };
const LEADER: Principal = { codeId: 5, role: 'leader', unitCode: 'office' };
const ACTOR: Record<Role, HazardActor> = { office: ADMIN, lead: LEAD, co: CO, leader: LEADER, tipster: { role: 'tipster' } };
/** The table's name for each role (leaders have none: they are refused before the table is asked). */
const TABLE_ACTOR: Record<Role, Actor[]> = { office: ['admin'], lead: ['lead'], co: ['co'], leader: [], tipster: ['tipster'] };

// 2014-11-04 10:00 Beijing time.
const NOW = '2014-11-04T02:00:00Z';

function input(action: HazardAction, keeperId: number): TransitionInput {
  const inputs: Record<HazardAction, TransitionInput> = {
    assign: { leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-10' },
    reassign: { leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-12' },
    accept: {},
    return: { reason: '不属于本单位职责' },
    report_fixed: { note: '已清理杂物' },
    reject: { reason: '现场复查仍有杂物' },
    close: { note: '复查合格' },
    fix_on_spot: { note: '当场清理' },
    duplicate: { duplicateOf: keeperId },
    not_a_hazard: { reason: '经核实为正常施工' },
    urge: { note: '请于本周内整改到位' },
    progress: { note: '已约谈房东' },
    accept_part: {},
    report_part_fixed: { note: '已加装消防器材' },
    reopen: {},
    confirm_fixed: {},
  };
  return inputs[action];
}

function ruleFor(role: Role, action: HazardAction): string {
  return role === 'leader' ? LEADERS_READ : RULE[action];
}

function mismatch(role: Role, action: HazardAction, state: string, planSays: boolean, codeSays: boolean, where: string): string {
  return `${ruleFor(role, action)} — ${where}: ${role} ${action} in ${state}: plan ${planSays ? 'allows' : 'refuses'}, code ${codeSays ? 'allows' : 'refuses'}`;
}

describe('the hazard policy of the plan', () => {
  it('is what the state table allows, both ways, for every state and role', () => {
    const wrong: string[] = [];
    for (const state of STATE_IDS) {
      for (const role of ROLES) {
        const table = new Set(TABLE_ACTOR[role].length ? allowedActions(state, TABLE_ACTOR[role]) : []);
        for (const action of ACTION_IDS) {
          const plan = POLICY[state][role].includes(action);
          if (plan !== table.has(action)) wrong.push(mismatch(role, action, state, plan, table.has(action), 'states.ts'));
        }
      }
    }
    expect(wrong).toEqual([]);
    // The policy names every state of the machine, and no more.
    expect(Object.keys(POLICY).sort()).toEqual([...STATE_IDS].sort());
  });

  it('is what transition() does, both ways: an allowed move moves and is recorded once, a refused one changes nothing', async () => {
    const { db, deps } = await makeTestApp({ now: NOW });
    const keeper = await createHazard(db, { source: 'tip', category: 'rental-housing', place: '别处', description: '保留的那一条', at: Date.parse(NOW) });
    const wrong: string[] = [];
    for (const state of STATE_IDS) {
      for (const role of ROLES) {
        for (const action of ACTION_IDS) {
          const plan = POLICY[state][role].includes(action);
          const h = await createHazard(db, { source: 'tip', category: 'rental-housing', place: '东风路12号', description: '消防通道堵塞', at: Date.parse(NOW) });
          await db.update(hazards).set({ state, leadUnitCode: 'police', deadline: '2014-11-08' }).where(eq(hazards.id, h.id));
          await db.insert(hazardCoUnits).values({ hazardId: h.id, unitCode: 'work-safety' });
          // A co-unit reports on its part once it has signed for it (parts.ts): give it the signature first.
          if (role === 'co' && action !== 'accept_part') {
            await db.insert(hazardEvents).values({ hazardId: h.id, at: Date.parse(NOW), action: 'accept_part', fromState: state, toState: state, actorRole: 'unit', actorUnitCode: 'work-safety' });
          }
          const before = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id));
          let status = 200;
          try {
            await transition(deps, { hazardId: h.id, actor: ACTOR[role], action, input: input(action, keeper.id) });
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            status = err.status;
          }
          const after = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id));
          const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
          const moved = status === 200;
          if (plan !== moved) wrong.push(mismatch(role, action, state, plan, moved, `transition() answered ${status}`));
          else if (moved && (after.length !== before.length + 1 || after.at(-1)!.action !== action)) wrong.push(`${ruleFor(role, action)} — ${role} ${action} in ${state} was not recorded once`);
          else if (!moved && (after.length !== before.length || row!.state !== state)) wrong.push(`${ruleFor(role, action)} — ${role} ${action} in ${state} was refused but changed the hazard`);
          // A refusal is the right one: 403 for a leader or a move that belongs to someone else, 409 for the wrong state.
          else if (!moved && ![403, 409].includes(status)) wrong.push(`${ruleFor(role, action)} — ${role} ${action} in ${state}: refused with ${status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the lead unit of a hazard (R12, R13)', () => {
  async function reported() {
    const t = await makeTestApp({ now: NOW });
    const h = await createHazard(t.db, { source: 'tip', category: 'rental-housing', place: '东风路12号', description: '消防通道堵塞', at: Date.parse(NOW) });
    return { ...t, h };
  }
  async function refusal(p: Promise<unknown>) {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    return [(err as AppError).status, ((err as AppError).details as { errors?: unknown }).errors];
  }

  it('is never the office itself: the office supervises, it does not rectify', async () => {
    const { deps, db, h } = await reported();
    for (const action of ['assign', 'fix_on_spot'] as const) {
      const body = action === 'assign' ? { leadUnit: 'office', deadline: '2014-11-10' } : { leadUnit: 'office', note: '当场清理' };
      expect(await refusal(transition(deps, { hazardId: h.id, actor: ADMIN, action, input: body })), action).toEqual([422, [{ field: 'leadUnit', message: '牵头单位不存在，请从列表中选择' }]]);
    }
    expect(await refusal(transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', coUnits: ['office'], deadline: '2014-11-10' } }))).toEqual([
      422,
      [{ field: 'coUnits', message: '配合单位不存在：office' }],
    ]);
    const [row] = await db.select().from(hazards).where(eq(hazards.id, h.id));
    expect([row!.state, row!.leadUnitCode]).toEqual(['reported', null]);
    expect(await db.select().from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, h.id))).toEqual([]);
  });

  it('is a unit that exists: an unknown code is refused, as lead and as co-unit', async () => {
    const { deps, db, h } = await reported();
    expect(await refusal(transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'no-such-unit', deadline: '2014-11-10' } }))).toEqual([
      422,
      [{ field: 'leadUnit', message: '牵头单位不存在，请从列表中选择' }],
    ]);
    expect(await refusal(transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', coUnits: 'work-safety,nowhere', deadline: '2014-11-10' } }))).toEqual([
      422,
      [{ field: 'coUnits', message: '配合单位不存在：nowhere' }],
    ]);
    expect((await db.select().from(hazards).where(eq(hazards.id, h.id)))[0]!.state).toBe('reported');
  });

  it('is not also its own co-unit: named as both, it leads and the other units co-operate', async () => {
    const { deps, db, h } = await reported();
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', coUnits: ['police', 'work-safety'], deadline: '2014-11-10' } });
    const co = await db.select().from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, h.id));
    expect(co.map((c) => c.unitCode)).toEqual(['work-safety']);
    const event = (await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id))).find((e) => e.action === 'assign');
    expect(JSON.parse(event!.data!)).toEqual({ leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-10', deadlineKind: 'working' });
    // Reassigned to a co-unit, it stops being a co-unit.
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'reassign', input: { leadUnit: 'work-safety', coUnits: 'work-safety,police', deadline: '2014-11-12' } });
    const after = await db.select().from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, h.id));
    expect(after.map((c) => c.unitCode)).toEqual(['police']);
    expect((await db.select().from(hazards).where(eq(hazards.id, h.id)))[0]!.leadUnitCode).toBe('work-safety');
  });

  it('cannot close out its own hazard, even once it reported the fix (R13)', async () => {
    const { deps, db, h } = await reported();
    await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-10' } });
    await transition(deps, { hazardId: h.id, actor: LEAD, action: 'accept' });
    await transition(deps, { hazardId: h.id, actor: LEAD, action: 'report_fixed', input: { note: '已清理' } });
    const err = (await transition(deps, { hazardId: h.id, actor: LEAD, action: 'close', input: { note: '自己核查合格' } }).catch((e: unknown) => e)) as AppError;
    expect([err.status, err.code]).toEqual([403, 'FORBIDDEN']);
    expect((await db.select().from(hazards).where(eq(hazards.id, h.id)))[0]!.state).toBe('fixed_reported');
    const closed = await transition(deps, { hazardId: h.id, actor: ADMIN, action: 'close', input: { note: '复查合格' } });
    expect(closed.state).toBe('closed');
  });
});
