// The district office's home: what needs attention today, where each job lives, and the sheet's health.
import { Hono } from 'hono';
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { hazards, submissions } from '../db/schema.ts';
import { STATE_IDS, awaitsOffice, isOpen } from '../hazards/states.ts';
import { latestSnapshotDay } from '../rankings/index.ts';
import { getSheetStatus, SheetStatusCard } from '../sheets/status.tsx';
import { shanghaiDay } from '../lib/time.ts';
import { Layout } from '../web/layout.tsx';
import { countUnanswered } from '../suggestions/service.ts';
import { countOverdueForwards } from '../suggestions/routing.ts';
import { countFlagged } from '../submissions/flagged.tsx';
import { SignOutButton } from '../auth/routes.tsx';
import { DataCareCard, dataCareStatus } from './data-care.tsx';
import { ChecklistCard, setupChecklist } from './checklist.tsx';

const OPEN_STATES = STATE_IDS.filter(isOpen);
const TRIAGE_STATES = STATE_IDS.filter(awaitsOffice);

export function adminHomeRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();

  app.get('/admin', requireRole(deps, ['admin', 'leader']), async (c) => {
    const principal = c.get('principal');
    const today = shanghaiDay(deps.now());
    const hazardCount = async (...where: Parameters<typeof and>) =>
      (await deps.db.select({ n: count() }).from(hazards).where(and(...where)))[0]?.n ?? 0;
    const isAdmin = principal.role === 'admin';
    // Every figure is read at once: over HTTP they travel as one round trip (src/db/coalesce.ts).
    const [triage, open, overdue, closedToday, submittedToday, latestDay, sheet, unansweredSuggestions, overdueAnswers, flagged, care, checklist] = await Promise.all([
      hazardCount(inArray(hazards.state, TRIAGE_STATES)),
      hazardCount(inArray(hazards.state, OPEN_STATES)),
      hazardCount(inArray(hazards.state, OPEN_STATES), eq(hazards.overdue, true)),
      hazardCount(eq(hazards.closedDay, today)),
      deps.db
        .select({ n: count() })
        .from(submissions)
        .where(and(eq(submissions.day, today), isNull(submissions.deletedAt)))
        .then((r) => r[0]?.n ?? 0),
      latestSnapshotDay(deps.db),
      getSheetStatus(deps),
      countUnanswered(deps),
      countOverdueForwards(deps, today),
      countFlagged(deps.db),
      dataCareStatus(deps),
      isAdmin ? setupChecklist(deps) : Promise.resolve([]),
    ]);
    return c.html(
      <Layout title="区综治办" heading="区综治办" wide staff>
        <p class="muted">
          {isAdmin ? '区综治办' : '领导（只读）'} · <SignOutButton />
        </p>
        <ChecklistCard steps={checklist} />
        <h1>今日概况（{today}）</h1>
        <div class="figs">
          <a class={`fig${triage > 0 ? ' hot' : ''}`} href="/admin/hazards">
            <b>{triage}</b>待分办、待核查的隐患
          </a>
          <a class={`fig${overdue > 0 ? ' hot' : ''}`} href="/admin/hazards?status=overdue">
            <b>{overdue}</b>已超期的隐患
          </a>
          <div class="fig">
            <b>{open}</b>未办结的隐患（含待分办）
          </div>
          <div class="fig">
            <b>{closedToday}</b>今日销号
          </div>
          <div class="fig">
            <b>{submittedToday}</b>今日收到的填报
          </div>
        </div>
        <div class="card">
          <h2>工作入口</h2>
          <ul class="links">
            <li>
              <a href="/admin/hazards">隐患督办</a>：分办、挂牌督办、核查销号，超期的排在最前
            </li>
            <li>
              <a href="/admin/suggestions?filter=unanswered">代表委员建议</a>：“两代表一委员”的意见建议，办理并答复（未答复 {unansweredSuggestions} 条{overdueAnswers ? `，部门逾期未答复 ${overdueAnswers} 件` : ''}）
            </li>
            <li>
              <a href="/leader">每日排名</a>
              {latestDay ? `（最新：${latestDay}）` : '（尚未生成，每天 0:05 自动计算）'} · <a href="/leader/circular">打印通报</a> ·{' '}
              <a href="/leader/workbook.xlsx">下载汇总表（Excel）</a>
            </li>
            <li>
              <a href="/unit">各单位进度</a>：按单位查看入户下访、任务、巡逻队
            </li>
            {isAdmin ? (
              <li>
                <a href="/admin/flagged">待确认的集中填报</a>：同一地址当天超过 10 份的匿名填报暂不计入排名（{flagged} 份待确认）
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <a href="/admin/hand-ins">报送情况</a>：各镇街、部门按时间节点报送的隐患台账和走访汇总，谁已报、谁未报、谁逾期
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <a href="/admin/visit-flags">待核实的入户走访</a>：重复登记同一户、走访非包抓村（社区）的记录
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <a href="/admin/access">访问码管理</a>：为镇街、部门和领导发放、停用访问码
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <a href="/admin/audit">操作记录</a>：谁在何时修改、删除了什么，隐患流转、访问码、登录、备份和个人信息删除
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <a href="/admin/campaign">活动设置</a>：活动名称和日期、上报节点、走访任务数、排名权重、宣传标语、各单位任务，开始新一期活动
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <a href="/admin/forms">表单</a>：增加或修改问题和选项，预览后发布新版本；导入导出 JSON 和 Excel，查看历史版本
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <a href="/admin/notifications">消息通知</a>：各单位、综治办和领导群的企业微信、钉钉机器人、Webhook 和短信，发送记录
              </li>
            ) : null}
          </ul>
        </div>
        <SheetStatusCard status={sheet} />
        <DataCareCard care={care} />
      </Layout>,
    );
  });

  return app;
}
