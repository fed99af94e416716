// The first-run checklist on /admin: what a new district does before it goes live, each step ticked from the database.
import { and, count, eq, inArray, isNull, ne, notExists } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { accessCodes, auditEvents, notifyChannels, units } from '../db/schema.ts';
import { currentCampaign } from '../campaign/store.ts';
import { templateSettings } from '../campaign/settings.ts';

export interface ChecklistStep {
  id: 'name' | 'organisation' | 'dates' | 'codes' | 'posters' | 'channel';
  label: string;
  href: string;
  done: boolean;
}

/** Six cheap counts; a district that has done every step no longer sees the card. */
export async function setupChecklist(deps: Pick<Deps, 'db'>): Promise<ChecklistStep[]> {
  const { db } = deps;
  const n = (rows: { n: number }[]) => rows[0]?.n ?? 0;
  const signers = and(eq(units.active, true), inArray(units.kind, ['town', 'subdistrict', 'department']));
  const working = db.select({ one: accessCodes.id }).from(accessCodes).where(and(eq(accessCodes.unitCode, units.code), isNull(accessCodes.revokedAt)));
  const [campaign, orgUnits, signerCount, withoutCode, posters, channels] = await Promise.all([
    currentCampaign(db),
    db.select({ n: count() }).from(units).where(and(eq(units.active, true), ne(units.kind, 'office'))).then(n),
    db.select({ n: count() }).from(units).where(signers).then(n),
    db.select({ n: count() }).from(units).where(and(signers, notExists(working))).then(n),
    db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.kind, 'posters_printed')).then(n),
    db.select({ n: count() }).from(notifyChannels).then(n),
  ]);
  const template = templateSettings();
  const s = campaign.settings;
  return [
    { id: 'name', label: '填写地区名称和简称', href: '/admin/campaign', done: campaign.id > 0 && (s.district !== template.district || s.brand !== template.brand) },
    { id: 'organisation', label: '导入组织架构（镇街、村社区、区级部门）', href: '/admin/organisation', done: orgUnits > 0 },
    { id: 'dates', label: '设定活动日期', href: '/admin/campaign', done: campaign.id > 0 && s.startDate !== template.startDate },
    { id: 'codes', label: '为各镇街、部门发放访问码', href: '/admin/organisation', done: signerCount > 0 && withoutCode === 0 },
    { id: 'posters', label: '打印各村、社区的二维码海报', href: '/admin/organisation/posters', done: posters > 0 },
    { id: 'channel', label: '配置消息通知（企业微信、钉钉或短信）', href: '/admin/notifications', done: channels > 0 },
  ];
}

export function ChecklistCard(props: { steps: ChecklistStep[] }) {
  const left = props.steps.filter((s) => !s.done).length;
  if (left === 0) return null;
  return (
    <div class="card" id="checklist">
      <h2>
        上线准备（还差 {left} 步）
      </h2>
      <ol class="steps">
        {props.steps.map((s) => (
          <li data-step={s.id} data-done={s.done ? '1' : '0'}>
            {s.done ? '✅ ' : '⬜ '}
            <a href={s.href}>{s.label}</a>
            {s.done ? '（已完成）' : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}
