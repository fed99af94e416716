// The office's audit trail: one list of who did what, read from the tables that keep their own history
// (record edits and deletions, hazard transitions, access codes, settings, form versions) and audit_events
// (sign-ins and sign-outs, purges, backups, restores, contacts deleted on request). Personal values are masked even here.
import { Hono } from 'hono';
import { eq, sql } from 'drizzle-orm';
import { auditEvents, submissionPersonal, submissions } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { dayEndMs, dayStartMs, formatShanghai, isValidDay, shanghaiDay, addDays } from '../lib/time.ts';
import { maskDigits, maskPersonal, neutraliseFormula } from '../forms/personal.ts';
import { DataTable, SubmitButton } from '../web/components.tsx';
import { toCsv } from '../unit/export/csv.ts';
import { attachment } from '../web/attachment.ts';
import { OfficePage } from './office-page.tsx';

export const AUDIT_KINDS: Record<string, string> = {
  record_update: '修改记录',
  record_delete: '删除记录',
  hazard: '隐患流转',
  code_issued: '发放访问码',
  code_revoked: '停用访问码',
  sign_in: '登录',
  sign_out: '退出',
  settings_saved: '修改活动设置',
  form_published: '发布表单新版本',
  purge: '按保留期删除个人信息',
  contact_deleted: '应本人要求删除联系方式',
  backup: '备份',
  restore: '恢复备份',
  hand_in: '报送',
  organisation_import: '导入组织架构',
  organisation_edit: '修改单位',
  posters_printed: '批量打印海报',
};

export interface AuditFilter {
  unit?: string;
  kind?: string;
  actor?: string;
  from: string;
  to: string;
  limit: number;
}

export interface AuditRow {
  at: number;
  actor: string;
  kind: string;
  unit: string | null;
  subject: string | null;
  change: string;
}

/** A record edit in words, personal values masked: "满意度：满意 → 不满意；户主姓名：王** → 李**". */
function describeChange(before: string | null, after: string | null): string {
  const parse = (s: string | null) => {
    try {
      return s ? (JSON.parse(s) as { answers?: Record<string, unknown>; personal?: Record<string, unknown> }) : {};
    } catch {
      return {};
    }
  };
  const b = parse(before);
  const a = parse(after);
  const show = (v: unknown, personal: boolean) =>
    v === undefined || v === null || v === '' ? '（空）' : personal ? maskPersonal('text', v) : maskDigits(String(Array.isArray(v) ? v.join('、') : v)).slice(0, 60);
  const parts: string[] = [];
  for (const [group, personal] of [['answers', false], ['personal', true]] as const) {
    const keys = new Set([...Object.keys(b[group] ?? {}), ...Object.keys(a[group] ?? {})]);
    for (const k of keys) {
      const x = b[group]?.[k];
      const y = a[group]?.[k];
      if (after !== null && JSON.stringify(x) === JSON.stringify(y)) continue;
      parts.push(after === null ? `${k}：${show(x, personal)}` : `${k}：${show(x, personal)} → ${show(y, personal)}`);
    }
  }
  return parts.join('；');
}

