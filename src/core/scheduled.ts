// The scheduled work, shared by the Worker's scheduled() and croner on Node; the jobs themselves are listed
// in src/plugins.ts and reach here on deps.plugins.
import type { Deps } from '../deps.ts';

export const EVERY_MINUTE = '* * * * *';
export const EVERY_FIVE_MINUTES = '*/5 * * * *';
/** 00:05 Asia/Shanghai. */
export const DAILY_AT_0005_SHANGHAI = '5 16 * * *';
export const CRONS = [EVERY_MINUTE, EVERY_FIVE_MINUTES, DAILY_AT_0005_SHANGHAI] as const;
export type Cron = (typeof CRONS)[number];

export type ScheduledJob = (deps: Deps, at: Date) => Promise<unknown>;

/** A job's outcome: what it returned (snapshot days, flush counts…), or why it failed. */
export type JobOutcome = { name: string; ok: true; result: unknown } | { name: string; ok: false; error: string };

export interface ScheduledResult {
  cron: string;
  jobs: JobOutcome[];
}

/** Runs every job of a cron and reports each one's outcome; one job failing does not stop the others, and this never throws. */
export async function runScheduled(deps: Deps, cron: string, at: Date): Promise<ScheduledResult> {
  const jobs = (deps.plugins.jobs as Partial<Record<string, Deps['plugins']['jobs'][Cron]>>)[cron];
  const result: ScheduledResult = { cron, jobs: [] };
  if (!jobs) {
    deps.log.warn('scheduled: unknown cron', { cron });
    return result;
  }
  for (const job of jobs) {
    try {
      result.jobs.push({ name: job.name, ok: true, result: await job.run(deps, at) });
    } catch (err) {
      const error = (err as Error)?.message ?? String(err);
      deps.log.error('scheduled job failed', { job: job.name, error });
      result.jobs.push({ name: job.name, ok: false, error });
    }
  }
  return result;
}
