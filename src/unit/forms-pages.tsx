// The unit form entry page: the form (personal fields blank for non-office editors), the day's entries beneath
// with edit and delete, kept apart from the routes that load and save them (forms-routes.tsx).
import type { Child } from 'hono/jsx';
import type { Principal } from '../auth/codes.ts';
import type { FormContext } from '../forms/context.ts';
import { shownAnswer } from '../forms/personal.ts';
import type { FieldDefinition, FormDefinition } from '../forms/types.ts';
import { formatShanghai } from '../lib/time.ts';
import { FormView } from '../web/form-page.tsx';
import type { UnitInfo } from './roster/roster.ts';
import { patrolFlagText, PATROL_FORM_ID } from './derived.ts';
import type { UnitRecord } from './records.ts';
import { PortalLayout, unitQuery } from './layout.tsx';
import { DataTable, SubmitButton } from '../web/components.tsx';

/** Help under a personal field a non-office editor sees empty. */
export const KEEP_HELP = '留空则保持原值';

/**
 * The form as a non-office editor fills it: personal fields start empty (they never see the real values)
 * and are not required, since an empty one keeps what is stored.
 */
function editFormFor(form: FormDefinition): FormDefinition {
  return { ...form, fields: form.fields.map((f) => (f.personal ? { ...f, required: false, help: f.help ? `${f.help}；${KEEP_HELP}` : KEEP_HELP } : f)) };
}

/** Fields worth a column in the list under the form (long texts stay out). */
const listFields = (form: FormDefinition) => form.fields.filter((f) => f.type !== 'textarea' && f.type !== 'photo' && f.type !== 'multichoice');

function EntriesTable(props: { form: FormDefinition; versions: Map<number, FormDefinition>; records: UnitRecord[]; ctx: FormContext; principal: Principal; q: string; canWrite: boolean; hazardNumbers: Map<number, string> }) {
  const fields = listFields(props.form);
  const unmasked = props.principal.role === 'admin';
  const isPatrol = props.form.id === PATROL_FORM_ID;
  return (
    <DataTable id="entries" head={['时间', ...fields.map((f) => f.label), isPatrol && '人数要求', props.canWrite && '操作']} label={`已登记的${props.form.title}`}>
        {props.records.map((r) => {
          const all = { ...r.answers, ...r.personal };
          // An answer shows with the labels and options of the version it was answered under.
          const own = props.versions.get(r.formVersion);
          const fieldOf = (f: FieldDefinition) => own?.fields.find((g) => g.name === f.name) ?? f;
          const flag = isPatrol ? patrolFlagText(r.answers) : '';
          return (
            <tr data-record={r.id}>
              <td>{formatShanghai(r.createdAt).slice(11)}</td>
              {fields.map((f) => (
                <td>{shownAnswer(fieldOf(f), all[f.name], props.ctx, unmasked)}</td>
              ))}
              {isPatrol ? <td class={flag ? 'flag' : undefined}>{flag || '符合'}</td> : null}
              {props.canWrite && props.hazardNumbers.has(r.id) ? (
                // In the supervision process: no edit or delete (the server refuses them too).
                <td class="muted">已生成隐患 {props.hazardNumbers.get(r.id)}，不能修改或删除</td>
              ) : props.canWrite ? (
                <td>
                  <div class="row">
                    <a href={`/unit/forms/${props.form.id}?edit=${r.id}${props.q.replace('?', '&')}`}>修改</a>
                    <form method="post" action={`/unit/forms/${props.form.id}/${r.id}/delete${props.q}`}>
                      <button class="link" type="submit" aria-label={`删除 ${formatShanghai(r.createdAt)} 的记录`}>
                        删除
                      </button>
                    </form>
                  </div>
                </td>
              ) : null}
            </tr>
          );
        })}
    </DataTable>
  );
}

