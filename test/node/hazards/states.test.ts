// The hazard state machine (src/hazards/states.ts) against the plan, written here as literal data: where each move
// leads, what it needs, which states count as closed, fixed, merged or waiting for the office, and what the tipster
// reads. policy.test.ts holds who may do what; this file holds the rest (found by mutation testing, issue 22).
import { describe, expect, it } from 'vitest';
import {
  ACTION_IDS,
  CLOSED_STATES,
  FIXED_STATES,
  MERGED_STATES,
  OFFICE_QUEUE_STATES,
  OPEN_STATES,
  STATE_IDS,
  SYSTEM_EVENTS,
  UNIT_HELD_STATES,
  actionDef,
  allowedActions,
  awaitsOffice,
  isClosed,
  isFixed,
  isHazardAction,
  isHazardState,
  isMerged,
  isOpen,
  nextState,
  publicStateLabel,
  stateLabel,
  type ActionField,
  type HazardAction,
  type HazardState,
} from '../../../src/hazards/states.ts';

/** THE PLAN: where each move leads from each state it may be taken in; null keeps the state (a recorded event). */
const MOVES: Record<HazardAction, { from: HazardState[]; to: HazardState | null }> = {
  assign: { from: ['reported', 'returned', 'reopened'], to: 'assigned' },
  reassign: { from: ['assigned', 'rectifying'], to: 'assigned' },
  accept: { from: ['assigned'], to: 'rectifying' },
  return: { from: ['assigned'], to: 'returned' },
  report_fixed: { from: ['rectifying'], to: 'fixed_reported' },
  reject: { from: ['fixed_reported'], to: 'rectifying' },
  close: { from: ['fixed_reported'], to: 'closed' },
  fix_on_spot: { from: ['reported', 'returned', 'reopened'], to: 'fixed_on_spot' },
  duplicate: { from: ['reported', 'returned', 'reopened'], to: 'duplicate' },
  not_a_hazard: { from: ['reported', 'returned', 'reopened'], to: 'not_a_hazard' },
  urge: { from: ['assigned', 'rectifying'], to: null },
  progress: { from: ['rectifying'], to: null },
  accept_part: { from: ['assigned', 'rectifying'], to: null },
  report_part_fixed: { from: ['rectifying'], to: null },
  reopen: { from: ['closed', 'fixed_on_spot'], to: 'reopened' },
  confirm_fixed: { from: ['closed', 'fixed_on_spot'], to: null },
};

/** THE PLAN: what each move must be given, and what it may be given; anything else is ignored. */
const FIELDS: Record<HazardAction, { requires: ActionField[]; optional: ActionField[] }> = {
  // R13: the office names the lead unit and a deadline (挂牌督办), co-units if any.
  assign: { requires: ['leadUnit', 'deadline'], optional: ['coUnits', 'note'] },
  reassign: { requires: ['leadUnit', 'deadline'], optional: ['coUnits', 'note'] },
  accept: { requires: [], optional: ['note'] },
  // Issue 5: sign for it, or return it with a reason.
  return: { requires: ['reason'], optional: [] },
  report_fixed: { requires: ['note'], optional: ['photo'] },
  reject: { requires: ['reason'], optional: [] },
  close: { requires: [], optional: ['note'] },
  // The unit that fixed it, so the fix counts for it in the rankings.
  fix_on_spot: { requires: ['note'], optional: ['leadUnit', 'photo'] },
  duplicate: { requires: ['duplicateOf'], optional: ['note'] },
  not_a_hazard: { requires: ['reason'], optional: [] },
  urge: { requires: ['note'], optional: [] },
  progress: { requires: ['note'], optional: ['photo'] },
  accept_part: { requires: [], optional: ['note'] },
  report_part_fixed: { requires: ['note'], optional: ['photo'] },
  // No free text from the public: it would reach every unit reading the history.
  reopen: { requires: [], optional: [] },
  confirm_fixed: { requires: [], optional: [] },
};

