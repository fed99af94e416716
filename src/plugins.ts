// The one list of features plugged into the core: what runs with a new submission, what hears of every
// change, which forms show their own receipt status, and the scheduled jobs. Each entry file passes PLUGINS
// on deps.plugins; nothing registers itself on import.
import type { ChangeHook } from './core/changes.ts';
import type { Cron, ScheduledJob } from './core/scheduled.ts';
import { DAILY_AT_0005_SHANGHAI, EVERY_FIVE_MINUTES, EVERY_MINUTE } from './core/scheduled.ts';
import type { SubmissionHook } from './submissions/hooks.ts';
import type { ReceiptStatusProvider } from './submissions/receipts.ts';
import { purgeStaleFormTokens } from './submissions/tokens.ts';
import { HAZARD_TIP_FORM } from './hazards/from-submission.ts';
import { runHazardSupervision } from './hazards/overdue.ts';
import { hazardReceiptStatus, hazardSubmissionHook } from './hazards/plugin.ts';
import { hazardLocationHook } from './hazards/location-store.ts';
import { runDailyRankings } from './rankings/backfill.ts';
import { flushSheets } from './sheets/flush.ts';
import { sheetsChangeHook } from './sheets/plugin.ts';
import { SUGGESTION_FORM } from './suggestions/service.ts';
import { suggestionReceiptStatus } from './suggestions/plugin.ts';
import { notifyChangeHook, notifySubmissionHook } from './notifications/events.ts';
import { purgeExpiredPersonalData } from './campaign/retention.ts';
import { runNotifications } from './notifications/deliver.ts';

export interface Plugins {
  /** Run in order inside every new submission's transaction (not for idempotent replays or double taps). */
  submissionHooks: readonly SubmissionHook[];
  /** Run in order inside every transaction that changes a form's records, hazards or the organisation. */
  changeHooks: readonly ChangeHook[];
  /** Per form id; a provider returning null falls back to the default "received" status. */
  receiptStatus: Readonly<Record<string, ReceiptStatusProvider>>;
  /** Per cron expression, run in order; each job is idempotent: a run that died halfway is completed by the next. */
  jobs: Readonly<Record<Cron, readonly { name: string; run: ScheduledJob }[]>>;
}

export const PLUGINS: Plugins = {
  // The notifier runs after the hazard hook so a new tip's hazard number is there to tell the office; the location
  // hook after it too, as it finds the hazard the hazard hook inserted.
  submissionHooks: [hazardSubmissionHook, hazardLocationHook, notifySubmissionHook],
  changeHooks: [sheetsChangeHook, notifyChangeHook],
  receiptStatus: {
    [HAZARD_TIP_FORM]: hazardReceiptStatus,
    [SUGGESTION_FORM]: suggestionReceiptStatus,
  },
  jobs: {
    [EVERY_MINUTE]: [{ name: 'notifications', run: runNotifications }],
    // The flush runs last so it carries what the other jobs just changed.
    [EVERY_FIVE_MINUTES]: [
      { name: 'hazards-overdue', run: runHazardSupervision },
      { name: 'sheets-flush', run: (deps) => flushSheets(deps) },
    ],
    [DAILY_AT_0005_SHANGHAI]: [
      { name: 'rankings', run: (deps, at) => runDailyRankings(deps, at) },
      { name: 'form-tokens', run: purgeStaleFormTokens },
      { name: 'retention', run: purgeExpiredPersonalData },
    ],
  },
};
