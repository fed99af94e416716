// The leader page (table, SVG bar chart, change since the day before) and the printable circular (通报).
import type { Child } from 'hono/jsx';
import { Layout } from '../web/layout.tsx';
import { SubmitButton } from '../web/components.tsx';
import { METRIC_KEYS, METRIC_LABELS, OPTIONAL_METRIC_KEYS, type MetricFigure } from './score.ts';
import type { RankingGroup, RankingRow, RankingView } from './snapshot.ts';
import type { MetricKey, MetricWeights } from '../forms/types.ts';
import { pageCampaign } from '../campaign/context.ts';
import type { CampaignSettings } from '../campaign/settings.ts';
import { formatShanghai } from '../lib/time.ts';
import { SignOutButton } from '../auth/routes.tsx';

export const GROUP_LABELS: Record<RankingGroup, string> = { towns: '镇、街道', departments: '区级部门' };

/** The metrics a day shows: the seven always, patrol and publicity coverage only where they were weighted. */
export const shownMetrics = (weights: MetricWeights | null | undefined): MetricKey[] =>
  METRIC_KEYS.filter((k) => !(OPTIONAL_METRIC_KEYS as readonly MetricKey[]).includes(k) || (weights?.[k] ?? 0) > 0);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** One sentence per metric saying how its figure was reached, for the title and the tap-to-open details. */
export function explainMetric(key: MetricKey, m: MetricFigure | null): string {
  if (!m) return `${METRIC_LABELS[key]}：暂无数据，不计入得分`;
  const v = pct(m.value);
  switch (key) {
    case 'V':
      return `入户走访 ${v}：${m.den} 名干部的完成率（每人封顶100%）之和 ${n(m.num)} ÷ ${m.den}；累计入户 ${m.visits ?? 0} 户，任务 ${m.quota ?? 0} 户`;
    case 'H':
      return `隐患整改 ${v}：已销号 ${n(m.num)} ÷ 牵头隐患 ${n(m.den)}`;
    case 'T':
      return `按期销号 ${v}：按期销号 ${n(m.num)} ÷（已销号 ${n(m.den - (m.overdue ?? 0))} + 逾期未销号 ${m.overdue ?? 0}）`;
    case 'S':
      return `满意度 ${v}：满意和基本满意 ${n(m.num)} ÷ 答卷 ${n(m.den)}`;
    case 'A':
      return `知晓率 ${v}：知晓 ${n(m.num)} ÷ 答卷 ${n(m.den)}`;
    case 'P':
      return `参与率 ${v}：参与 ${n(m.num)} ÷ 答卷 ${n(m.den)}`;
    case 'G':
      return `任务完成 ${v}：${m.den} 项任务的完成率（每项封顶100%）之和 ${n(m.num)} ÷ ${m.den}`;
    case 'C':
      return `巡逻覆盖 ${v}：已登记红袖标巡逻队的村（社区）${n(m.num)} ÷ 村（社区）${n(m.den)}`;
    case 'U':
      return `宣传覆盖 ${v}：已登记宣传的村（社区）${n(m.num)} ÷ 村（社区）${n(m.den)}`;
  }
}

function Change(props: { row: RankingRow }) {
  const c = props.row.change;
  if (c === null) return <span class="muted" title="前一日没有排名">新</span>;
  if (c > 0) return <span class="up" title={`比前一日上升 ${c} 位（原第 ${props.row.previousRank} 名）`}>↑{c}</span>;
  if (c < 0) return <span class="down" title={`比前一日下降 ${-c} 位（原第 ${props.row.previousRank} 名）`}>↓{-c}</span>;
  return <span class="muted" title="名次与前一日相同">—</span>;
}

function MetricCell(props: { k: MetricKey; m: MetricFigure | null }) {
  const text = explainMetric(props.k, props.m);
  if (!props.m) return <td class="metric muted" title={text}>—</td>;
  return (
    <td class="metric" title={text}>
      <details>
        <summary>{pct(props.m.value)}</summary>
        <span class="why">{text}</span>
      </details>
    </td>
  );
}

/**
 * Horizontal bars, 0–100, as an HTML list that reflows on a phone: each unit's name on its own line, its bar with the
 * threshold mark, and its score always in figures (not only on hover). Units under the threshold are red.
 */
export function ScoreChart(props: { rows: RankingRow[]; threshold: number; title: string }) {
  const pctOf = (score: number) => Math.max(0, Math.min(score, 100));
  return (
    <figure class="chart">
      <figcaption>
        {props.title}
        <span class="muted">（虚线为 {props.threshold} 分线）</span>
      </figcaption>
      <ol class="hbars">
        {props.rows.map((r) => {
          const below = r.score < props.threshold;
          return (
            <li class={below ? 'below' : undefined} data-unit={r.unitCode}>
              <span class="name">{`${r.rank}. ${r.unitName}`}</span>
              <span class="track" aria-hidden="true">
                <span class="fill" style={`width:${pctOf(r.score)}%`} />
                <span class="line" style={`left:${pctOf(props.threshold)}%`} />
              </span>
              <b class="score">
                {r.score.toFixed(2)}
                <span class="hp"> 分{below ? `，低于${props.threshold}分` : ''}</span>
              </b>
            </li>
          );
        })}
      </ol>
    </figure>
  );
}

