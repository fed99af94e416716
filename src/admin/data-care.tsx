// The office home's card on keeping the data: the last backup (warned when over a day old) and personal
// data that the retention period is about to remove.
import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { meta } from '../db/schema.ts';
import { upcomingPurge, type RetentionWindow } from '../campaign/retention.ts';
import { formatShanghai } from '../lib/time.ts';

/** Where the Node runtime's backup job (src/runtime/node/backup.ts) records its last run. */
export const LAST_BACKUP_KEY = 'last_backup';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DataCare {
  lastBackup: { at: number } | null;
  stale: boolean;
  purge: RetentionWindow | null;
}

export async function dataCareStatus(deps: Pick<Deps, 'db' | 'now'>): Promise<DataCare> {
  const now = deps.now();
  const [[row], purge] = await Promise.all([deps.db.select({ value: meta.value }).from(meta).where(eq(meta.key, LAST_BACKUP_KEY)), upcomingPurge(deps, now)]);
  let lastBackup: DataCare['lastBackup'] = null;
  try {
    lastBackup = row ? { at: Number((JSON.parse(row.value) as { at: number }).at) } : null;
  } catch {
    lastBackup = null;
  }
  return { lastBackup, stale: lastBackup !== null && now.getTime() - lastBackup.at > DAY_MS, purge };
}

export function DataCareCard(props: { care: DataCare }) {
  const { lastBackup, stale, purge } = props.care;
  return (
    <div class="card">
      <h2>数据保管</h2>
      {lastBackup ? (
        <p class={stale ? 'alert' : undefined} role={stale ? 'alert' : undefined}>
          最近一次备份：{formatShanghai(lastBackup.at)}
          {stale ? '。已超过一天没有新的备份，请检查服务器的定时备份（npm start 每天 0:30 自动备份）。' : '。'}
        </p>
      ) : (
        <p class="muted">尚无备份记录。自行部署（Node）时每天 0:30 自动备份到 data/backups；部署在 Turso 上时使用其时间点恢复。</p>
      )}
      {purge ? (
        <p class="alert" role="alert">
          “{purge.name}”的群众和举报人个人信息（姓名、电话、住址、照片）将于 {purge.purgeOn} 按保留期删除；隐患、回执、统计和排名不受影响。如需延长，请在活动设置中修改保留天数。
        </p>
      ) : null}
    </div>
  );
}