export async function readAudit(deps: Pick<Deps, 'db'>, f: AuditFilter): Promise<AuditRow[]> {
  const from = dayStartMs(f.from);
  const to = dayEndMs(f.to);
  const kind = f.kind ? (f.kind === 'hazard' ? 'hazard_%' : f.kind) : null;
  const rows = await deps.db.all<{ at: number; actor: string; kind: string; unit: string | null; subject: string | null; before: string | null; after: string | null; note: string | null }>(sql`
    SELECT * FROM (
      SELECT a.at, a.actor, 'record_' || a.action AS kind, s.unit_code AS unit, s.form_id || ' #' || a.submission_id AS subject, a.before, a.after, NULL AS note
        FROM submission_audit a LEFT JOIN submissions s ON s.id = a.submission_id
      UNION ALL
      SELECT e.at, e.actor_role || ':' || coalesce(e.actor_unit_code, ''), 'hazard_' || e.action, coalesce(e.actor_unit_code, h.lead_unit_code), h.number,
             e.from_state, e.to_state, e.note
        FROM hazard_events e JOIN hazards h ON h.id = e.hazard_id
      UNION ALL
      SELECT created_at, 'office', 'code_issued', unit_code, '#' || id || ' ' || role, NULL, NULL, label FROM access_codes
      UNION ALL
      SELECT revoked_at, 'office', 'code_revoked', unit_code, '#' || id || ' ' || role, NULL, NULL, label FROM access_codes WHERE revoked_at IS NOT NULL

      UNION ALL
      SELECT saved_at, saved_by, 'settings_saved', 'office', '活动 #' || campaign_id || ' 第 ' || version || ' 版', NULL, NULL, NULL FROM campaign_versions
      UNION ALL
      SELECT saved_at, saved_by, 'form_published', 'office', form_id || ' 第 ' || version || ' 版', NULL, NULL, note FROM form_versions
      UNION ALL
      SELECT at, actor, kind, unit_code, subject, NULL, NULL, detail FROM audit_events
      UNION ALL
      SELECT at, 'unit:' || unit_code || '#' || coalesce(code_id, ''), 'hand_in', unit_code, deadline_id || ' ' || row_count || ' 条', NULL, NULL,
             CASE WHEN late THEN '逾期报送' ELSE NULL END FROM hand_ins
    )
    WHERE at >= ${from} AND at < ${to}
      AND (${f.unit ?? null} IS NULL OR unit = ${f.unit ?? null})
      AND (${kind} IS NULL OR kind LIKE ${kind})
      AND (${f.actor ?? null} IS NULL OR actor LIKE '%' || ${f.actor ?? null} || '%')
    ORDER BY at DESC
    LIMIT ${f.limit}`);
  return rows.map((r) => ({
    at: Number(r.at),
    actor: r.actor,
    kind: r.kind,
    unit: r.unit,
    subject: r.subject,
    change: r.kind.startsWith('record_')
      ? describeChange(r.before, r.after)
      : r.kind.startsWith('hazard_')
        ? [r.before && r.after ? `${r.before} → ${r.after}` : r.after, r.note ? maskDigits(r.note).slice(0, 80) : null].filter(Boolean).join('；')
        : r.note
          ? maskDigits(r.note).slice(0, 120)
          : '',
  }));
}

const kindLabel = (k: string) => AUDIT_KINDS[k] ?? (k.startsWith('hazard_') ? `隐患：${k.slice(7)}` : k);

/** The query string as a filter, or the fields that are wrong. */
export function parseAuditQuery(q: Record<string, string | undefined>, today: string): { filter: AuditFilter; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const day = (name: 'from' | 'to', fallback: string) => {
    const v = q[name];
    if (!v) return fallback;
    if (!isValidDay(v)) errors.push({ field: name, message: '日期格式应为 YYYY-MM-DD' });
    return isValidDay(v) ? v : fallback;
  };
  const from = day('from', addDays(today, -30));
  const to = day('to', today);
  if (from > to) errors.push({ field: 'to', message: '结束日期不能早于开始日期' });
  const kind = q.kind || undefined;
  if (kind && !(kind in AUDIT_KINDS)) errors.push({ field: 'kind', message: '没有这种操作类型' });
  const unit = q.unit?.trim() || undefined;
  if (unit && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(unit)) errors.push({ field: 'unit', message: '单位代码格式不对' });
  const actor = q.actor?.trim().slice(0, 60) || undefined;
  return { filter: { from, to, kind, unit, actor, limit: 500 }, errors };
}

