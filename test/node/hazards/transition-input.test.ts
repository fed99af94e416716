// A hazard move's fields (src/hazards/transition-input.ts): what the office and the units may give each move, the
// exact 422 each mistake gets, and the clean values the move stores (found by mutation testing, issue 22).
import { describe, expect, it } from 'vitest';
import { templateSettings } from '../../../src/campaign/settings.ts';
import { cleanInput, type TransitionInput } from '../../../src/hazards/transition-input.ts';
import type { HazardRow, TransitionReads } from '../../../src/hazards/transition-reads.ts';
import { ACTIONS, type HazardAction } from '../../../src/hazards/states.ts';
import { AppError } from '../../../src/lib/errors.ts';

// The template campaign runs 2014-10-29 to 2014-11-30, working-day deadlines: a deadline may reach 2015-11-30.
const CAMPAIGN = templateSettings();
const TODAY = '2014-11-04';
const HAZARD = { id: 10, state: 'reported' } as HazardRow;
const KNOWN = new Map([['police', 'department'], ['work-safety', 'department'], ['chencang', 'town'], ['office', 'office']]);

function reads(extra: Partial<TransitionReads> = {}): TransitionReads {
  return { knownUnits: KNOWN, duplicateTarget: undefined, ...extra } as TransitionReads;
}
function clean(action: HazardAction, raw: TransitionInput, opts: { today?: string; reads?: Partial<TransitionReads>; endDate?: string } = {}) {
  const campaign = opts.endDate ? { ...CAMPAIGN, endDate: opts.endDate } : CAMPAIGN;
  return cleanInput(ACTIONS[action], raw, opts.today ?? TODAY, HAZARD, reads(opts.reads), campaign);
}
/** The 422 a move is refused with: its message and its errors by field. */
function refusal(action: HazardAction, raw: TransitionInput, opts: Parameters<typeof clean>[2] = {}) {
  try {
    clean(action, raw, opts);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { status: err.status, code: err.code, message: err.message, errors: (err.details as { errors: unknown }).errors };
  }
  throw new Error('not refused');
}
const errorsOf = (action: HazardAction, raw: TransitionInput, opts: Parameters<typeof clean>[2] = {}) => refusal(action, raw, opts).errors;

