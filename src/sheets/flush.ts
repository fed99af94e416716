// The */5 flush: every pending tab rebuilt from the database and sent in one values.batchUpdate (plus one
// batchClear for what shrank), with backoff on 429/5xx, a request budget, and outbox jobs deleted only once Google confirms.
import { count, lte, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { hazards, meta, rankingSnapshots, sheetOutbox } from '../db/schema.ts';
import { shanghaiDay } from '../lib/time.ts';
import { randomToken } from '../lib/crypto.ts';
import { formById, formsOf } from '../forms/store.ts';
import { SheetsApiError, type SheetsGateway, type SheetProps } from './gateway.ts';
import { acquireLease, META, readMeta, releaseLease, writeMeta } from './meta.ts';
import { enqueueAllTabs, enqueueTabs, HAZARD_TABS, RANKING_TABS } from './outbox.ts';
import { buildAllTabs, HAZARD_OVERDUE_COLUMN, isTabId, OVERDUE_TEXT, TAB_IDS, TAB_TITLES, type BuiltTab, type TabContext, type TabId } from './tabs.ts';

/** Google allows 60 write requests a minute per user; keep a margin for people and other tools. */
export const REQUESTS_PER_MINUTE = 50;
/** Attempts per request within one flush. */
export const MAX_ATTEMPTS = 4;
export const BASE_DELAY_MS = 1000;
/** Longer waits end the flush; the next cron run picks up (Workers' scheduled time is not for sleeping). */
export const MAX_DELAY_MS = 30_000;
/** Between failed flushes: 5, 10, 20, then 30 minutes. */
export const FLUSH_BACKOFF_MS = [5 * 60_000, 10 * 60_000, 20 * 60_000, 30 * 60_000];
export const LEASE_MS = 10 * 60_000;
/** New tabs get this many rows; a tab that outgrows its grid gets more in the same structure call. */
const MIN_GRID_ROWS = 1000;
const GRID_ROW_SLACK = 500;
/** Stable ids for the tabs this app creates, so one batchUpdate can add a tab and format it. */
const TAB_SHEET_ID_BASE = 7100;

export interface FlushOptions {
  /** Rebuild every tab and clear each tab entirely first (`sheets-sync --full`). */
  full?: boolean;
  /** Ignore the backoff between failed flushes (an operator asked). */
  force?: boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type FlushResult =
  | { status: 'not-configured' | 'idle' | 'busy' | 'backing-off'; pending: number }
  | { status: 'sent'; tabs: TabId[]; jobs: number; requests: number }
  | { status: 'failed'; error: string; pending: number; retryAt: number };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function pendingJobs(deps: Pick<Deps, 'db'>): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(sheetOutbox);
  return row?.n ?? 0;
}

/** The flush the scheduler runs. */
export async function flushSheets(deps: Deps, opts: FlushOptions = {}): Promise<FlushResult> {
  const gateway = deps.sheets;
  if (!gateway) return { status: 'not-configured', pending: await pendingJobs(deps) };
  const { db } = deps;
  const now = () => deps.now().getTime();
  if (opts.full) await enqueueAllTabs(db, now());
  await enqueueMissedChanges(deps);

  const state = await readMeta(db);
  const pending = await pendingJobs(deps);
  if (pending === 0) return { status: 'idle', pending };
  const retryAt = Number(state[META.retryAt] ?? 0);
  if (!opts.force && !opts.full && retryAt > now()) return { status: 'backing-off', pending };

  const owner = randomToken(8);
  if (!(await acquireLease(db, owner, now(), LEASE_MS))) return { status: 'busy', pending };
  try {
    // Claim every job present now; a job enqueued from here on is a new row and stays for the next flush.
    const [top] = await db.select({ max: sql<number | null>`max(${sheetOutbox.id})` }).from(sheetOutbox);
    const maxId = top?.max ?? 0;
    await db.update(sheetOutbox).set({ nextAttemptAt: now() + LEASE_MS }).where(lte(sheetOutbox.id, maxId));
    const jobs = await db.selectDistinct({ tab: sheetOutbox.tab }).from(sheetOutbox).where(lte(sheetOutbox.id, maxId));
    const tabs = TAB_IDS.filter((t) => jobs.some((j) => j.tab === t));
    const strays = jobs.filter((j) => !isTabId(j.tab)).length;

    const budget = new RequestBudget(state[META.requests], now, opts.sleep ?? defaultSleep);
    const send = retrying(budget, opts.sleep ?? defaultSleep, opts.random ?? Math.random);
    const shapes = parseShapes(state[META.shapes]);
    try {
      const { sheets } = await send(() => gateway.get(), false);
      // A tab missing from the spreadsheet (first run, or deleted by hand) is created and filled now.
      const missing = TAB_IDS.filter((id) => !sheets.some((s) => s.title === TAB_TITLES[id]));
      for (const id of missing) if (!tabs.includes(id)) tabs.push(id);
      tabs.sort((a, b) => TAB_IDS.indexOf(a) - TAB_IDS.indexOf(b));
      const built = await buildAllTabs(await tabContext(deps), tabs);
      await ensureTabs(gateway, sheets, built, send);
      const clears = opts.full ? built.map((t) => quoteTab(t.title)) : shrunkRanges(built, shapes);
      if (clears.length) await send(() => gateway.valuesBatchClear(clears), true);
      if (built.length) {
        await send(
          () =>
            gateway.valuesBatchUpdate(
              built.map((t) => {
                const width = tabWidth(t);
                return { range: `${quoteTab(t.title)}!A1:${columnLetters(width - 1)}${t.rows.length}`, values: t.rows.map((r) => pad(r, width)) };
              }),
            ),
          true,
        );
      }
      for (const t of built) shapes[t.id] = { rows: t.rows.length, cols: tabWidth(t) };
      // Shapes first: if deleting the jobs then fails, the next flush merely rewrites the same tabs.
      await writeMeta(db, { [META.lastSuccessAt]: String(now()), [META.failures]: '0', [META.retryAt]: null, [META.shapes]: JSON.stringify(shapes), [META.requests]: budget.serialise() }, now());
      await db.delete(sheetOutbox).where(lte(sheetOutbox.id, maxId));
      deps.log.info('sheets: flushed', { tabs, jobs: pending, requests: budget.used, strays });
      return { status: 'sent', tabs, jobs: pending, requests: budget.used };
    } catch (err) {
      const error = err instanceof SheetsApiError ? err.message : `sheets flush failed: ${(err as Error).message ?? String(err)}`;
      const failures = Number(state[META.failures] ?? 0) + 1;
      const retryAfterMs = err instanceof SheetsApiError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
      const nextAt = now() + Math.max(FLUSH_BACKOFF_MS[Math.min(failures, FLUSH_BACKOFF_MS.length) - 1]!, retryAfterMs);
      // The jobs stay; they carry the attempt count and error for the office page.
      await db
        .update(sheetOutbox)
        .set({ attempts: sql`${sheetOutbox.attempts} + 1`, nextAttemptAt: nextAt, lastError: error.slice(0, 300) })
        .where(lte(sheetOutbox.id, maxId));
      await writeMeta(
        db,
        { [META.lastError]: JSON.stringify({ at: now(), message: error.slice(0, 300) }), [META.failures]: String(failures), [META.retryAt]: String(nextAt), [META.requests]: budget.serialise() },
        now(),
      );
      deps.log.warn('sheets: flush failed', { error: error.slice(0, 300), failures, retryAt: nextAt });
      return { status: 'failed', error, pending: await pendingJobs(deps), retryAt: nextAt };
    }
  } finally {
    await releaseLease(db, owner);
  }
}

/**
 * A safety net under the outbox: rankings and hazards written by code that did not enqueue, and the
 * day changing (deadlines become overdue at midnight with no write at all), still reach the sheet.
 */
async function enqueueMissedChanges(deps: Deps): Promise<void> {
  const { db } = deps;
  const at = deps.now().getTime();
  const state = await readMeta(db);
  const [r] = await db.select({ v: sql<number | null>`max(${rankingSnapshots.computedAt})` }).from(rankingSnapshots);
  const [h] = await db.select({ v: sql<number | null>`max(${hazards.updatedAt})` }).from(hazards);
  const today = shanghaiDay(at);
  const tabs: TabId[] = [];
  const seen: Record<string, string> = {};
  if ((r?.v ?? 0) > Number(state[META.seenRankings] ?? 0)) {
    tabs.push(...RANKING_TABS);
    seen[META.seenRankings] = String(r!.v);
  }
  if ((h?.v ?? 0) > Number(state[META.seenHazards] ?? 0)) {
    tabs.push(...HAZARD_TABS);
    seen[META.seenHazards] = String(h!.v);
  }
  if (state[META.seenDay] !== today) {
    tabs.push(...HAZARD_TABS);
    seen[META.seenDay] = today;
  }
  if (!tabs.length) return;
  await db.transaction(async (tx) => {
    await enqueueTabs(tx, tabs, at);
    for (const [key, value] of Object.entries(seen)) {
      await tx.insert(meta).values({ key, value, updatedAt: at }).onConflictDoUpdate({ target: meta.key, set: { value, updatedAt: at } });
    }
  });
}

export async function tabContext(deps: Pick<Deps, 'db' | 'now' | 'plugins'> & Partial<Deps>): Promise<TabContext> {
  const provider = deps.plugins.receiptStatus['deputy-suggestion'];
  return {
    db: deps.db,
    now: deps.now(),
    forms: await formsOf(deps.db),
    formAt: (id, version) => formById(deps.db, id, version),
    suggestionStatus: provider
      ? async (s) => {
          const st = await provider(deps as Deps, s);
          if (!st) return null;
          const last = st.history[st.history.length - 1];
          return { status: st.status, answer: last?.note ?? null };
        }
      : undefined,
  };
}

/** Adds missing tabs (with header, widths and the overdue colouring) and grows grids, all in one batchUpdate. */
async function ensureTabs(gateway: SheetsGateway, sheets: SheetProps[], built: BuiltTab[], send: Send): Promise<void> {
  const requests: unknown[] = [];
  const usedIds = new Set(sheets.map((s) => s.sheetId));
  for (const t of built) {
    const existing = sheets.find((s) => s.title === t.title);
    const needRows = t.rows.length;
    const needCols = tabWidth(t);
    if (existing) requests.push(...growRequests(existing, needRows, needCols));
    else {
      let sheetId = TAB_SHEET_ID_BASE + TAB_IDS.indexOf(t.id);
      while (usedIds.has(sheetId)) sheetId += 100;
      usedIds.add(sheetId);
      requests.push(...createTabRequests(t, sheetId, needRows, needCols));
    }
  }
  if (requests.length) await send(() => gateway.batchUpdate(requests), true);
}

function growRequests(s: SheetProps, rows: number, cols: number): unknown[] {
  const out: unknown[] = [];
  if (rows > s.rowCount) out.push({ appendDimension: { sheetId: s.sheetId, dimension: 'ROWS', length: rows - s.rowCount + GRID_ROW_SLACK } });
  if (cols > s.columnCount) out.push({ appendDimension: { sheetId: s.sheetId, dimension: 'COLUMNS', length: cols - s.columnCount } });
  return out;
}

export function createTabRequests(t: BuiltTab, sheetId: number, rows: number, cols: number): unknown[] {
  const out: unknown[] = [
    {
      addSheet: {
        properties: {
          sheetId,
          title: t.title,
          index: TAB_IDS.indexOf(t.id),
          gridProperties: { rowCount: Math.max(MIN_GRID_ROWS, rows + GRID_ROW_SLACK), columnCount: Math.max(26, cols), frozenRowCount: 1 },
        },
      },
    },
    ...t.widths.map((pixelSize, i) => ({
      updateDimensionProperties: {
        range: { sheetId, dimension: 'COLUMNS', startIndex: i, endIndex: i + 1 },
        properties: { pixelSize },
        fields: 'pixelSize',
      },
    })),
  ];
  if (t.id === 'hazards') {
    const col = columnLetters(HAZARD_OVERDUE_COLUMN);
    out.push({
      addConditionalFormatRule: {
        index: 0,
        rule: {
          ranges: [{ sheetId, startRowIndex: 1, startColumnIndex: 0, endColumnIndex: t.rows[0]!.length }],
          booleanRule: {
            condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: `=$${col}2="${OVERDUE_TEXT}"` }] },
            format: { backgroundColor: { red: 0.96, green: 0.8, blue: 0.8 }, textFormat: { foregroundColor: { red: 0.6, green: 0, blue: 0 } } },
          },
        },
      },
    });
  }
  return out;
}

