// Rectification deadlines (R11) as pure functions: calendar and working days with China's holidays and make-up
// working days, the reminder day counted back the same way, and the deadline day itself in time.
import { describe, expect, it } from 'vitest';
import { DEADLINE_KINDS, DEADLINE_KIND_LABELS, daysBefore, daysOverdue, deadlineAfter, isPastDeadline, isWorkingDay } from '../../../src/hazards/deadlines.ts';

describe('working days', () => {
  it('are weekdays minus holidays plus make-up weekend days (2014)', () => {
    expect(isWorkingDay('2014-11-04')).toBe(true); // Tuesday
    expect(isWorkingDay('2014-11-08')).toBe(false); // Saturday
    expect(isWorkingDay('2014-10-01')).toBe(false); // National Day
    expect(isWorkingDay('2014-10-11')).toBe(true); // make-up Saturday
    expect(DEADLINE_KINDS).toEqual(['calendar', 'working']);
    expect(DEADLINE_KIND_LABELS).toEqual({ calendar: '自然日', working: '工作日' });
  });
});

describe('deadlineAfter', () => {
  it('counts calendar days from the day after the start', () => {
    expect(deadlineAfter('2014-11-04', 7, 'calendar')).toBe('2014-11-11');
    expect(deadlineAfter('2014-11-30', 1, 'calendar')).toBe('2014-12-01');
  });

  it('counts only working days, so a deadline never lands on a weekend', () => {
    // Friday + 1 working day is Monday; Tuesday + 5 is the next Tuesday.
    expect(deadlineAfter('2014-11-07', 1, 'working')).toBe('2014-11-10');
    expect(deadlineAfter('2014-11-04', 5, 'working')).toBe('2014-11-11');
    expect(deadlineAfter('2014-11-04', 1, 'working')).toBe('2014-11-05');
    expect(deadlineAfter('2014-11-04', 0, 'working')).toBe('2014-11-04');
  });
});

describe('daysBefore', () => {
  it('counts back the same way: calendar, working, and 0 days', () => {
    expect(daysBefore('2014-11-10', 1, 'calendar')).toBe('2014-11-09');
    expect(daysBefore('2014-11-10', 0, 'working')).toBe('2014-11-10');
    // Monday's working day before is Friday; Wednesday's is Tuesday.
    expect(daysBefore('2014-11-10', 1, 'working')).toBe('2014-11-07');
    expect(daysBefore('2014-11-12', 1, 'working')).toBe('2014-11-11');
    expect(daysBefore('2014-11-12', 3, 'working')).toBe('2014-11-07');
  });
});

describe('overdue days', () => {
  it('are 0 on the deadline day and before, 1 the day after, 0 without a deadline', () => {
    expect([daysOverdue('2014-11-10', '2014-11-09'), daysOverdue('2014-11-10', '2014-11-10'), daysOverdue('2014-11-10', '2014-11-11')]).toEqual([0, 0, 1]);
    expect(daysOverdue('2014-11-10', '2014-11-20')).toBe(10);
    expect(daysOverdue(null, '2014-11-20')).toBe(0);
    expect([isPastDeadline('2014-11-10', '2014-11-10'), isPastDeadline('2014-11-10', '2014-11-11'), isPastDeadline(null, '2099-01-01')]).toEqual([false, true, false]);
  });
});