export function auditRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const office = requireRole(deps, ['admin']);

  app.get('/api/v1/admin/audit', office, async (c) => {
    const { filter, errors } = parseAuditQuery(c.req.query(), shanghaiDay(deps.now()));
    if (errors.length) throw validationFailed(errors);
    const rows = await readAudit(deps, filter);
    return c.json(rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })));
  });

  app.get('/admin/audit.csv', office, async (c) => {
    const { filter, errors } = parseAuditQuery(c.req.query(), shanghaiDay(deps.now()));
    if (errors.length) throw validationFailed(errors);
    const rows = await readAudit(deps, { ...filter, limit: 20_000 });
    const csv = toCsv({
      title: '操作记录',
      headers: ['时间', '操作人', '操作', '单位', '对象', '内容'],
      rows: rows.map((r) => [formatShanghai(r.at), r.actor, kindLabel(r.kind), r.unit ?? '', r.subject ?? '', r.change].map((v) => neutraliseFormula(String(v)))),
    });
    attachment(c, `audit-${filter.from}-${filter.to}.csv`);
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  app.get('/admin/audit', office, async (c) => {
    const query = c.req.query();
    const { filter, errors } = parseAuditQuery(query, shanghaiDay(deps.now()));
    const rows = errors.length ? [] : await readAudit(deps, filter);
    const qs = new URLSearchParams(Object.entries({ from: filter.from, to: filter.to, kind: filter.kind, unit: filter.unit, actor: filter.actor }).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    return c.html(
      <OfficePage title="操作记录">
        <p class="muted">记录的修改和删除、隐患流转、访问码发放和停用、登录、活动设置、个人信息删除、备份与恢复。个人信息在这里也只显示脱敏后的内容。</p>
        {errors.length ? <div class="alert" role="alert"><ul>{errors.map((e) => <li>{e.message}</li>)}</ul></div> : null}
        <form method="get" action="/admin/audit" class="card">
          <div class="grid">
            <div><label for="a-from">从</label><input type="date" id="a-from" name="from" value={filter.from} /></div>
            <div><label for="a-to">到</label><input type="date" id="a-to" name="to" value={filter.to} /></div>
            <div>
              <label for="a-kind">操作</label>
              <select id="a-kind" name="kind">
                <option value="">全部</option>
                {Object.entries(AUDIT_KINDS).map(([k, label]) => <option value={k} selected={filter.kind === k}>{label}</option>)}
              </select>
            </div>
            <div><label for="a-unit">单位代码</label><input type="text" id="a-unit" name="unit" value={filter.unit ?? ''} /></div>
            <div><label for="a-actor">操作人</label><input type="text" id="a-actor" name="actor" value={filter.actor ?? ''} /></div>
          </div>
          <p><SubmitButton>筛选</SubmitButton> <a href={`/admin/audit.csv${qs ? `?${qs}` : ''}`}>导出 CSV</a></p>
        </form>
        {rows.length === 0 ? (
          <p class="muted">这段时间没有符合条件的操作记录。可以放宽日期或清空筛选条件。</p>
        ) : (
          <DataTable head={['时间', '操作人', '操作', '单位', '对象', '内容']}>
            {rows.map((r) => (
              <tr>
                <td>{formatShanghai(r.at)}</td>
                <td>{r.actor}</td>
                <td>{kindLabel(r.kind)}</td>
                <td>{r.unit ?? ''}</td>
                <td>{r.subject ?? ''}</td>
                <td>{r.change}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </OfficePage>,
    );
  });

  // A resident's or tipster's request to delete their own contact details: the record stays, its personal part goes.
  const forget = async (id: number, by: string) => {
    const [row] = await deps.db.select({ id: submissions.id, unit: submissions.unitCode }).from(submissions).where(eq(submissions.id, id));
    if (!row) throw notFound('找不到这条记录');
    const at = deps.now().getTime();
    const [deleted] = await deps.db.batch([
      deps.db.delete(submissionPersonal).where(eq(submissionPersonal.submissionId, id)),
      deps.db.insert(auditEvents).values({ at, actor: by, kind: 'contact_deleted', unitCode: row.unit, subject: `#${id}` }),
    ]);
    return deleted.rowsAffected > 0;
  };
  const idOf = (raw: string) => {
    if (!/^\d{1,12}$/.test(raw)) throw notFound('找不到这条记录');
    return Number(raw);
  };
  const who = (c: { get(k: 'principal'): { role: string; unitCode: string; codeId: number } }) => {
    const p = c.get('principal');
    return `${p.role}:${p.unitCode}#${p.codeId}`;
  };

  app.delete('/api/v1/admin/records/:id/contact', office, async (c) => {
    const removed = await forget(idOf(c.req.param('id')), who(c));
    return c.json({ removed });
  });

  app.post('/admin/records/:id/forget-contact', office, async (c) => {
    const id = idOf(c.req.param('id'));
    await forget(id, who(c));
    const back = c.req.header('referer');
    const safe = back && new URL(back, 'http://x').pathname.startsWith('/admin') ? new URL(back, 'http://x').pathname : '/admin/audit';
    return c.redirect(`${safe}?contact=deleted`, 303);
  });

  return app;
}