type Shapes = Partial<Record<TabId, { rows: number; cols: number }>>;

function parseShapes(raw: string | undefined): Shapes {
  try {
    return raw ? (JSON.parse(raw) as Shapes) : {};
  } catch {
    return {};
  }
}

/** Ranges a tab held after the last write and no longer does: rows below, columns to the right. */
export function shrunkRanges(built: BuiltTab[], shapes: Shapes): string[] {
  const out: string[] = [];
  for (const t of built) {
    const before = shapes[t.id];
    if (!before) continue;
    const rows = t.rows.length;
    const cols = tabWidth(t);
    const q = quoteTab(t.title);
    if (before.rows > rows) out.push(`${q}!A${rows + 1}:${columnLetters(Math.max(before.cols, cols) - 1)}${before.rows}`);
    if (before.cols > cols) out.push(`${q}!${columnLetters(cols)}1:${columnLetters(before.cols - 1)}${Math.min(rows, before.rows)}`);
  }
  return out;
}

export function tabWidth(t: BuiltTab): number {
  return Math.max(1, ...t.rows.map((r) => r.length));
}

function pad<T>(row: T[], width: number): (T | '')[] {
  return row.length >= width ? row : [...row, ...Array<''>(width - row.length).fill('')];
}

/** A tab name in A1 notation: always quoted, quotes doubled. */
export function quoteTab(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

type Send = <T>(call: () => Promise<T>, write: boolean) => Promise<T>;

/**
 * Retries 429, 5xx and unanswered requests with exponential backoff and jitter, waiting at least as
 * long as Retry-After says. Every attempt is counted against the request budget.
 */
export function retrying(budget: RequestBudget, sleep: (ms: number) => Promise<void>, random: () => number): Send {
  return async (call) => {
    for (let attempt = 1; ; attempt++) {
      await budget.take();
      try {
        return await call();
      } catch (err) {
        const e = err instanceof SheetsApiError ? err : new SheetsApiError(0, (err as Error).message ?? String(err));
        if (!e.retryable || attempt >= MAX_ATTEMPTS) throw e;
        const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
        const jittered = backoff / 2 + random() * (backoff / 2);
        const wait = Math.max(jittered, (e.retryAfterSeconds ?? 0) * 1000);
        if (wait > MAX_DELAY_MS) throw e;
        await sleep(wait);
      }
    }
  };
}

/** A sliding one-minute window of requests, persisted in meta so separate isolates and the CLI share it. */
export class RequestBudget {
  private stamps: number[];
  used = 0;
  constructor(
    raw: string | undefined,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly limit = REQUESTS_PER_MINUTE,
  ) {
    let parsed: unknown = [];
    try {
      parsed = raw ? JSON.parse(raw) : [];
    } catch {
      parsed = [];
    }
    this.stamps = Array.isArray(parsed) ? parsed.filter((n): n is number => typeof n === 'number') : [];
  }

  async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.stamps = this.stamps.filter((s) => s > t - 60_000);
      if (this.stamps.length < this.limit) break;
      await this.sleep(this.stamps[0]! + 60_000 - t);
      // The wait is over even on a clock that did not move (a test's fixed clock).
      this.stamps.shift();
    }
    this.stamps.push(this.now());
    this.used += 1;
  }

  serialise(): string {
    return JSON.stringify(this.stamps);
  }
}