describe('lead unit and co-units', () => {
  it('an assignment stores the lead, the co-units and the deadline', () => {
    expect(clean('assign', { leadUnit: ' police ', coUnits: ['work-safety', 'chencang'], deadline: '2014-11-10' })).toEqual({
      leadUnit: 'police',
      coUnits: ['work-safety', 'chencang'],
      deadline: '2014-11-10',
      deadlineKind: 'working',
    });
  });

  it('co-units typed as one line, split by commas (also Chinese ones) and spaces, each once, never the lead', () => {
    expect(clean('reassign', { leadUnit: 'police', coUnits: 'work-safety，chencang  police,work-safety, ', deadline: '2014-11-10' }).coUnits).toEqual(['work-safety', 'chencang']);
    expect(clean('assign', { leadUnit: 'police', coUnits: [' chencang ', 7, '', 'chencang', null], deadline: '2014-11-10' }).coUnits).toEqual(['chencang']);
    expect(clean('assign', { leadUnit: 'police', coUnits: 42, deadline: '2014-11-10' }).coUnits).toEqual([]);
  });

  it('an assignment without a lead unit is refused', () => {
    expect(refusal('assign', { deadline: '2014-11-10' })).toEqual({
      status: 422,
      code: 'VALIDATION_FAILED',
      message: '请选择牵头单位',
      errors: [{ field: 'leadUnit', message: '请选择牵头单位' }],
    });
    expect(errorsOf('assign', { leadUnit: '\u200b ', deadline: '2014-11-10' })).toEqual([{ field: 'leadUnit', message: '请选择牵头单位' }]);
  });

  it('an unknown unit, or the office, is no lead unit and no co-unit', () => {
    for (const leadUnit of ['nowhere', 'office']) {
      expect(errorsOf('assign', { leadUnit, deadline: '2014-11-10' }), leadUnit).toEqual([{ field: 'leadUnit', message: '牵头单位不存在，请从列表中选择' }]);
    }
    expect(errorsOf('assign', { leadUnit: 'police', coUnits: ['nowhere', 'work-safety', 'office'], deadline: '2014-11-10' })).toEqual([
      { field: 'coUnits', message: '配合单位不存在：nowhere、office' },
    ]);
  });

  it('a fix on the spot may name the unit that fixed it, and no co-units', () => {
    expect(clean('fix_on_spot', { leadUnit: 'chencang', coUnits: ['nowhere'], note: '当场清理' })).toMatchObject({ leadUnit: 'chencang', note: '当场清理' });
    expect(clean('fix_on_spot', { coUnits: ['work-safety'], note: '当场清理' }).coUnits ?? []).toEqual([]);
    expect(clean('fix_on_spot', { note: '当场清理' }).leadUnit).toBeUndefined();
    expect(errorsOf('fix_on_spot', { leadUnit: 'office', note: '当场清理' })).toEqual([{ field: 'leadUnit', message: '牵头单位不存在，请从列表中选择' }]);
  });

  it('a move that names no units ignores units given to it', () => {
    expect(clean('accept', { leadUnit: 'nowhere', coUnits: ['nowhere'] })).toEqual({});
  });

  it('a move that sets no deadline or photo ignores one given to it, valid or not', () => {
    // A fix on the spot is closed at once: a deadline would mark it overdue for ever after.
    expect(clean('fix_on_spot', { leadUnit: 'chencang', note: '当场清理', deadline: '2014-11-10', days: 3 })).toEqual({ leadUnit: 'chencang', coUnits: [], note: '当场清理' });
    expect(clean('accept', { deadline: '2099-01-01', deadlineKind: 'weekly', photo: 'h/2014/a.jpg' })).toEqual({});
    expect(clean('urge', { note: '请尽快', photo: '../x' })).toEqual({ note: '请尽快' });
  });
});