function RankingTable(props: { rows: RankingRow[]; threshold: number; weights: MetricWeights }) {
  const keys = shownMetrics(props.weights);
  return (
    <div class="scroll">
      <table class="ranking">
        <thead>
          <tr>
            <th>名次</th>
            <th>单位</th>
            <th>得分</th>
            <th>较前日</th>
            {keys.map((k) => (
              <th title={`权重 ${props.weights[k] ?? 0}`}>{METRIC_LABELS[k]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr class={r.score < props.threshold ? 'below' : undefined} data-unit={r.unitCode}>
              <td>{r.rank}</td>
              <td>
                {r.unitName}
                {r.score < props.threshold ? <span class="flag">低于{props.threshold}分</span> : null}
              </td>
              <td>
                <strong>{r.score.toFixed(2)}</strong>
              </td>
              <td>
                <Change row={r} />
              </td>
              {keys.map((k) => (
                <MetricCell k={k} m={r.metrics[k] ?? null} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface LeaderPageProps {
  view: RankingView | null;
  /** The day asked for (or the latest snapshot day). */
  date: string | null;
  group: RankingGroup;
  isAdmin: boolean;
  /** Set after the office recomputed a day. */
  recomputed?: boolean;
  latest: string | null;
  /** An earlier campaign's settings and id when the leader reads its rankings (default: the current campaign). */
  campaign?: CampaignSettings;
  campaignId?: number;
}

export function LeaderPage(props: LeaderPageProps) {
  const campaign = props.campaign ?? pageCampaign();
  const threshold = campaign.rankingThreshold;
  // A stored day is explained with the weights it was scored with, not today's.
  const weights = props.view?.weights ?? campaign.rankingWeights;
  const rows = props.view?.rows ?? [];
  const of = props.campaignId !== undefined ? `campaign=${props.campaignId}&` : '';
  const q = (group: RankingGroup) => `/leader?${of}${props.date ? `date=${props.date}&` : ''}group=${group}`;
  return (
    <Layout title="每日排名" heading="领导查看" wide staff>
      <p class="muted noprint">
        {props.isAdmin ? '区综治办' : '领导（只读）'} · <a href="/admin">工作台</a> · <SignOutButton />
      </p>
      <h1>每日排名{props.date ? `（${props.date}）` : ''}</h1>
      {props.recomputed ? <p class="ok">已重新计算 {props.date} 的排名。</p> : null}
      <form class="inline noprint" method="get" action="/leader">
        <label>
          日期 <input type="date" name="date" value={props.date ?? ''} min={campaign.startDate} max={campaign.endDate} />
        </label>
        <input type="hidden" name="group" value={props.group} />
        {props.campaignId !== undefined ? <input type="hidden" name="campaign" value={String(props.campaignId)} /> : null}
        <SubmitButton secondary>查看</SubmitButton>
        {props.view ? (
          <a class="btn secondary" href={`/leader/circular?${of}date=${props.view.date}`}>打印通报</a>
        ) : null}
        {/* Where Google cannot be reached, the sheet's six tabs as one Excel file. */}
        <a class="btn secondary" href="/leader/workbook.xlsx">下载汇总表（Excel）</a>
      </form>
      <p class="tabs">
        {(['towns', 'departments'] as const).map((g) => (
          <a href={q(g)} class={g === props.group ? 'on' : undefined}>{GROUP_LABELS[g]}</a>
        ))}
      </p>
      {props.view && rows.length > 0 ? (
        <>
          <p class="muted">
            截至 {props.view.date} 24:00（北京时间）累计数据，计算于 {formatShanghai(props.view.computedAt)}。得分低于 {threshold} 分的单位以红色标出；点按或悬停百分比可查看计算依据。
          </p>
          <div class="card">
            <ScoreChart rows={rows} threshold={threshold} title={`${GROUP_LABELS[props.group]}得分（${props.view.date}）`} />
          </div>
          <RankingTable rows={rows} threshold={threshold} weights={weights} />
          <p class="muted">
            得分 = 100 × Σ(权重 × 指标) ÷ Σ 有数据指标的权重。权重：
            {shownMetrics(weights).map((k) => `${METRIC_LABELS[k]} ${weights[k] ?? 0}`).join('，')}。
          </p>
        </>
      ) : (
        <div class="card empty">
          <h2>{props.date ? `${props.date} 还没有排名` : '还没有任何排名'}</h2>
          <p>
            排名每天北京时间 00:05 自动生成前一日的数据（活动期 {campaign.startDate} 至 {campaign.endDate}）。
            {props.latest && props.latest !== props.date ? (
              <>
                {' '}最近一次排名是 <a href={`/leader?date=${props.latest}&group=${props.group}`}>{props.latest}</a>。
              </>
            ) : null}
          </p>
          <p>
            {props.date ? `${props.date} 的排名将于次日北京时间 0:05 自动生成。` : '第一份排名将于活动开始后的次日北京时间 0:05 自动生成。'}
            {props.isAdmin ? '区综治办也可以用下方的“重新计算”立即生成已经结束的日期。' : ''}
          </p>
        </div>
      )}
      {props.isAdmin && props.campaignId === undefined ? <RecomputeForm date={props.date} min={campaign.startDate} /> : null}
    </Layout>
  );
}

function RecomputeForm(props: { date: string | null; min: string }) {
  return (
    <form class="card inline noprint" method="post" action="/admin/rankings/recompute">
      <label>
        重新计算日期 <input type="date" name="date" value={props.date ?? ''} required min={props.min} />
      </label>
      <SubmitButton>重新计算</SubmitButton>
      <span class="help">按当前数据重算该日排名，并替换原有结果。</span>
    </form>
  );
}

function CircularTable(props: { rows: RankingRow[]; threshold: number; keys: readonly MetricKey[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>名次</th>
          <th>单位</th>
          <th>得分</th>
          {props.keys.map((k) => (
            <th>{METRIC_LABELS[k]}</th>
          ))}
          <th>较前日</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr class={r.score < props.threshold ? 'below' : undefined}>
            <td>{r.rank}</td>
            <td class="name">{r.unitName}</td>
            <td>{r.score.toFixed(2)}</td>
            {props.keys.map((k) => {
              const m = r.metrics[k];
              return <td>{m ? pct(m.value) : '—'}</td>;
            })}
            <td>{r.change === null ? '—' : r.change > 0 ? `↑${r.change}` : r.change < 0 ? `↓${-r.change}` : '持平'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const cnDate = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

export function CircularPage(props: { view: RankingView; campaign?: CampaignSettings }) {
  const campaign = props.campaign ?? pageCampaign();
  const threshold = campaign.rankingThreshold;
  const byGroup = (g: RankingGroup) => props.view.rows.filter((r) => r.group === g);
  const sections: [string, RankingGroup][] = [
    ['一', 'towns'],
    ['二', 'departments'],
  ];
  const behind = props.view.rows.filter((r) => r.score < threshold);
  // "第1名甲镇，第2名乙镇、丙镇（并列）": ties are named together, as ranks are shared.
  const lead = (g: RankingGroup): Child => {
    const places = new Map<number, string[]>();
    for (const r of byGroup(g)) if (r.rank <= 3) places.set(r.rank, [...(places.get(r.rank) ?? []), r.unitName]);
    const parts = [...places].map(([rank, names]) => `第${rank}名${names.join('、')}${names.length > 1 ? '（并列）' : ''}`);
    // Early in the campaign most units tie; a sentence naming half the district says nothing.
    const named = [...places.values()].reduce((n, names) => n + names.length, 0);
    return parts.length && named <= 5 ? `${parts.join('，')}。` : '';
  };
  return (
    <Layout title={`通报 ${props.view.date}`} wide staff>
      <p class="noprint">
        <button class="btn" type="button" data-print>打印</button> <a href={`/leader?date=${props.view.date}`}>返回排名</a>
      </p>
      <article class="circular">
        <h1>{campaign.office}通报</h1>
        <p class="no">（{cnDate(props.view.date)}）</p>
        <hr />
        <h2 style="text-align:center">关于“两集中”活动进展情况的通报</h2>
        <p>各镇、街道，区级各部门：</p>
        <p>
          根据{campaign.name}实施方案，现将截至{cnDate(props.view.date)}24时各单位工作进展综合得分及排名通报如下（入户走访、隐患整改、按期销号、群众满意度、知晓率、参与率、任务完成情况按权重计分，无数据的指标不计入）。
        </p>
        {sections.map(([ord, g]) => {
          const rows = byGroup(g);
          return (
            <section>
              <h2>
                {ord}、{GROUP_LABELS[g]}
              </h2>
              {rows.length ? (
                <>
                  <p>{lead(g)}</p>
                  {/* On a phone the eleven columns are wider than the screen: the table scrolls, not the page. */}
                  <div class="scroll">
                    <CircularTable rows={rows} threshold={threshold} keys={shownMetrics(props.view.weights ?? campaign.rankingWeights)} />
                  </div>
                </>
              ) : (
                <p>本日无数据。</p>
              )}
            </section>
          );
        })}
        <h2>三、工作要求</h2>
        {behind.length ? (
          <p>
            {behind.map((r) => r.unitName).join('、')}综合得分低于{threshold}分，请对照各项指标查找差距，加快入户走访和隐患整改进度，确保按期完成各项任务。
          </p>
        ) : (
          <p>各单位综合得分均达到{threshold}分以上，请继续保持，确保按期完成各项任务。</p>
        )}
        <p class="sign">
          {campaign.office}
          <br />
          {cnDate(props.view.date)}
        </p>
      </article>
    </Layout>
  );
}
