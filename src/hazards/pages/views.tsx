// Page pieces shared by the office's and units' hazard pages. The action forms are generated from the
// state machine's table: each allowed action gets a form with the fields its definition asks for.
import type { Child } from 'hono/jsx';
import { Layout } from '../../web/layout.tsx';
import { DataTable } from '../../web/components.tsx';
import { formatShanghai } from '../../lib/time.ts';
import { pageCampaign } from '../../campaign/context.ts';
import { categoryLabel } from '../categories.ts';
import { DEADLINE_KIND_LABELS, DEADLINE_KINDS } from '../deadlines.ts';
import type { EventView, HazardView } from '../queries.ts';
import { ACTIONS, type ActionDefinition, type ActionField, type HazardAction } from '../states.ts';

export interface UnitOption {
  code: string;
  name: string;
  /** town, subdistrict or department: the lead-unit list groups them. */
  kind?: string;
}

/**
 * The lead-unit choices in two groups, towns and sub-districts first, then departments; the town the tip came from
 * (`first`) heads its group, marked, since it usually leads.
 */
function LeadUnitOptions(props: { units: UnitOption[]; selected?: string | null; first?: string | null }) {
  const place = props.units.filter((u) => u.kind !== 'department');
  const departments = props.units.filter((u) => u.kind === 'department');
  const own = place.find((u) => u.code === props.first);
  const towns = own ? [own, ...place.filter((u) => u !== own)] : place;
  const option = (u: UnitOption) => (
    <option value={u.code} selected={props.selected === u.code}>
      {u === own ? `${u.name}（反映所在地）` : u.name}
    </option>
  );
  return (
    <>
      {towns.length ? <optgroup label="镇、街道">{towns.map(option)}</optgroup> : null}
      {departments.length ? <optgroup label="区级部门">{departments.map(option)}</optgroup> : null}
    </>
  );
}

/** The first photo of a hazard (the resident's, when the tip had one) at the top of its page, not a link in the history. */
export function LeadPhoto(props: { events: EventView[]; hazardId: number }) {
  const e = props.events.find((x) => typeof x.data?.photo === 'string');
  if (!e) return null;
  const src = `/hazards/${props.hazardId}/photos/${e.data!.photo as string}`;
  return (
    <figure class="card lead-photo">
      <a href={src}>
        <img src={src} alt={`${e.actionLabel}时的现场照片`} loading="lazy" />
      </a>
      <figcaption class="muted">{`${e.actionLabel}时的现场照片（点按查看原图）`}</figcaption>
    </figure>
  );
}

export function HazardLayout(props: { title: string; heading: string; home: string; children?: Child; who?: Child }) {
  return (
    <Layout title={props.title} heading={props.heading} headingHref={props.home} wide staff>
      {props.who ? <p class="who">{props.who}</p> : null}
      {props.children}
    </Layout>
  );
}

export function StatePill(props: { h: Pick<HazardView, 'open' | 'stateLabel'> }) {
  return <span class={`pill ${props.h.open ? 'open' : 'closed'}`}>{props.h.stateLabel}</span>;
}

/** Deadline with what it means today: days overdue, due today, or days left. */
export function DeadlineCell(props: { h: HazardView; today: string }) {
  const h = props.h;
  if (!h.deadline) return <span class="muted">—</span>;
  const kind = h.deadlineKind ? `（${DEADLINE_KIND_LABELS[h.deadlineKind]}）` : '';
  if (!h.open) return <span>{h.deadline}</span>;
  if (h.daysOverdue > 0) {
    return (
      <span class="late">
        {h.deadline} 已逾期 {h.daysOverdue} 天
      </span>
    );
  }
  const left = Math.round((Date.parse(`${h.deadline}T00:00:00Z`) - Date.parse(`${props.today}T00:00:00Z`)) / 86_400_000);
  return (
    <span class={left <= 1 ? 'soon' : ''}>
      {h.deadline}
      {kind} {left === 0 ? '今天到期' : `剩 ${left} 天`}
    </span>
  );
}