describe('deadline', () => {
  it('a date from today to a year after the campaign ends', () => {
    for (const deadline of [TODAY, '2015-11-30']) {
      expect(clean('assign', { leadUnit: 'police', deadline }), deadline).toEqual({ leadUnit: 'police', coUnits: [], deadline, deadlineKind: 'working' });
    }
    expect(errorsOf('assign', { leadUnit: 'police', deadline: '2014-11-03' })).toEqual([{ field: 'deadline', message: '整改期限不能早于今天' }]);
    expect(errorsOf('assign', { leadUnit: 'police', deadline: '2015-12-01' })).toEqual([{ field: 'deadline', message: '整改期限不能晚于 2015-11-30（本期活动结束后一年）' }]);
  });

  it('after the campaign has ended, a year from today', () => {
    expect(clean('assign', { leadUnit: 'police', deadline: '2016-01-10' }, { today: '2015-01-10' }).deadline).toBe('2016-01-10');
    expect(errorsOf('assign', { leadUnit: 'police', deadline: '2016-01-11' }, { today: '2015-01-10' })).toEqual([{ field: 'deadline', message: '整改期限不能晚于 2016-01-10（本期活动结束后一年）' }]);
    // On the campaign's last day, the year runs from it.
    expect(errorsOf('assign', { leadUnit: 'police', deadline: '2015-12-01' }, { today: '2014-11-30' })).toEqual([{ field: 'deadline', message: '整改期限不能晚于 2015-11-30（本期活动结束后一年）' }]);
  });

  it('an impossible date is refused as such', () => {
    for (const deadline of ['2014-11-31', '2014/11/10', '10 Nov']) {
      expect(errorsOf('assign', { leadUnit: 'police', deadline }), deadline).toEqual([{ field: 'deadline', message: '整改期限日期无效，格式为 YYYY-MM-DD' }]);
    }
  });

  it('a number of days: working days by default (the campaign says so), calendar days when asked', () => {
    expect(clean('assign', { leadUnit: 'police', days: 7 })).toEqual({ leadUnit: 'police', coUnits: [], deadline: '2014-11-13', deadlineKind: 'working' });
    expect(clean('assign', { leadUnit: 'police', days: ' 7 ', deadlineKind: 'calendar' })).toEqual({ leadUnit: 'police', coUnits: [], deadline: '2014-11-11', deadlineKind: 'calendar' });
    expect(clean('assign', { leadUnit: 'police', days: 1, deadlineKind: 'calendar' }).deadline).toBe('2014-11-05');
    expect(clean('assign', { leadUnit: 'police', days: 365, deadlineKind: 'calendar' }).deadline).toBe('2015-11-04');
    // A campaign that counts calendar days gives calendar days.
    const calendar = { ...CAMPAIGN, hazardDeadline: { ...CAMPAIGN.hazardDeadline, kind: 'calendar' as const } };
    expect(cleanInput(ACTIONS.assign, { leadUnit: 'police', days: 7 }, TODAY, HAZARD, reads(), calendar).deadline).toBe('2014-11-11');
  });

  it('a date keeps the kind asked for, or the campaign kind', () => {
    expect(clean('assign', { leadUnit: 'police', deadline: '2014-11-10', deadlineKind: 'calendar' }).deadlineKind).toBe('calendar');
    // The date wins over days given with it.
    expect(clean('assign', { leadUnit: 'police', deadline: '2014-11-10', days: 30 }).deadline).toBe('2014-11-10');
  });

  it('days from 1 to 365, whole, and no later than the latest deadline', () => {
    for (const days of [0, -1, 366, 1.5, 'seven', '7天']) {
      expect(errorsOf('assign', { leadUnit: 'police', days }), `days ${String(days)}`).toEqual([{ field: 'days', message: '整改天数应为 1 到 365 的整数' }]);
    }
    // 267 working days from 2014-11-04 end on 2015-11-30, the latest deadline; 268 run past it.
    expect(clean('assign', { leadUnit: 'police', days: 267 }).deadline).toBe('2015-11-30');
    expect(errorsOf('assign', { leadUnit: 'police', days: 268 })).toEqual([{ field: 'days', message: '整改期限不能晚于 2015-11-30（本期活动结束后一年）' }]);
  });

  it('a kind that is neither calendar nor working days is refused, whatever else is given', () => {
    expect(errorsOf('assign', { leadUnit: 'police', days: 7, deadlineKind: 'weekly' })).toEqual([{ field: 'deadlineKind', message: '期限类型只能是自然日或工作日' }]);
    expect(errorsOf('assign', { leadUnit: 'police', deadline: '2014-11-10', deadlineKind: 'weekly' })).toEqual([{ field: 'deadlineKind', message: '期限类型只能是自然日或工作日' }]);
  });

  it('an assignment without a deadline is refused', () => {
    for (const raw of [{}, { deadline: ' ', days: '' }]) {
      expect(errorsOf('assign', { leadUnit: 'police', ...raw })).toEqual([{ field: 'deadline', message: '请填写整改期限（日期或天数）' }]);
    }
  });
});

describe('notes and reasons', () => {
  it('a required note or reason, trimmed; one of invisible characters is none', () => {
    expect(clean('report_fixed', { note: '  已清理杂物 ' })).toEqual({ note: '已清理杂物' });
    expect(clean('return', { reason: '不属于本单位职责' })).toEqual({ reason: '不属于本单位职责' });
    expect(errorsOf('report_fixed', { note: '\u200b\u200b' })).toEqual([{ field: 'note', message: '请填写情况说明' }]);
    expect(errorsOf('return', {})).toEqual([{ field: 'reason', message: '请填写原因' }]);
    expect(errorsOf('not_a_hazard', { note: '正常施工' })).toEqual([{ field: 'reason', message: '请填写原因' }]);
  });

  it('an optional note may be left out; one a move does not take is dropped', () => {
    expect(clean('accept', {})).toEqual({});
    expect(clean('accept', { note: '已签收' })).toEqual({ note: '已签收' });
    expect(clean('return', { reason: '不属于本单位职责', note: '附言' })).toEqual({ reason: '不属于本单位职责' });
    // No free text from the public.
    expect(clean('reopen', { note: '还是堵着', reason: '没人管' })).toEqual({});
  });

  it('at most 1000 characters', () => {
    expect(clean('urge', { note: '催'.repeat(1000) }).note).toHaveLength(1000);
    expect(errorsOf('urge', { note: '催'.repeat(1001) })).toEqual([{ field: 'note', message: '不能超过 1000 字' }]);
    expect(errorsOf('reject', { reason: '退'.repeat(1001) })).toEqual([{ field: 'reason', message: '不能超过 1000 字' }]);
  });
});

