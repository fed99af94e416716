// The office's form pages: the list (/admin/forms), one form's editor with its preview (/admin/forms/:id)
// and its history with a diff in words (/admin/forms/:id/versions). Server-rendered forms, no client framework.
import type { FieldError } from '../lib/errors.ts';
import { formatShanghai } from '../lib/time.ts';
import { Layout } from '../web/layout.tsx';
import { FormView } from '../web/form-page.tsx';
import { SignOutButton } from '../auth/routes.tsx';
import { FIELD_TYPES } from './checks.ts';
import type { FormContext } from './context.ts';
import { protectedBecause, TYPE_LABELS } from './edits.ts';
import { rowCount, type EditorValues } from './editor.ts';
import type { FormVersionSummary } from './store.ts';
import type { FormDefinition } from './types.ts';

const AUDIENCE = { public: '群众', unit: '单位' } as const;

function Nav() {
  return (
    <p class="who">
      <a href="/admin">工作台</a> · <a href="/admin/forms">表单</a> · <a href="/admin/campaign">活动设置</a> · <SignOutButton />
    </p>
  );
}

export function FormsListPage(props: { forms: readonly FormDefinition[]; notice?: string; errors?: FieldError[] }) {
  return (
    <Layout title="表单" heading="表单" headingHref="/admin/forms" wide staff>
      <Nav />
      <h1>表单</h1>
      <p class="muted">修改问题、选项和说明后发布为新版本；之前提交的答卷仍按提交时的版本显示。</p>
      {props.notice ? <div class="ok" role="status">{props.notice}</div> : null}
      <table class="forms-list">
        <thead>
          <tr>
            <th>表单</th>
            <th>填写对象</th>
            <th>版本</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {props.forms.map((f) => (
            <tr>
              <td>
                <a href={`/admin/forms/${f.id}`}>{f.title}</a>
              </td>
              <td>{AUDIENCE[f.audience]}</td>
              <td>{`第 ${f.version} 版`}</td>
              <td>
                <a href={`/admin/forms/${f.id}`}>修改</a> · <a href={`/admin/forms/${f.id}/versions`}>历史</a> ·{' '}
                <a href={`/admin/forms/${f.id}/export.json`}>导出 JSON</a> · <a href={`/admin/forms/${f.id}/export.xlsx`}>导出 Excel</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export interface EditorPageProps {
  current: FormDefinition;
  values: EditorValues;
  errors?: FieldError[];
  notice?: string;
  note?: string;
  /** The edited definition shown as residents or units would see it. */
  preview?: FormDefinition;
  previewCtx?: FormContext;
  json?: string;
}

export function FormEditorPage(props: EditorPageProps) {
  const { current, values: v } = props;
  const errs = props.errors ?? [];
  const idOf = (name: string) => `e-${name.replace(/[^A-Za-z0-9]/g, '-')}`;
  const errOf = (name: string) => errs.filter((e) => e.field === name || e.field.startsWith(`${name}.`)).map((e) => e.message).join('；');
  const rows = rowCount(v) + 1;
  const Text = (p: { name: string; label: string; area?: boolean; readonly?: boolean; hint?: string; cls?: string }) => {
    const e = errs.filter((x) => x.field === p.name).map((x) => x.message).join('；');
    const id = idOf(p.name);
    return (
      <div class={p.cls}>
        <label for={id}>{p.label}</label>
        {p.area ? (
          <textarea id={id} name={p.name} rows={4} aria-invalid={e ? 'true' : undefined}>
            {v[p.name] ?? ''}
          </textarea>
        ) : (
          <input id={id} name={p.name} type="text" value={v[p.name] ?? ''} readonly={p.readonly} aria-invalid={e ? 'true' : undefined} />
        )}
        {p.hint ? <p class="muted hint">{p.hint}</p> : null}
        {e ? <p class="err">{e}</p> : null}
      </div>
    );
  };
  return (
    <Layout title={`修改表单：${current.title}`} heading="表单" headingHref="/admin/forms" wide staff>
      <Nav />
      <h1>{current.title}</h1>
      <p class="muted">
        {`${AUDIENCE[current.audience]}填写 · 当前第 ${current.version} 版 · `}
        {current.audience === 'public' ? (
          <>
            <a href={`/f/${current.id}`}>打开填写页</a>
            {' · '}
          </>
        ) : null}
        <a href={`/admin/forms/${current.id}/versions`}>历史版本</a>
      </p>
      {props.notice ? <div class="ok" role="status">{props.notice}</div> : null}
      {errs.length ? (
        <div class="alert" role="alert" id="error-summary">
          <p>有 {errs.length} 处需要修改，尚未发布：</p>
          <ul>
            {errs.map((e) => (
              <li>{e.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`/admin/forms/${current.id}`} class="settings form-editor">
        <input type="hidden" name="version" value={String(current.version)} />
        <fieldset>
          <legend>表单</legend>
          <Text name="title" label="标题" />
          <Text name="intro" label="说明（显示在标题下）" area />
          <div class="grid">
            <Text name="submitLabel" label="提交按钮文字" />
            <Text name="thanks" label="提交后的感谢语" />
          </div>
        </fieldset>
        {Array.from({ length: rows }, (_, i) => {
          const p = `fields[${i}]`;
          const orig = current.fields.find((f) => f.name === v[`${p}.orig`]);
          const locked = orig ? protectedBecause(current.id, orig) : undefined;
          const type = v[`${p}.type`] ?? 'text';
          const e = errOf(p);
          return (
            <fieldset class="question" id={idOf(p)}>
              <legend>{orig ? `第 ${i + 1} 题` : '新增问题（不需要时留空）'}</legend>
              <input type="hidden" name={`${p}.orig`} value={v[`${p}.orig`] ?? ''} />
              {locked ? <p class="muted hint">{`这一题${locked}：可以改文字和说明，不能删除或改题型。`}</p> : null}
              <div class="grid">
                <Text name={`${p}.label`} label="问题" cls="wide" />
                <Text name={`${p}.name`} label="编号（英文，如 smokeAlarm）" readonly={!!orig} />
                <div>
                  <label for={idOf(`${p}.type`)}>题型</label>
                  {locked ? <input type="hidden" name={`${p}.type`} value={type} /> : null}
                  <select id={idOf(`${p}.type`)} name={locked ? undefined : `${p}.type`} disabled={!!locked}>
                    {FIELD_TYPES.map((t) => (
                      <option value={t} selected={t === type}>
                        {TYPE_LABELS[t] ?? t}
                      </option>
                    ))}
                  </select>
                </div>
                <div>
                  <label for={idOf(`${p}.order`)}>顺序</label>
                  <input id={idOf(`${p}.order`)} name={`${p}.order`} type="number" inputmode="numeric" value={v[`${p}.order`] ?? String(i + 1)} class="num" />
                </div>
              </div>
              <Text name={`${p}.help`} label="填写说明（可不填）" />
              <Text
                name={`${p}.options`}
                label="选项（单选、多选题）"
                area
                hint="每行一个：编号|文字，如 yes|已安装。行首加“-”表示隐藏（已有回答的选项只能隐藏，不能删除）。"
              />
              <p class="checks">
                <label>
                  <input type="checkbox" name={`${p}.required`} checked={!!v[`${p}.required`]} /> 必填
                </label>
                {orig && !locked ? (
                  <label>
                    <input type="checkbox" name={`${p}.remove`} checked={!!v[`${p}.remove`]} /> 删除这一题（已有的答卷仍保留）
                  </label>
                ) : null}
              </p>
              {e ? <p class="err">{e}</p> : null}
            </fieldset>
          );
        })}
        <fieldset>
          <legend>发布</legend>
          <div>
            <label for="e-note">修改说明（记入历史）</label>
            <input id="e-note" name="note" type="text" value={props.note ?? ''} placeholder="如：增加“是否安装烟感报警器”" />
          </div>
          <p class="actions">
            <button type="submit" class="btn secondary" name="action" value="preview">
              预览
            </button>{' '}
            <button type="submit" class="btn" name="action" value="publish">
              发布新版本
            </button>
          </p>
        </fieldset>
      </form>
      {props.preview ? (
        <section class="preview" aria-label="预览">
          <h2>预览：{AUDIENCE[props.preview.audience]}看到的页面</h2>
          <div class="preview-frame" inert>
            <h1>{props.preview.title}</h1>
            <p class="muted">{props.preview.intro}</p>
            <FormView form={props.preview} ctx={props.previewCtx} action="#" honeypot={false} />
          </div>
        </section>
      ) : null}
      <details class="json-edit">
        <summary>用 JSON 修改（条件显示、取值范围等高级设置）</summary>
        <form method="post" action={`/admin/forms/${current.id}`}>
          <input type="hidden" name="version" value={String(current.version)} />
          <input type="hidden" name="action" value="json" />
          <label for="e-json">表单定义（JSON）</label>
          <textarea id="e-json" name="json" rows={16} class="code">
            {props.json ?? JSON.stringify(current, null, 2)}
          </textarea>
          <label for="e-json-note">修改说明</label>
          <input id="e-json-note" name="note" type="text" value="" />
          <p>
            <button type="submit" class="btn">
              发布新版本
            </button>
          </p>
        </form>
        <form method="post" action={`/admin/forms/${current.id}/import`} enctype="multipart/form-data">
          <label for="e-file">导入 JSON 或 Excel（XLSForm：survey 和 choices 两个工作表）</label>
          <input id="e-file" name="file" type="file" accept=".json,.xlsx,application/json" />
          <p>
            <button type="submit" class="btn secondary">
              导入并发布
            </button>
          </p>
        </form>
      </details>
    </Layout>
  );
}

export function FormVersionsPage(props: { form: FormDefinition; versions: FormVersionSummary[]; diff?: { from: number; to: number; changes: string[] } }) {
  const { form, versions } = props;
  const newest = versions[0]?.version ?? form.version;
  const from = props.diff?.from ?? versions[1]?.version ?? newest;
  const to = props.diff?.to ?? newest;
  return (
    <Layout title={`历史版本：${form.title}`} heading="表单" headingHref="/admin/forms" wide staff>
      <Nav />
      <h1>{form.title}：历史版本</h1>
      <table>
        <thead>
          <tr>
            <th>版本</th>
            <th>发布时间</th>
            <th>发布人</th>
            <th>说明</th>
            <th>导出</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((r) => (
            <tr>
              <td>{`第 ${r.version} 版`}</td>
              <td>{r.savedAt ? formatShanghai(Date.parse(r.savedAt)) : '—'}</td>
              <td>{r.savedBy}</td>
              <td>{r.note}</td>
              <td>
                <a href={`/admin/forms/${form.id}/export.json?version=${r.version}`}>JSON</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="get" action={`/admin/forms/${form.id}/versions`} class="row">
        <label for="d-from">比较</label>
        <select id="d-from" name="from">
          {versions.map((r) => (
            <option value={String(r.version)} selected={r.version === from}>{`第 ${r.version} 版`}</option>
          ))}
        </select>
        <label for="d-to">和</label>
        <select id="d-to" name="to">
          {versions.map((r) => (
            <option value={String(r.version)} selected={r.version === to}>{`第 ${r.version} 版`}</option>
          ))}
        </select>
        <button type="submit" class="btn secondary">
          比较
        </button>
      </form>
      {props.diff ? (
        <section class="card">
          <h2>{`第 ${props.diff.from} 版 → 第 ${props.diff.to} 版`}</h2>
          {props.diff.changes.length ? (
            <ul id="changes">
              {props.diff.changes.map((c) => (
                <li>{c}</li>
              ))}
            </ul>
          ) : (
            <p>两个版本的内容相同。</p>
          )}
        </section>
      ) : null}
    </Layout>
  );
}
