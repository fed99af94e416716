// The mirror's health for the office: last successful sync, jobs waiting, last error; a card for the office page.
import type { Deps } from '../deps.ts';
import { formatShanghai } from '../lib/time.ts';
import { pendingJobs } from './flush.ts';
import { META, readMeta } from './meta.ts';

export interface SheetStatus {
  configured: boolean;
  /** ISO 8601, or null before the first success. */
  lastSuccessAt: string | null;
  pending: number;
  lastError: { at: string; message: string } | null;
  /** When the next attempt after a failure is due, ISO 8601. */
  retryAt: string | null;
}

export async function getSheetStatus(deps: Pick<Deps, 'db'> & Partial<Deps>): Promise<SheetStatus> {
  const [state, pending] = await Promise.all([readMeta(deps.db), pendingJobs(deps)]);
  const iso = (v: string | undefined) => (v && Number(v) > 0 ? new Date(Number(v)).toISOString() : null);
  let lastError: SheetStatus['lastError'] = null;
  try {
    const e = state[META.lastError] ? (JSON.parse(state[META.lastError]!) as { at: number; message: string }) : null;
    if (e) lastError = { at: new Date(e.at).toISOString(), message: e.message };
  } catch {
    lastError = null;
  }
  return {
    configured: Boolean(deps.sheets),
    lastSuccessAt: iso(state[META.lastSuccessAt]),
    pending,
    lastError,
    retryAt: iso(state[META.retryAt]),
  };
}

/** For the office page (/admin): include `<SheetStatusCard status={await getSheetStatus(deps)} />`. */
export function SheetStatusCard(props: { status: SheetStatus }) {
  const s = props.status;
  const recovered = s.lastError && s.lastSuccessAt && s.lastSuccessAt > s.lastError.at;
  return (
    <div class="card" id="sheet-status">
      <h2>领导查看表（Google 表格）同步</h2>
      {!s.configured && <p class="muted">未配置 Google 表格（GOOGLE_SERVICE_ACCOUNT、SHEET_ID）。领导可在领导页下载 Excel 汇总表。</p>}
      {/* Sync figures mean something only where a sheet is configured: without one nothing is ever sent. */}
      {s.configured ? <SyncFigures s={s} recovered={Boolean(recovered)} /> : null}
    </div>
  );
}

function SyncFigures({ s, recovered }: { s: SheetStatus; recovered: boolean }) {
  return (
    <>
      <p>
        上次同步成功：{s.lastSuccessAt ? formatShanghai(new Date(s.lastSuccessAt)) : '尚未同步'}
      </p>
      <p>
        待同步任务：<strong>{s.pending}</strong>
        {s.retryAt && s.pending > 0 ? <span class="muted">（下次重试 {formatShanghai(new Date(s.retryAt))}）</span> : null}
      </p>
      {s.lastError && (
        <p class={recovered ? 'muted' : 'err'}>
          {recovered ? '上次出错（已恢复）' : '最近一次出错'}：{formatShanghai(new Date(s.lastError.at))} {s.lastError.message}
        </p>
      )}
      <p class="help">数据先保存在本系统，Google 暂时连不上时不会丢失，恢复后自动补传。</p>
    </>
  );
}

/** The `sheets` part of `GET /healthz?detail=1`. */
export async function sheetHealth(deps: Pick<Deps, 'db'> & Partial<Deps>): Promise<{ configured: boolean; lastSuccessAt: string | null; pending: number; lastError: SheetStatus['lastError'] }> {
  const s = await getSheetStatus(deps);
  return { configured: s.configured, lastSuccessAt: s.lastSuccessAt, pending: s.pending, lastError: s.lastError };
}