describe('photo', () => {
  it('a stored photo key, or none', () => {
    expect(clean('report_fixed', { note: '已整改', photo: 'h/2014/ab_c-1.jpg' })).toEqual({ note: '已整改', photo: 'h/2014/ab_c-1.jpg' });
    expect(clean('report_fixed', { note: '已整改', photo: 'a'.repeat(200) }).photo).toHaveLength(200);
    expect(clean('report_fixed', { note: '已整改', photo: '' })).toEqual({ note: '已整改' });
  });

  it('anything else is refused: a path out of the store, a URL, too long', () => {
    for (const photo of ['../etc/passwd', '/abs.jpg', 'https://x.example/a.jpg', 'a'.repeat(201), '照片.jpg']) {
      expect(errorsOf('report_fixed', { note: '已整改', photo }), photo).toEqual([{ field: 'photo', message: '照片编号无效' }]);
    }
  });
});

describe('merging a duplicate', () => {
  const keeper = { id: 11, state: 'assigned' } as HazardRow;

  it('into the hazard named, by id or number', () => {
    expect(clean('duplicate', { duplicateOf: 11 }, { reads: { duplicateTarget: keeper } })).toEqual({ duplicateOf: 11 });
    expect(clean('duplicate', { duplicateOf: 'h-20141104-0011', note: '同一地点' }, { reads: { duplicateTarget: keeper } })).toEqual({ duplicateOf: 11, note: '同一地点' });
  });

  it('refused when none is named, it does not exist, it is the hazard itself, or it was itself merged', () => {
    expect(errorsOf('duplicate', { duplicateOf: ' ' }, { reads: { duplicateTarget: keeper } })).toEqual([{ field: 'duplicateOf', message: '请选择要合并到的隐患' }]);
    expect(errorsOf('duplicate', {}, { reads: { duplicateTarget: keeper } })).toEqual([{ field: 'duplicateOf', message: '请选择要合并到的隐患' }]);
    expect(errorsOf('duplicate', { duplicateOf: 99 })).toEqual([{ field: 'duplicateOf', message: '要合并到的隐患不存在' }]);
    expect(errorsOf('duplicate', { duplicateOf: 10 }, { reads: { duplicateTarget: HAZARD } })).toEqual([{ field: 'duplicateOf', message: '不能合并到自身' }]);
    expect(errorsOf('duplicate', { duplicateOf: 11 }, { reads: { duplicateTarget: { id: 11, state: 'duplicate' } as HazardRow } })).toEqual([
      { field: 'duplicateOf', message: '该隐患本身已被合并，请选择保留的那一条' },
    ]);
    // A closed one may keep the reports: merged is what is refused, not closed.
    expect(clean('duplicate', { duplicateOf: 12 }, { reads: { duplicateTarget: { id: 12, state: 'closed' } as HazardRow } })).toEqual({ duplicateOf: 12 });
  });
});

it('every mistake of a move at once, in the order of the form, one message joined by ；', () => {
  expect(refusal('assign', { leadUnit: 'nowhere', coUnits: 'office', deadline: '2014-11-01', note: 'x'.repeat(1001) })).toEqual({
    status: 422,
    code: 'VALIDATION_FAILED',
    message: '牵头单位不存在，请从列表中选择；配合单位不存在：office；整改期限不能早于今天；不能超过 1000 字',
    errors: [
      { field: 'leadUnit', message: '牵头单位不存在，请从列表中选择' },
      { field: 'coUnits', message: '配合单位不存在：office' },
      { field: 'deadline', message: '整改期限不能早于今天' },
      { field: 'note', message: '不能超过 1000 字' },
    ],
  });
});
