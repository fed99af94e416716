// The daily job: snapshot the Asia/Shanghai day that just ended and fill every campaign day still missing.
import type { Deps } from '../deps.ts';
import { addDays, shanghaiDay } from '../lib/time.ts';
import { currentCampaign } from '../campaign/store.ts';
import { computeSnapshot, rulesOf, snapshotDays, type RankingRules } from './snapshot.ts';

export interface BackfillWindow {
  startDate: string;
  endDate: string;
}

/** The day that ended most recently at `at` (the 00:05 run snapshots yesterday). */
export function dayJustEnded(at: Date): string {
  return addDays(shanghaiDay(at), -1);
}

/**
 * Days to compute at `at`: every campaign day up to yesterday without a snapshot, plus yesterday itself
 * (recomputed even if present, so a second run of the night refreshes it). Each day is written
 * atomically, so a run that died halfway leaves gaps that the next run finds and fills.
 */
export async function daysToSnapshot(deps: Pick<Deps, 'db'>, at: Date, window: BackfillWindow, campaignId: number): Promise<string[]> {
  const yesterday = dayJustEnded(at);
  const last = yesterday < window.endDate ? yesterday : window.endDate;
  if (last < window.startDate) return [];
  const have = await snapshotDays(deps.db, window.startDate, last, campaignId);
  const days: string[] = [];
  for (let d = window.startDate; d <= last; d = addDays(d, 1)) {
    if (!have.has(d) || d === yesterday) days.push(d);
  }
  return days;
}

/** The scheduled job for the current campaign (its window and rules, unless given); returns the days it computed, oldest first. */
export async function runDailyRankings(deps: Deps, at: Date, rules?: RankingRules, window?: BackfillWindow): Promise<string[]> {
  const current = await currentCampaign(deps.db);
  rules ??= rulesOf(current);
  window ??= current.settings;
  const days = await daysToSnapshot(deps, at, window, rules.campaignId);
  for (const day of days) {
    const rows = await computeSnapshot(deps, day, rules);
    deps.log.info('rankings: snapshot computed', { day, units: rows.length });
  }
  return days;
}
