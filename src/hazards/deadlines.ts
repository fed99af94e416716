// Rectification deadlines (R11) in calendar or working days, with China's public holidays and
// make-up working days (调休) from the chinese-days package. All days are Asia/Shanghai YYYY-MM-DD.
// Default import: the package's CommonJS build exposes no named exports to Node's ESM loader.
import chineseDays from 'chinese-days';
import { addDays, daysBetween } from '../lib/time.ts';

export type DeadlineKind = 'calendar' | 'working';
export const DEADLINE_KINDS: readonly DeadlineKind[] = ['calendar', 'working'];
export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = { calendar: '自然日', working: '工作日' };

/** A working day per the State Council's calendar: weekdays minus holidays, plus make-up Saturdays/Sundays. */
export function isWorkingDay(day: string): boolean {
  return chineseDays.isWorkday(day);
}

/**
 * The deadline `n` days after `start` (start itself not counted). For working days, each counted day
 * is a working day, so a deadline never lands on a holiday or weekend.
 */
export function deadlineAfter(start: string, n: number, kind: DeadlineKind): string {
  if (kind === 'calendar') return addDays(start, n);
  let day = start;
  let counted = 0;
  while (counted < n) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

/** The day `n` days before `deadline`, counted the same way (for reminders). */
export function daysBefore(deadline: string, n: number, kind: DeadlineKind): string {
  if (kind === 'calendar' || n === 0) return addDays(deadline, -n);
  let day = deadline;
  let counted = 0;
  while (counted < n) {
    day = addDays(day, -1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

/** Whole calendar days past the deadline on `today` (0 when not overdue). The deadline day itself is in time. */
export function daysOverdue(deadline: string | null, today: string): number {
  if (!deadline) return 0;
  return Math.max(0, daysBetween(deadline, today));
}

export function isPastDeadline(deadline: string | null, today: string): boolean {
  return daysOverdue(deadline, today) > 0;
}
