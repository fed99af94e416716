// The unit's dashboard (/unit): visits against quota, tasks against targets, patrol teams against R5,
// the hazards it leads, and the campaign deadlines with days left.
import { Hono } from 'hono';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { units } from '../db/schema.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import type { Principal } from '../auth/codes.ts';
import { CADRE_ROLE_LABELS, type UnitInfo } from './roster/roster.ts';
import {
  campaignDeadlines,
  daysLeftLabel,
  patrolSummary,
  taskProgress,
  unitHazards,
  visitProgress,
  type CadreProgress,
  type DeadlineRow,
  type PatrolSummary,
  type TaskProgress,
  type UnitHazard,
} from './dashboard.ts';
import { stateLabel, isOpen } from '../hazards/states.ts';
import { HAZARD_CATEGORY_OPTIONS } from '../../forms/options.ts';
import { shanghaiDay } from '../lib/time.ts';
import { campaignFor } from '../campaign/context.ts';
import { PortalLayout, portalScope, unitQuery } from './layout.tsx';
import { officerFigures, stationFigures, unitTasks, type OfficerFigures, type StationFigures } from './tasks.ts';
import { OfficerTable, StationTable } from './duty.tsx';
import { DataTable, ProgressBar, SubmitButton } from '../web/components.tsx';

const categoryLabel = (v: string) => HAZARD_CATEGORY_OPTIONS.find((o) => o.value === v)?.label ?? v;

interface DashboardProps {
  principal: Principal;
  unit: UnitInfo;
  cadres: CadreProgress[];
  tasks: TaskProgress[];
  stations: StationFigures[];
  officers: OfficerFigures[];
  patrol: PatrolSummary;
  hazards: UnitHazard[];
  deadlines: DeadlineRow[];
  today: string;
  pickable: { code: string; name: string }[];
  /** The unit's villages and communities: each gets its own poster so answers are attributed to it. */
  places: { code: string; name: string }[];
}

