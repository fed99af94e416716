// Rankings for people who judge units: the API, the leader page, the printable circular and the office's recompute button.
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { AppError, validationFailed } from '../lib/errors.ts';
import { isValidDay } from '../lib/time.ts';
import { computeSnapshot, dayJustEnded, latestSnapshotDay, readRanking, RANKING_GROUPS, type RankingGroup } from './index.ts';
import { CircularPage, LeaderPage } from './pages.tsx';
import { campaignFromQuery, currentCampaign } from '../campaign/store.ts';

function parseDate(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!isValidDay(raw)) throw new AppError(400, 'BAD_DATE', `日期“${raw.slice(0, 20)}”无效，请使用 YYYY-MM-DD 格式，例如 2014-11-04`);
  return raw;
}

function parseGroup(raw: string | undefined): RankingGroup | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!RANKING_GROUPS.includes(raw as RankingGroup)) {
    throw new AppError(400, 'BAD_GROUP', 'group 只能是 towns（镇街）或 departments（部门）');
  }
  return raw as RankingGroup;
}

export function rankingsRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['leader', 'admin']);

  app.get('/api/v1/rankings', readers, async (c) => {
    const asked = parseDate(c.req.query('date'));
    const group = parseGroup(c.req.query('group'));
    const { campaign } = await campaignFromQuery(deps.db, c.req.query('campaign'));
    const date = asked ?? (await latestSnapshotDay(deps.db, campaign.id));
    if (!date) throw new AppError(404, 'NO_SNAPSHOT', '还没有任何排名：排名每天北京时间 00:05 生成前一日的数据，区综治办也可以重新计算某一日');
    const view = await readRanking(deps.db, date, group, campaign.id);
    if (!view) throw new AppError(404, 'NO_SNAPSHOT', `${date} 没有排名：排名每天北京时间 00:05 生成前一日的数据，区综治办可以重新计算该日`, { date });
    return c.json({
      campaign: campaign.id,
      date: view.date,
      group: group ?? null,
      previousDate: view.previousDate,
      computedAt: new Date(view.computedAt).toISOString(),
      weights: view.weights ?? campaign.settings.rankingWeights,
      threshold: campaign.settings.rankingThreshold,
      rows: view.rows.map((r) => ({
        rank: r.rank,
        unitCode: r.unitCode,
        unitName: r.unitName,
        group: r.group,
        score: r.score,
        change: r.change,
        metrics: r.metrics,
      })),
    });
  });

  app.get('/leader', readers, async (c) => {
    const group = parseGroup(c.req.query('group')) ?? 'towns';
    const { campaign, earlier } = await campaignFromQuery(deps.db, c.req.query('campaign'));
    const latest = await latestSnapshotDay(deps.db, campaign.id);
    const date = parseDate(c.req.query('date')) ?? latest;
    const view = date ? await readRanking(deps.db, date, group, campaign.id) : null;
    return c.html(
      <LeaderPage
        campaign={campaign.settings}
        campaignId={earlier ? campaign.id : undefined}
        view={view}
        date={date}
        group={group}
        latest={latest}
        isAdmin={c.get('principal').role === 'admin'}
        recomputed={c.req.query('recomputed') === '1'}
      />,
    );
  });

  app.get('/leader/circular', readers, async (c) => {
    const { campaign } = await campaignFromQuery(deps.db, c.req.query('campaign'));
    const date = parseDate(c.req.query('date')) ?? (await latestSnapshotDay(deps.db, campaign.id));
    const view = date ? await readRanking(deps.db, date, undefined, campaign.id) : null;
    if (!view) throw new AppError(404, 'NO_SNAPSHOT', `${date ?? '该日'}还没有排名，无法生成通报。排名每天北京时间 0:05 自动生成前一日的数据。`);
    return c.html(<CircularPage view={view} campaign={campaign.settings} />);
  });

  app.post('/admin/rankings/recompute', requireRole(deps, ['admin']), async (c) => {
    const form = await c.req.parseBody();
    const raw = typeof form.date === 'string' ? form.date : '';
    const date = parseDate(raw);
    if (!date) throw new AppError(400, 'BAD_DATE', '请选择要重新计算的日期');
    const lastEnded = dayJustEnded(deps.now());
    if (date > lastEnded) throw new AppError(400, 'DAY_NOT_OVER', `${date} 还没有结束，只能计算 ${lastEnded} 及以前的日期`);
    // Only the current campaign's days: 0001-01-01 would write a snapshot no page can reach and cost a full recompute.
    const { startDate, endDate } = (await currentCampaign(deps.db)).settings;
    const last = endDate < lastEnded ? endDate : lastEnded;
    if (date < startDate || date > last) {
      const message = `只能重新计算本期活动 ${startDate} 至 ${last} 之间的排名`;
      throw validationFailed([{ field: 'date', message }], message);
    }
    await computeSnapshot(deps, date);
    deps.log.info('rankings: recomputed by the office', { day: date, codeId: c.get('principal').codeId });
    return c.redirect(`/leader?date=${date}&recomputed=1`, 303);
  });

  return app;
}