export function HazardTable(props: { items: HazardView[]; today: string; hrefBase: string; empty: string; showLead?: boolean }) {
  if (!props.items.length) return <p class="muted">{props.empty}</p>;
  return (
    <DataTable head={['编号', '类别 / 地点', '状态', props.showLead !== false && '牵头单位', '整改期限', { label: '反映次数', class: 'num' }]}>
      {props.items.map((h) => (
        <tr>
          <td>
            <a href={`${props.hrefBase}/${h.id}`}>{h.number}</a>
            {h.source === 'ledger' ? <div class="muted">台账</div> : <div class="muted">群众反映</div>}
          </td>
          <td>
            {categoryLabel(h.category)}
            <div>{h.place}</div>
          </td>
          <td>
            <StatePill h={h} />
          </td>
          {props.showLead === false ? null : <td>{h.leadUnitName ?? <span class="muted">未交办</span>}</td>}
          <td>
            <DeadlineCell h={h} today={props.today} />
          </td>
          <td class="num">{h.reportCount > 1 ? <strong>{h.reportCount}</strong> : h.reportCount}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function HazardSummary(props: { h: HazardView; today: string; names: Map<string, string> }) {
  const h = props.h;
  return (
    <div class="card">
      <dl class="kv">
        <dt>状态</dt>
        <dd>
          <StatePill h={h} />
        </dd>
        <dt>类别</dt>
        <dd>{categoryLabel(h.category)}</dd>
        <dt>地点</dt>
        <dd>{h.place}</dd>
        <dt>情况</dt>
        <dd>{h.description || <span class="muted">—</span>}</dd>
        <dt>来源</dt>
        <dd>
          {h.source === 'tip' ? '群众反映' : '隐患台账'}
          {h.reportedUnit ? `（${props.names.get(h.reportedUnit) ?? h.reportedUnit}）` : ''}
        </dd>
        <dt>牵头单位</dt>
        <dd>{h.leadUnitName ?? <span class="muted">未交办</span>}</dd>
        <dt>配合单位</dt>
        <dd>{h.coUnits.length ? h.coUnits.map((c) => props.names.get(c) ?? c).join('、') : <span class="muted">—</span>}</dd>
        <dt>整改期限</dt>
        <dd>
          <DeadlineCell h={h} today={props.today} />
        </dd>
        <dt>反映次数</dt>
        <dd>{h.reportCount}</dd>
        <dt>登记时间</dt>
        <dd>{formatShanghai(Date.parse(h.createdAt))}</dd>
        {h.closedAt ? (
          <>
            <dt>办结时间</dt>
            <dd>
              {formatShanghai(Date.parse(h.closedAt))}
              {h.closedOnTime === false ? <span class="late"> 逾期办结</span> : null}
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

const ROLE_LABELS: Record<string, string> = { admin: '区综治办', unit: '', tipster: '反映人', system: '系统', leader: '领导' };

/** Every step with who (the unit, never a person) and the note, for staff. */
export function HistoryTable(props: { events: EventView[]; hazardId: number }) {
  return (
    <DataTable head={['时间', '操作', '状态', '单位', '说明']}>
      {props.events.map((e) => (
        <tr>
          <td>{formatShanghai(Date.parse(e.at))}</td>
          <td>{e.actionLabel}</td>
          <td>{e.stateLabel}</td>
          <td>{e.actorUnitName && e.actorRole !== 'admin' ? e.actorUnitName : (ROLE_LABELS[e.actorRole] ?? e.actorRole)}</td>
          <td>
            {e.note ?? ''}
            {typeof e.data?.photo === 'string' ? (
              <div>
                <a href={`/hazards/${props.hazardId}/photos/${e.data.photo}`}>查看照片</a>
              </div>
            ) : null}
            {typeof e.data?.deadline === 'string' ? <div class="muted">期限：{e.data.deadline}</div> : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function FieldErrors(props: { errors?: { field: string; message: string }[]; message?: string }) {
  if (!props.message) return null;
  return (
    <div class="alert" role="alert">
      <p>{props.message}</p>
    </div>
  );
}

const FIELD_LABELS: Record<ActionField, string> = {
  leadUnit: '牵头单位',
  coUnits: '配合单位',
  deadline: '整改期限',
  note: '情况说明',
  reason: '原因',
  photo: '现场照片',
  duplicateOf: '合并到（隐患编号）',
};

/** One form per allowed action, its inputs taken from the action's definition. */
export function ActionForms(props: {
  actions: HazardAction[];
  postTo: string;
  units: UnitOption[];
  current: HazardView;
  today: string;
  values?: Record<string, string | string[]>;
  failed?: string;
  /** The town or sub-district the tip came from: first in the lead-unit list. */
  ownTown?: string | null;
  /** More inputs inside one action's form, before its button (a fix report's optional location). */
  extra?: Partial<Record<HazardAction, Child>>;
}) {
  if (!props.actions.length) return <p class="muted">当前没有需要您处理的操作。</p>;
  return (
    <div class="actions">
      {props.actions.map((action) => {
        const def: ActionDefinition = ACTIONS[action];
        const fields = [...def.requires, ...def.optional];
        const req = new Set<ActionField>(def.requires);
        const values = props.failed === action ? (props.values ?? {}) : {};
        const val = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
        const id = (f: string) => `${action}-${f}`;
        return (
          <form method="post" action={props.postTo} id={`act-${action}`} enctype={fields.includes('photo') ? 'multipart/form-data' : undefined}>
            <input type="hidden" name="action" value={action} />
            <h3>{def.label}</h3>
            {fields.map((f) => {
              const mark = req.has(f) ? <span class="req"> *</span> : null;
              switch (f) {
                case 'leadUnit':
                  return (
                    <>
                      <label for={id(f)}>
                        {FIELD_LABELS[f]}
                        {mark}
                      </label>
                      <select id={id(f)} name="leadUnit" required={req.has(f)}>
                        <option value="">请选择</option>
                        <LeadUnitOptions units={props.units} selected={val('leadUnit') || props.current.leadUnit} first={props.ownTown} />
                      </select>
                    </>
                  );
                case 'coUnits': {
                  const chosen = new Set(Array.isArray(values.coUnits) ? values.coUnits : val('coUnits') ? [val('coUnits')] : props.current.coUnits);
                  return (
                    <details class="co" open={chosen.size > 0}>
                      <summary>{FIELD_LABELS[f]}（涉及多个部门时选择）</summary>
                      {props.units.map((u) => (
                        <label class="opt">
                          <input type="checkbox" name="coUnits" value={u.code} checked={chosen.has(u.code)} /> {u.name}
                        </label>
                      ))}
                    </details>
                  );
                }
                case 'deadline': {
                  // Either a date or a number of days, each labelled for what it is; a date wins when both are filled.
                  // The days start empty: left empty with no date, the campaign's default applies (said in the hint).
                  const d = pageCampaign().hazardDeadline;
                  return (
                    <fieldset>
                      <legend>
                        {FIELD_LABELS[f]}
                        {mark}
                      </legend>
                      <p class="help">
                        填一个到期日期，或填从今天算起的天数（二选一，都填时按日期）。{action === 'assign' ? `都不填则为 ${d.days} 个${DEADLINE_KIND_LABELS[d.kind]}。` : ''}
                      </p>
                      <label for={id('date')}>到期日期</label>
                      <input type="date" id={id('date')} name="deadline" min={props.today} value={val('deadline') || (action === 'reassign' ? (props.current.deadline ?? '') : '')} />
                      <div class="row">
                        <label for={id('days')}>或：从今天起</label>
                        <input type="number" id={id('days')} name="days" min={1} max={365} class="num" placeholder={String(d.days)} value={val('days')} />
                        <label for={id('kind')} class="hp">
                          天数按
                        </label>
                        <select id={id('kind')} name="deadlineKind" style="width:auto">
                          {DEADLINE_KINDS.map((k) => (
                            <option value={k} selected={(val('deadlineKind') || d.kind) === k}>
                              {DEADLINE_KIND_LABELS[k]}
                            </option>
                          ))}
                        </select>
                      </div>
                    </fieldset>
                  );
                }
                case 'note':
                case 'reason':
                  return (
                    <>
                      <label for={id(f)}>
                        {FIELD_LABELS[f]}
                        {mark}
                      </label>
                      <textarea id={id(f)} name={f} maxlength={1000} required={req.has(f)}>
                        {val(f)}
                      </textarea>
                    </>
                  );
                case 'photo':
                  return (
                    <>
                      <label for={id(f)}>现场照片（可选）</label>
                      <p class="help">JPEG、PNG 或 WebP，不超过 5 MB；照片中的位置等信息会被去除。</p>
                      <input type="file" id={id(f)} name="photoFile" accept="image/jpeg,image/png,image/webp" />
                    </>
                  );
                case 'duplicateOf':
                  return (
                    <>
                      <label for={id(f)}>
                        {FIELD_LABELS[f]}
                        {mark}
                      </label>
                      <input type="text" id={id(f)} name="duplicateOf" placeholder="YH-20141104-0001" value={val('duplicateOf')} required={req.has(f)} />
                    </>
                  );
                default:
                  return null;
              }
            })}
            {props.extra?.[action]}
            <p>
              <button class={def.negative ? 'btn secondary' : 'btn'} type="submit">
                {def.label}
              </button>
            </p>
          </form>
        );
      })}
    </div>
  );
}

/** Turns a posted form into the service's input, keeping repeated checkboxes as lists. */
export function formInput(form: Record<string, string | File | (string | File)[]>): { action: string; input: Record<string, unknown>; values: Record<string, string | string[]> } {
  const values: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(form)) {
    if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
    else if (typeof v === 'string') values[k] = v;
  }
  // `photo` is dropped: the key comes only from the uploaded file (takeHazardPhoto), never the client.
  const { action, photo: _photo, ...input } = values;
  // A date wins over days. With neither, the campaign's default number of days applies (the days box starts empty).
  if (typeof input.deadline === 'string' && input.deadline.trim()) delete input.days;
  else if (action === 'assign' && !(typeof input.days === 'string' && input.days.trim())) input.days = String(pageCampaign().hazardDeadline.days);
  return { action: typeof action === 'string' ? action : '', input, values };
}
