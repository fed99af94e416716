// The scheduled supervision pass: reminders before the deadline, overdue marks after it.
// Idempotent: each hazard gets one reminder and one overdue event per deadline; a rerun adds nothing.
import { and, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { hazardEvents, hazards } from '../db/schema.ts';
import { shanghaiDay } from '../lib/time.ts';
import { currentCampaign } from '../campaign/store.ts';
import { daysBefore } from './deadlines.ts';
import { recordChange } from '../core/changes.ts';
import { UNIT_HELD_STATES } from './states.ts';
import { hazardFacts } from '../notifications/events.ts';

export interface OverdueResult {
  reminded: number;
  overdue: number;
}

/**
 * Marks hazards a unit holds whose deadline day has ended in Asia/Shanghai as overdue, and records a
 * reminder for those held by a unit from `remindDaysBefore` days before the deadline.
 */
export async function runHazardSupervision(deps: Pick<Deps, 'db' | 'log' | 'plugins'>, at: Date): Promise<OverdueResult> {
  const today = shanghaiDay(at);
  const ms = at.getTime();
  const result: OverdueResult = { reminded: 0, overdue: 0 };
  const { remindDaysBefore } = (await currentCampaign(deps.db)).settings.hazardDeadline;

  await deps.db.transaction(async (tx) => {
    const late = await tx
      .update(hazards)
      .set({ overdue: true, updatedAt: ms })
      // Only while a unit holds it: once reported fixed (or back with the office) the wait is the office's.
      .where(and(inArray(hazards.state, UNIT_HELD_STATES), isNotNull(hazards.deadline), lt(hazards.deadline, today), eq(hazards.overdue, false)))
      .returning({ id: hazards.id, state: hazards.state, deadline: hazards.deadline, leadUnitCode: hazards.leadUnitCode });
    if (late.length) {
      await tx.insert(hazardEvents).values(
        late.map((h) => ({
          hazardId: h.id,
          at: ms,
          action: 'overdue',
          fromState: h.state,
          toState: h.state,
          actorRole: 'system',
          actorUnitCode: h.leadUnitCode,
          note: `已超过整改期限 ${h.deadline}`,
          data: JSON.stringify({ deadline: h.deadline }),
        })),
      );
    }
    result.overdue = late.length;

    // Few rows carry a deadline and no reminder yet, so the working-day arithmetic runs in JS.
    const pending = await tx
      .select({ id: hazards.id, state: hazards.state, deadline: hazards.deadline, kind: hazards.deadlineKind, leadUnitCode: hazards.leadUnitCode })
      .from(hazards)
      .where(and(inArray(hazards.state, UNIT_HELD_STATES), isNotNull(hazards.deadline), isNull(hazards.remindedAt), eq(hazards.overdue, false)));
    const remindedIds: number[] = [];
    const due = pending.filter((h) => h.deadline! >= today && daysBefore(h.deadline!, remindDaysBefore, h.kind ?? 'calendar') <= today);
    for (const h of due) {
      const marked = await tx
        .update(hazards)
        .set({ remindedAt: ms })
        .where(and(eq(hazards.id, h.id), isNull(hazards.remindedAt)))
        .returning({ id: hazards.id });
      if (!marked.length) continue;
      await tx.insert(hazardEvents).values({
        hazardId: h.id,
        at: ms,
        action: 'remind',
        fromState: h.state,
        toState: h.state,
        actorRole: 'system',
        actorUnitCode: h.leadUnitCode,
        note: `整改期限 ${h.deadline} 即将到期`,
        data: JSON.stringify({ deadline: h.deadline }),
      });
      result.reminded++;
      remindedIds.push(h.id);
    }
    // Change hooks are also where a notifier (SMS, when there is a gateway) would tell the lead unit.
    if (late.length) {
      const ids = late.map((h) => h.id);
      await recordChange(tx, deps, { kind: 'hazards', hazardIds: ids, action: 'overdue', at: ms, facts: await hazardFacts(tx, ids, 'overdue') });
    }
    if (remindedIds.length) {
      await recordChange(tx, deps, { kind: 'hazards', hazardIds: remindedIds, action: 'remind', at: ms, facts: await hazardFacts(tx, remindedIds, 'remind') });
    }
  });
  if (result.reminded || result.overdue) deps.log.info('hazards: supervision pass', { ...result });
  return result;
}