function Dashboard(props: DashboardProps) {
  const q = unitQuery(props.principal, props.unit.code);
  const readOnly = props.principal.role === 'leader';
  const isTown = props.unit.kind === 'town' || props.unit.kind === 'subdistrict';
  const totalVisits = props.cadres.reduce((n, c) => n + c.visits, 0);
  const totalQuota = props.cadres.reduce((n, c) => n + c.quota, 0);
  return (
    <PortalLayout title="单位工作台" principal={props.principal} unitName={props.unit.name} unitCode={props.unit.code} current="/unit">
      <h1>{props.unit.name} · 工作台</h1>
      {props.pickable.length > 0 ? (
        <form method="get" action="/unit" class="row noprint">
          <label for="unit-pick" style="margin:0">
            查看单位
          </label>
          <select id="unit-pick" name="unit" style="width:auto">
            {props.pickable.map((u) => (
              <option value={u.code} selected={u.code === props.unit.code}>
                {u.name}
              </option>
            ))}
          </select>
          <SubmitButton secondary>查看</SubmitButton>
        </form>
      ) : null}

      <h2>活动截止时间</h2>
      <DataTable head={['事项', '截止日期', '剩余']} label="活动截止时间">
        {props.deadlines.map((d) => (
          <tr>
            <td>{d.label}</td>
            <td>{d.date}</td>
            <td class={d.daysLeft < 0 ? 'muted' : d.daysLeft <= 3 ? 'flag' : undefined}>{daysLeftLabel(d.daysLeft)}</td>
          </tr>
        ))}
      </DataTable>

      <h2>入户下访进度</h2>
      {props.cadres.length === 0 ? (
        <div class="card">
          <p>
            还没有在册干部。请先在<a href={`/unit/cadres${q}`}>干部花名册</a>中添加或导入干部，再登记入户下访。
          </p>
        </div>
      ) : (
        <>
          <p class="muted">
            合计 {totalVisits} / {totalQuota} 户。
            {readOnly ? null : <a href={`/unit/forms/household-visit${q}`}>登记入户下访</a>}
          </p>
          <DataTable head={['干部', '角色', '包抓村（社区）', { label: '已走访 / 任务', class: 'num' }, '进度']}>
            {props.cadres.map((c) => (
              <tr data-cadre={c.id}>
                <td>
                  {readOnly ? c.name : <a href={`/unit/forms/household-visit?cadre=${c.id}${unitQuery(props.principal, props.unit.code, '&')}`}>{c.name}</a>}
                </td>
                <td>{CADRE_ROLE_LABELS[c.role]}</td>
                <td>{c.assignedName ?? '—'}</td>
                <td class="num">
                  {c.visits} / {c.quota}
                </td>
                <td>
                  <ProgressBar percent={c.percent} label={`${c.name}的入户进度`} />
                  <span class="progress">{c.percent}%</span>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}

      <h2>活动任务</h2>
      {props.tasks.length === 0 ? (
        <p class="muted">实施方案没有给本单位分配可计数的任务。</p>
      ) : (
        <DataTable head={['任务', { label: '已完成 / 目标', class: 'num' }, '进度']} label="活动任务">
          {props.tasks.map((t) => (
            <tr data-task={t.id}>
              <td>{t.title}</td>
              <td class="num">
                {t.reported} / {t.target} {t.unitLabel}
              </td>
              <td>
                <ProgressBar percent={t.percent} label={`${t.title}的进度`} />
                {t.percent}%
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <StationTable stations={props.stations} />
      <OfficerTable officers={props.officers} showStation={props.unit.kind !== 'station'} />
      {props.tasks.length > 0 && props.tasks.every((t) => t.reported === 0) && !readOnly ? (
        <p class="muted">
          还没有填报任务进度。每完成一批，请在<a href={`/unit/forms/task-report${q}`}>任务进度</a>中填报本次完成数量。
        </p>
      ) : null}

      <h2>红袖标巡逻队</h2>
      {props.patrol.teams.length === 0 && props.patrol.missing.length === 0 ? (
        <p class="muted">
          还没有登记巡逻队。{readOnly ? null : <a href={`/unit/forms/patrol-team${q}`}>登记巡逻队</a>}
        </p>
      ) : (
        <DataTable head={['村（社区）', { label: '人口', class: 'num' }, { label: '队员', class: 'num' }, '规定人数', '情况']} label="红袖标巡逻队">
            {props.patrol.teams.map((t) => (
              <tr data-patrol={t.submissionId}>
                <td>{t.placeName}</td>
                <td class="num">{t.population ?? '—'}</td>
                <td class="num">{t.members}</td>
                <td>
                  {t.rule.min}–{t.rule.max} 人
                </td>
                <td class={t.flag ? 'flag' : undefined}>{t.flag ? t.flag.message : '符合要求'}</td>
              </tr>
            ))}
            {props.patrol.missing.map((m) => (
              <tr>
                <td>{m.name}</td>
                <td class="num">{m.population ?? '—'}</td>
                <td class="num">—</td>
                <td>
                  {m.rule.min}–{m.rule.max} 人
                </td>
                <td class="flag">尚未登记巡逻队</td>
              </tr>
            ))}
        </DataTable>
      )}

      <h2>宣传海报</h2>
      <p class="muted">
        A4 海报印有平安标语和三个群众表单的二维码，扫码填写的内容会计入对应的村（社区）：
        {[{ code: props.unit.code, name: props.unit.name }, ...props.places].map((p, i) => (
          <>
            {i > 0 ? '、' : ''}
            <a href={`/posters/${p.code}`}>{p.name}</a>
          </>
        ))}
        。
      </p>

      <h2>本单位牵头的治安隐患</h2>
      {props.principal.role === 'unit' ? (
        <p class="muted">
          签收、整改和上报整改结果请到<a href="/unit/hazards">隐患督办</a>。
        </p>
      ) : null}
      {props.hazards.length === 0 ? (
        <p class="muted">
          目前没有由本单位牵头整改的隐患。{isTown && !readOnly ? <>排查发现的隐患请登记到<a href={`/unit/forms/hazard-ledger${q}`}>隐患台账</a>。</> : null}
        </p>
      ) : (
        <DataTable head={['编号', '类型', '地点', '状态', '整改期限']}>
          {props.hazards.map((h) => {
            const open = isOpen(h.state);
            return (
              <tr>
                <td>{h.number}</td>
                <td>{categoryLabel(h.category)}</td>
                <td>{h.place}</td>
                <td>{stateLabel(h.state)}</td>
                <td class={open && (h.overdue || (h.deadline !== null && h.deadline < props.today)) ? 'flag' : undefined}>
                  {h.deadline ?? '—'}
                  {open && (h.overdue || (h.deadline !== null && h.deadline < props.today)) ? '（已逾期）' : ''}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </PortalLayout>
  );
}

export function unitDashboardRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const anyone = requireRole(deps, ['unit', 'admin', 'leader']);

  // A unit's tasks as computed from its registers (src/unit/tasks.ts); the office and leaders name a unit with ?unit=.
  app.get('/api/v1/unit/tasks', anyone, async (c) => {
    const { unit } = await portalScope(deps, c);
    const { settings: campaign } = await campaignFor(c, deps.db);
    const tasks = await unitTasks(deps.db, unit, campaign);
    return c.json(tasks.map((t) => ({ id: t.id, label: t.label, target: t.target, done: t.done, source: t.source, unitLabel: t.unitLabel, rule: t.rule })));
  });

  app.get('/unit', anyone, async (c) => {
    const { principal, unit } = await portalScope(deps, c);
    const now = deps.now();
    const { settings: campaign } = await campaignFor(c, deps.db);
    const [cadres, tasks, stations, officers, patrol, hazards, pickable, places] = await Promise.all([
      visitProgress(deps.db, unit.code, campaign),
      taskProgress(deps.db, unit, campaign),
      unit.kind === 'department' ? stationFigures(deps.db, unit.code, campaign) : Promise.resolve([]),
      officerFigures(deps.db, unit, campaign),
      patrolSummary(deps.db, unit, campaign),
      unitHazards(deps.db, unit.code),
      principal.role === 'unit'
        ? Promise.resolve([])
        : deps.db
            .select({ code: units.code, name: units.name })
            .from(units)
            .where(and(inArray(units.kind, ['office', 'town', 'subdistrict', 'department', 'station']), eq(units.active, true)))
            .orderBy(asc(units.kind), asc(units.code)),
      deps.db
        .select({ code: units.code, name: units.name })
        .from(units)
        .where(and(eq(units.parentCode, unit.code), inArray(units.kind, ['village', 'community']), eq(units.active, true)))
        .orderBy(asc(units.code)),
    ]);
    const today = shanghaiDay(now);
    return c.html(
      <Dashboard
        principal={principal}
        unit={unit}
        cadres={cadres}
        tasks={tasks}
        stations={stations}
        officers={officers}
        patrol={patrol}
        hazards={hazards}
        deadlines={campaignDeadlines(now, campaign)}
        today={today}
        pickable={pickable}
        places={places}
      />,
    );
  });

  return app;
}
