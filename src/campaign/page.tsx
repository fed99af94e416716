// The office's campaign page: every setting in one form (errors beside their fields), the next campaign,
// and the list of earlier ones.
import type { FieldError } from '../lib/errors.ts';
import { Layout } from '../web/layout.tsx';
import { METRIC_KEYS, QUOTA_ROLES, type CampaignSettings } from './settings.ts';
import type { CampaignSummary } from './store.ts';
import { SignOutButton } from '../auth/routes.tsx';

const ROLE_LABELS: Record<string, string> = { district_leader: '区级领导', unit_leader: '部门、镇街领导', cadre: '每名干部' };
const METRIC_LABELS: Record<string, string> = {
  V: 'V 入户走访', H: 'H 隐患整改', T: 'T 按期整改', S: 'S 满意率', A: 'A 知晓率', P: 'P 参与率', G: 'G 工作任务',
  C: 'C 巡逻覆盖（有巡逻队的村、社区占比）', U: 'U 宣传覆盖（有宣传登记的村、社区占比）',
};

export type FormValues = Record<string, string>;

/** The settings as the flat field names the form uses (`deadlines[0].date`, `rankingWeights.V`, …). */
export function settingsToValues(s: CampaignSettings): FormValues {
  const v: FormValues = {
    name: s.name, district: s.district, brand: s.brand, office: s.office, startDate: s.startDate, endDate: s.endDate,
    rankingThreshold: String(s.rankingThreshold), retentionDays: String(s.retentionDays ?? 180), 'hazardDeadline.days': String(s.hazardDeadline.days),
    'hazardDeadline.kind': s.hazardDeadline.kind, 'hazardDeadline.remindDaysBefore': String(s.hazardDeadline.remindDaysBefore),
    slogans: s.slogans.join('\n'),
  };
  for (const r of QUOTA_ROLES) v[`visitQuotas.${r}`] = String(s.visitQuotas[r]);
  for (const k of METRIC_KEYS) v[`rankingWeights.${k}`] = String(s.rankingWeights[k] ?? 0);
  s.deadlines.forEach((d, i) => Object.assign(v, { [`deadlines[${i}].id`]: d.id, [`deadlines[${i}].rule`]: d.rule, [`deadlines[${i}].label`]: d.label, [`deadlines[${i}].date`]: d.date }));
  s.patrolSizes.forEach((b, i) =>
    Object.assign(v, { [`patrolSizes[${i}].populationBelow`]: b.populationBelow === null ? '' : String(b.populationBelow), [`patrolSizes[${i}].min`]: String(b.min), [`patrolSizes[${i}].max`]: String(b.max) }),
  );
  s.tasks.forEach((t, i) =>
    Object.assign(v, { [`tasks[${i}].id`]: t.id, [`tasks[${i}].rule`]: t.rule, [`tasks[${i}].owner`]: t.owner, [`tasks[${i}].title`]: t.title, [`tasks[${i}].unitLabel`]: t.unitLabel, [`tasks[${i}].target`]: String(t.target) }),
  );
  return v;
}