describe('moves', () => {
  it('lead where the plan says, from the states it names, and from no other', () => {
    const wrong: string[] = [];
    for (const action of ACTION_IDS) {
      for (const state of STATE_IDS) {
        const plan = MOVES[action].from.includes(state) ? (MOVES[action].to ?? state) : null;
        const code = nextState(state, action);
        if (code !== plan) wrong.push(`${action} in ${state}: plan ${plan ?? 'refuses'}, code ${code ?? 'refuses'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect([...ACTION_IDS].sort()).toEqual(Object.keys(MOVES).sort());
  });

  it('need the fields the plan says', () => {
    for (const action of ACTION_IDS) {
      const def = actionDef(action);
      expect({ requires: [...def.requires], optional: [...def.optional] }, action).toEqual(FIELDS[action]);
    }
  });

  it('are offered in the order of the table, several roles together', () => {
    expect(allowedActions('rectifying', ['lead', 'co'])).toEqual(['report_fixed', 'progress', 'accept_part', 'report_part_fixed']);
    expect(allowedActions('reported', ['admin'])).toEqual(['assign', 'fix_on_spot', 'duplicate', 'not_a_hazard']);
    expect(allowedActions('reported', [])).toEqual([]);
    expect(allowedActions('no-such-state', ['admin', 'lead', 'co', 'tipster', 'system'])).toEqual([]);
  });

  it('a return lets go of the hazard, and only a return does (its lead, co-units and deadline are cleared)', () => {
    expect(ACTION_IDS.filter((a) => actionDef(a).releasesLead === true)).toEqual(['return']);
  });

  it('a step back or a refusal is shown as a secondary button: return, reject, not a hazard', () => {
    expect(ACTION_IDS.filter((a) => actionDef(a).negative === true)).toEqual(['return', 'reject', 'not_a_hazard']);
  });

  it('every move has its own label for the buttons and the history', () => {
    const labels = ACTION_IDS.map((a) => actionDef(a).label);
    for (const [i, l] of labels.entries()) expect(l.trim(), ACTION_IDS[i]).not.toBe('');
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('states', () => {
  it('open and closed as the plan says', () => {
    expect(OPEN_STATES).toEqual(['reported', 'assigned', 'returned', 'rectifying', 'fixed_reported', 'reopened']);
    expect(CLOSED_STATES).toEqual(['closed', 'fixed_on_spot', 'duplicate', 'not_a_hazard']);
    for (const s of STATE_IDS) expect([isOpen(s), isClosed(s)], s).toEqual([OPEN_STATES.includes(s), CLOSED_STATES.includes(s)]);
  });

  it('only a close-out and a fix on the spot count as rectified (the ranking counts them)', () => {
    expect(FIXED_STATES).toEqual(['closed', 'fixed_on_spot']);
    expect(STATE_IDS.filter(isFixed)).toEqual(['closed', 'fixed_on_spot']);
  });

  it('only a duplicate is merged: its reports live on in the hazard it was merged into', () => {
    expect(MERGED_STATES).toEqual(['duplicate']);
    expect(STATE_IDS.filter(isMerged)).toEqual(['duplicate']);
  });

  it("the office's desk: new, returned, reported fixed and reopened hazards wait for it", () => {
    expect(OFFICE_QUEUE_STATES).toEqual(['reported', 'returned', 'fixed_reported', 'reopened']);
    expect(STATE_IDS.filter(awaitsOffice)).toEqual(['reported', 'returned', 'fixed_reported', 'reopened']);
  });

  it('a unit holds the hazard, and its deadline runs, while assigned and rectifying only', () => {
    expect(UNIT_HELD_STATES).toEqual(['assigned', 'rectifying']);
  });

  it('an unknown state (an old row) is shown as it is stored and counted open, never as closed, fixed or merged', () => {
    expect(isHazardState('reported')).toBe(true);
    expect(isHazardState('archived')).toBe(false);
    // Inherited names are not states or actions: an answer from Object.prototype would pass as one.
    expect(isHazardState('toString')).toBe(false);
    expect(isHazardAction('assign')).toBe(true);
    expect(isHazardAction('constructor')).toBe(false);
    expect([isOpen('archived'), isClosed('archived'), isFixed('archived'), isMerged('archived'), awaitsOffice('archived')]).toEqual([true, false, false, false, false]);
    expect([stateLabel('archived'), publicStateLabel('archived')]).toEqual(['archived', 'archived']);
  });

  it('each state has a staff label of its own and a public one', () => {
    const labels = STATE_IDS.map(stateLabel);
    for (const [i, l] of labels.entries()) expect([l.trim() !== '', publicStateLabel(STATE_IDS[i]!).trim() !== ''], STATE_IDS[i]).toEqual([true, true]);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('what the tipster reads on the receipt', () => {
  // The office's jargon (待分办: waiting for triage, 销号: closed out) means nothing to a resident.
  const JARGON = /待分办|销号|分办|督办单/;

  it('the state in plain words, never office jargon', () => {
    for (const s of STATE_IDS) {
      expect(publicStateLabel(s).trim(), s).not.toBe('');
      expect(publicStateLabel(s), s).not.toMatch(JARGON);
    }
    // A closed-out hazard says it is done; the staff label says 销号.
    expect(publicStateLabel('closed')).not.toBe(stateLabel('closed'));
  });

  it("the office's own note when it closes out, fixes on the spot or rules a report not a hazard, never a unit's", () => {
    expect(ACTION_IDS.filter((a) => actionDef(a).publicNote === true)).toEqual(['close', 'fix_on_spot', 'not_a_hazard']);
    for (const a of ACTION_IDS) {
      if (actionDef(a).publicNote) expect(actionDef(a).by, a).toEqual(['admin']);
    }
  });

  it('a plain sentence for the other moves that change anything for the tipster, without jargon', () => {
    const withText = ACTION_IDS.filter((a) => actionDef(a).publicText !== undefined);
    expect(withText).toEqual(['assign', 'reassign', 'accept', 'return', 'report_fixed', 'reject', 'duplicate', 'reopen', 'confirm_fixed']);
    for (const a of withText) {
      expect(actionDef(a).publicText!.trim(), a).not.toBe('');
      expect(actionDef(a).publicText, a).not.toMatch(JARGON);
    }
  });

  it("the system's events: the report and the ledger entry are shown, reminders and merges are not", () => {
    const shown = Object.entries(SYSTEM_EVENTS).filter(([, e]) => 'publicText' in e).map(([k, e]) => [k, (e as { publicText: string }).publicText.trim() !== '']);
    expect(shown).toEqual([['report', true], ['record_ledger', true]]);
    for (const [k, e] of Object.entries(SYSTEM_EVENTS)) expect(e.label.trim(), k).not.toBe('');
  });
});
