// The scheduled work, shared by the Worker's scheduled() and croner on Node.
import type { Deps } from '../deps.ts';
import { runDailyRankings } from '../rankings/backfill.ts';
import { runHazardSupervision } from '../hazards/overdue.ts';
import { flushSheets } from '../sheets/flush.ts';
import { purgeStaleFormTokens } from '../submissions/tokens.ts';

export const EVERY_FIVE_MINUTES = '*/5 * * * *';
/** 00:05 Asia/Shanghai. */
export const DAILY_AT_0005_SHANGHAI = '5 16 * * *';
export const CRONS = [EVERY_FIVE_MINUTES, DAILY_AT_0005_SHANGHAI] as const;

export type ScheduledJob = (deps: Deps, at: Date) => Promise<unknown>;

/** Jobs per cron expression. Each job is idempotent: a run that died halfway is completed by the next. */
export const JOBS: Record<(typeof CRONS)[number], readonly { name: string; run: ScheduledJob }[]> = {
  // The flush runs last so it carries what the other jobs just changed.
  [EVERY_FIVE_MINUTES]: [
    { name: 'hazards-overdue', run: runHazardSupervision },
    { name: 'sheets-flush', run: (deps) => flushSheets(deps) },
  ],
  [DAILY_AT_0005_SHANGHAI]: [
    { name: 'rankings', run: (deps, at) => runDailyRankings(deps, at) },
    { name: 'form-tokens', run: purgeStaleFormTokens },
  ],
};

export interface ScheduledResult {
  cron: string;
  jobs: { name: string; ok: boolean; error?: string }[];
}

/** Runs every job of a cron; one job failing does not stop the others. */
export async function runScheduled(deps: Deps, cron: string, at: Date): Promise<ScheduledResult> {
  const jobs = JOBS[cron as keyof typeof JOBS];
  const result: ScheduledResult = { cron, jobs: [] };
  if (!jobs) {
    deps.log.warn('scheduled: unknown cron', { cron });
    return result;
  }
  for (const job of jobs) {
    try {
      await job.run(deps, at);
      result.jobs.push({ name: job.name, ok: true });
    } catch (err) {
      const error = (err as Error).message ?? String(err);
      deps.log.error('scheduled job failed', { job: job.name, error });
      result.jobs.push({ name: job.name, ok: false, error });
    }
  }
  return result;
}