const rowCount = (v: FormValues, list: string) => {
  let n = 0;
  for (const k of Object.keys(v)) {
    const m = new RegExp(`^${list}\\[(\\d+)\\]\\.`).exec(k);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return n;
};

export interface CampaignPageProps {
  values: FormValues;
  version: number;
  errors?: FieldError[];
  notice?: string;
  campaigns: CampaignSummary[];
  owners: { code: string; name: string }[];
  next?: { values: FormValues; errors: FieldError[] };
}

export function CampaignPage(props: CampaignPageProps) {
  const v = props.values;
  const errs = props.errors ?? [];
  const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9]/g, '-')}`;
  const errOf = (name: string) => errs.filter((e) => e.field === name).map((e) => e.message).join('；');
  const Field = (p: { name: string; label: string; type?: string; cls?: string; values?: FormValues; errors?: FieldError[]; required?: boolean }) => {
    const e = (p.errors ?? errs).filter((x) => x.field === p.name).map((x) => x.message).join('；');
    const id = idOf(p.name);
    return (
      <div>
        <label for={id}>{p.label}</label>
        <input
          id={id} name={p.name} type={p.type ?? 'text'} class={p.cls} value={(p.values ?? v)[p.name] ?? ''}
          required={p.required} inputmode={p.cls === 'num' ? 'numeric' : undefined}
          aria-invalid={e ? 'true' : undefined} aria-describedby={e ? `${id}-err` : undefined}
        />
        {e ? <p class="err" id={`${id}-err`}>{e}</p> : null}
      </div>
    );
  };
  const deadlines = rowCount(v, 'deadlines') + 2;
  const bands = Math.max(rowCount(v, 'patrolSizes'), 1);
  const tasks = rowCount(v, 'tasks') + 3;
  const listErrors = ['', 'deadlines', 'patrolSizes', 'tasks', 'rankingWeights', 'visitQuotas', 'hazardDeadline']
    .map(errOf)
    .filter(Boolean);
  return (
    <Layout title="活动设置" heading="活动设置" headingHref="/admin/campaign" wide staff>
      <p class="who">
        <a href="/admin">工作台</a> · <a href="/leader">排名</a> · <SignOutButton />
      </p>
      <h1>活动设置</h1>
      {props.notice ? <div class="ok" role="status">{props.notice}</div> : null}
      {errs.length ? (
        <div class="alert" role="alert">
          <p>有 {errs.length} 处需要修改，设置尚未保存：</p>
          {listErrors.length ? <ul>{listErrors.map((m) => <li>{m}</li>)}</ul> : null}
        </div>
      ) : null}
      <form method="post" action="/admin/campaign" class="settings">
        <input type="hidden" name="version" value={String(props.version)} />
        <fieldset>
          <legend>基本信息</legend>
          <div class="grid">
            <Field name="name" label="活动名称" required />
            <Field name="district" label="地区名称" required />
            <Field name="brand" label="简称（页面标题）" required />
            <Field name="office" label="牵头单位" required />
            <Field name="startDate" label="开始日期" type="date" required />
            <Field name="endDate" label="结束日期" type="date" required />
          </div>
        </fieldset>
        <fieldset>
          <legend>时间节点（上报截止日等，须在活动期内；名称和日期都留空即删除）</legend>
          <div class="rows">
            {Array.from({ length: deadlines }, (_, i) => (
              <div class="row">
                <input type="hidden" name={`deadlines[${i}].id`} value={v[`deadlines[${i}].id`] ?? ''} />
                <input type="hidden" name={`deadlines[${i}].rule`} value={v[`deadlines[${i}].rule`] ?? ''} />
                <Field name={`deadlines[${i}].label`} label={`节点 ${i + 1} 名称`} />
                <Field name={`deadlines[${i}].date`} label="日期" type="date" />
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>入户走访任务（户）</legend>
          <div class="grid">
            {QUOTA_ROLES.map((r) => <Field name={`visitQuotas.${r}`} label={ROLE_LABELS[r]!} cls="num" required />)}
          </div>
        </fieldset>
        <fieldset>
          <legend>红袖标巡逻队人数（按村、社区人口；最后一档人口上限留空表示“以上”）</legend>
          <div class="rows">
            {Array.from({ length: bands }, (_, i) => (
              <div class="grid">
                <Field name={`patrolSizes[${i}].populationBelow`} label={`第 ${i + 1} 档：人口少于`} cls="num" />
                <Field name={`patrolSizes[${i}].min`} label="最少人数" cls="num" />
                <Field name={`patrolSizes[${i}].max`} label="最多人数" cls="num" />
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>每日排名权重与分数线（修改后从下一次计算起生效，已生成的排名不变）</legend>
          <div class="grid">
            {METRIC_KEYS.map((k) => <Field name={`rankingWeights.${k}`} label={METRIC_LABELS[k]!} cls="num" required />)}
            <Field name="rankingThreshold" label="达标分数线" cls="num" required />
          </div>
        </fieldset>
        <fieldset>
          <legend>个人信息保留期（活动结束后多少天删除群众和举报人的姓名、电话、住址及照片；其余数据保留）</legend>
          <div class="grid">
            <Field name="retentionDays" label="保留天数" cls="num" required />
          </div>
        </fieldset>
        <fieldset>
          <legend>隐患整改期限默认值</legend>
          <div class="grid">
            <Field name="hazardDeadline.days" label="整改天数" cls="num" required />
            <div>
              <label for={idOf('hazardDeadline.kind')}>计算方式</label>
              <select id={idOf('hazardDeadline.kind')} name="hazardDeadline.kind">
                <option value="working" selected={v['hazardDeadline.kind'] !== 'calendar'}>工作日</option>
                <option value="calendar" selected={v['hazardDeadline.kind'] === 'calendar'}>自然日</option>
              </select>
            </div>
            <Field name="hazardDeadline.remindDaysBefore" label="到期前几天提醒" cls="num" required />
          </div>
        </fieldset>
        <fieldset>
          <legend>宣传标语</legend>
          <label for="f-slogans">每行一条（用于海报和宣传登记）</label>
          <textarea id="f-slogans" name="slogans" rows={8}>{v.slogans ?? ''}</textarea>
          {errs.filter((e) => e.field.startsWith('slogans')).map((e) => <p class="err">{e.message}</p>)}
        </fieldset>
        <fieldset>
          <legend>工作任务与目标数（G 指标；任务名称留空即删除）</legend>
          <div class="rows">
            {Array.from({ length: tasks }, (_, i) => {
              const owner = v[`tasks[${i}].owner`] ?? '';
              const oid = idOf(`tasks[${i}].owner`);
              const oe = errOf(`tasks[${i}].owner`);
              return (
                <div class="row task">
                  <input type="hidden" name={`tasks[${i}].id`} value={v[`tasks[${i}].id`] ?? ''} />
                  <input type="hidden" name={`tasks[${i}].rule`} value={v[`tasks[${i}].rule`] ?? ''} />
                  <div>
                    <label for={oid}>负责单位</label>
                    <select id={oid} name={`tasks[${i}].owner`} aria-invalid={oe ? 'true' : undefined}>
                      <option value="towns" selected={owner === 'towns' || owner === ''}>各镇街</option>
                      <option value="stations" selected={owner === 'stations'}>各派出所</option>
                      {props.owners.map((o) => <option value={o.code} selected={owner === o.code}>{o.name}</option>)}
                    </select>
                    {oe ? <p class="err">{oe}</p> : null}
                  </div>
                  <Field name={`tasks[${i}].title`} label={`任务 ${i + 1}`} />
                  <Field name={`tasks[${i}].unitLabel`} label="单位" />
                  <Field name={`tasks[${i}].target`} label="目标数" cls="num" />
                </div>
              );
            })}
          </div>
        </fieldset>
        <p>
          <button class="btn" type="submit">保存设置</button> <span class="muted">当前第 {props.version} 版</span>
        </p>
      </form>
      <NextCampaign {...props} />
    </Layout>
  );
}

function NextCampaign(props: CampaignPageProps) {
  const v = props.next?.values ?? {};
  const errs = props.next?.errors ?? [];
  const field = (name: string, label: string, type = 'text') => {
    const e = errs.filter((x) => x.field === name).map((x) => x.message).join('；');
    return (
      <div>
        <label for={`next-${name}`}>{label}</label>
        <input id={`next-${name}`} name={name} type={type} value={v[name] ?? ''} required aria-invalid={e ? 'true' : undefined} />
        {e ? <p class="err">{e}</p> : null}
      </div>
    );
  };
  return (
    <>
      <h2 id="next">开始新一期活动</h2>
      <p class="muted">
        复制当前的全部设置（时间节点随开始日期顺延），从新的开始日期起重新统计排名、任务和进度。本期的排名、通报和导出仍可查看，群众的回执仍然有效。
      </p>
      <form method="post" action="/admin/campaigns" class="card">
        <div class="grid">
          {field('name', '新活动名称')}
          {field('startDate', '开始日期', 'date')}
          {field('endDate', '结束日期', 'date')}
        </div>
        <p><button class="btn secondary" type="submit">开始新一期</button></p>
      </form>
      <h2>历次活动</h2>
      <div class="table-wrap">
        <table>
          <thead><tr><th>活动</th><th>活动期</th><th>版本</th><th>最后修改</th><th>排名</th></tr></thead>
          <tbody>
            {props.campaigns.map((c) => (
              <tr>
                <td>{c.name}{c.current ? '（当前）' : ''}</td>
                <td>{c.startDate} 至 {c.endDate}</td>
                <td>{c.version}</td>
                <td>{c.updatedAt.slice(0, 16).replace('T', ' ')}</td>
                <td><a href={`/leader?campaign=${c.id}`}>查看</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.campaigns.length === 0 ? <p class="muted">活动设置还未保存过：当前使用的是系统自带的模板，保存一次即成为第一期活动。</p> : null}
    </>
  );
}