export interface EntryPageProps {
  principal: Principal;
  unit: UnitInfo;
  form: FormDefinition;
  ctx: FormContext;
  values: Record<string, unknown>;
  errors: { field: string; message: string }[];
  records: UnitRecord[];
  /** Earlier versions of the form that records were answered under, by version. */
  versions?: Map<number, FormDefinition>;
  hazardNumbers?: Map<number, string>;
  day: string;
  today: string;
  token?: string;
  editing?: UnitRecord;
  notice?: string;
  focus?: string;
  /** After the questions, before the submit button: the ledger's optional location block. */
  extra?: Child;
}

export function EntryPage(props: EntryPageProps) {
  const q = unitQuery(props.principal, props.unit.code);
  const canWrite = props.principal.role !== 'leader';
  const { form } = props;
  const needsCadres = form.fields.some((f) => f.type === 'cadre' && f.required) && (props.ctx.cadres?.length ?? 0) === 0;
  const needsTasks = form.fields.some((f) => f.type === 'task' && f.required) && (props.ctx.tasks?.length ?? 0) === 0;
  const action = props.editing ? `/unit/forms/${form.id}/${props.editing.id}${q}` : `/unit/forms/${form.id}${q}`;
  return (
    <PortalLayout title={form.title} principal={props.principal} unitName={props.unit.name} unitCode={props.unit.code} current={`/unit/forms/${form.id}`}>
      <h1>{props.editing ? `修改记录 · ${form.title}` : form.title}</h1>
      <p class="muted">{form.intro}</p>
      {props.notice ? (
        <div class="ok" role="status" id="saved">
          {props.notice}
        </div>
      ) : null}
      {!canWrite ? (
        <p class="muted">领导访问码只能查看记录。</p>
      ) : needsCadres ? (
        <div class="alert">
          还没有在册干部，无法登记。请先到<a href={`/unit/cadres${q}`}>干部花名册</a>添加或导入本单位干部。
        </div>
      ) : needsTasks ? (
        <div class="alert">实施方案没有给本单位分配可计数的任务，不需要填报任务进度。</div>
      ) : (
        <div class="card">
          <FormView
            form={props.editing && props.principal.role !== 'admin' ? editFormFor(form) : form}
            ctx={props.ctx}
            values={props.values}
            errors={props.errors}
            action={action}
            token={props.token}
            submitLabel={props.editing ? '保存修改' : undefined}
            extra={props.extra}
          />
          {props.editing ? (
            <p>
              <a href={`/unit/forms/${form.id}${q}`}>取消修改，继续登记新记录</a>
            </p>
          ) : (
            // The carry-over hint belongs to the visit form; the keyboard hint only where there is a keyboard.
            <p class="muted">
              {form.id === 'household-visit' ? '提示：保存后走访干部、村（社区）和日期会保留，直接填下一户即可。' : '提示：保存后可以接着登记下一条。'}
              <span class="kbd">Tab 键切换输入项，回车保存。</span>
            </p>
          )}
          {props.focus ? <span hidden data-focus={`f-${props.focus}`} /> : null}
        </div>
      )}
      <h2>
        {props.day === props.today ? '今天' : props.day} 登记的记录（{props.records.length} 条）
      </h2>
      <form method="get" action={`/unit/forms/${form.id}`} class="row noprint">
        {q ? <input type="hidden" name="unit" value={props.unit.code} /> : null}
        <label for="day" style="margin:0">
          查看日期
        </label>
        <input type="date" id="day" name="day" value={props.day} style="width:auto" />
        <SubmitButton secondary>查看</SubmitButton>
      </form>
      {props.records.length === 0 ? (
        <p class="muted">这一天还没有记录。填写上方表格并保存后，记录会列在这里，可以修改或删除。</p>
      ) : (
        // A form's columns are wider than a phone: cards there, a table scrolling inside its box on a wider screen.
        <EntriesTable form={form} versions={props.versions ?? new Map()} records={props.records} ctx={props.ctx} principal={props.principal} q={q} canWrite={canWrite} hazardNumbers={props.hazardNumbers ?? new Map()} />
      )}
    </PortalLayout>
  );
}
