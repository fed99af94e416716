// The office's organisation pages: the tree with counts, the import with its preview, one unit's edit form.
import { Layout } from '../web/layout.tsx';
import { DataTable, SubmitButton } from '../web/components.tsx';
import { SignOutButton } from '../auth/routes.tsx';
import type { ImportPlan, UnitChange } from './import.ts';
import { KIND_LABELS, type RowError } from './sheet.ts';
import { flatten, type TreeUnit } from './tree.ts';
import type { FieldError } from '../lib/errors.ts';

function Nav() {
  return (
    <p class="who">
      <a href="/admin">工作台</a> · <a href="/admin/access">访问码</a> · <a href="/admin/organisation/posters">批量打印海报</a> · <SignOutButton />
    </p>
  );
}

function ChangeList(props: { title: string; items: UnitChange[] }) {
  if (props.items.length === 0) return null;
  return (
    <details open={props.items.length <= 30}>
      <summary>
        {props.title}：{props.items.length} 个
      </summary>
      <ul>
        {props.items.map((c) => (
          <li>
            {c.name}（{c.code}）{c.changes.length ? `：${c.changes.join('；')}` : ''}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function ImportForm(props: { data?: string; name?: string }) {
  return (
    <div class="card">
      <h2>从表格导入组织架构</h2>
      <p>
        <a href="/admin/organisation/template.xlsx">下载模板（xlsx）</a>：“单位”表填写代码、名称、类型、上级代码、人口，“区级干部”表填写姓名、职务。也可上传 CSV（UTF-8 或 GB18030 编码）。先预览，确认无误后再导入。
      </p>
      {props.data ? (
        <form method="post" action="/admin/organisation/import">
          <input type="hidden" name="data" value={props.data} />
          <input type="hidden" name="name" value={props.name ?? ''} />
          <p>
            <SubmitButton name="action" value="apply">
              确认导入
            </SubmitButton>{' '}
            <a href="/admin/organisation">取消</a>
          </p>
        </form>
      ) : (
        <form method="post" action="/admin/organisation/import" enctype="multipart/form-data">
          <label for="file">表格文件（.xlsx 或 .csv）</label>
          <input type="file" id="file" name="file" accept=".xlsx,.csv" required />
          <p>
            <SubmitButton name="action" value="preview">
              预览
            </SubmitButton>
          </p>
        </form>
      )}
    </div>
  );
}

/** Codes and posters for every unit at once. */
export function BulkCard() {
  return (
    <div class="card">
      <h2>为各单位发放访问码、打印海报</h2>
      <form method="post" action="/admin/access/bulk">
        <label class="opt">
          <input type="radio" name="units" value="missing" checked /> 只为还没有可用访问码的镇（街道）、区级部门、派出所发放
        </label>
        <label class="opt">
          <input type="radio" name="units" value="all" /> 为全部镇（街道）、区级部门、派出所各发放一个新访问码
        </label>
        <p>
          <SubmitButton>发放并打印访问码单</SubmitButton>
        </p>
      </form>
      <p>
        <a href="/admin/organisation/posters">批量打印海报</a>（全部单位，或某个镇、街道所辖的全部村、社区）
      </p>
    </div>
  );
}

export function OrganisationPage(props: { tree: TreeUnit[]; notice?: string; errors?: RowError[]; plan?: ImportPlan; data?: string; name?: string }) {
  const rows = flatten(props.tree);
  return (
    <Layout title="组织架构" heading="区综治办" headingHref="/admin/organisation" wide staff>
      <Nav />
      <h1>组织架构</h1>
      {props.notice ? (
        <div class="ok" role="status">
          {props.notice}
        </div>
      ) : null}
      {props.errors?.length ? (
        <div class="alert" role="alert" id="import-errors">
          <p>文件有 {props.errors.length} 处错误，尚未导入任何内容。请修改后重新上传：</p>
          <ul>
            {props.errors.map((e) => (
              <li>{e.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.plan ? (
        <div class="card" id="import-preview">
          <h2>导入预览（尚未保存）</h2>
          <p>
            新建 <b>{props.plan.created.length}</b> 个，修改 <b>{props.plan.updated.length}</b> 个，停用 <b>{props.plan.deactivated.length}</b> 个，不变{' '}
            <b>{props.plan.unchanged}</b> 个；区级干部新增 {props.plan.cadres.created} 人、更新 {props.plan.cadres.updated} 人。
          </p>
          <ChangeList title="新建" items={props.plan.created} />
          <ChangeList title="修改" items={props.plan.updated} />
          <ChangeList title="停用（记录保留）" items={props.plan.deactivated} />
        </div>
      ) : null}
      <ImportForm data={props.plan ? props.data : undefined} name={props.name} />
      <BulkCard />
      <h2>单位（{rows.filter((r) => r.unit.active).length} 个在用）</h2>
      {rows.length === 0 ? (
        <p class="muted">还没有单位。下载模板填写后导入。</p>
      ) : (
        <DataTable head={['单位', '类型', '代码', { label: '人口', class: 'num' }, { label: '干部', class: 'num' }, { label: '记录', class: 'num' }, '状态', '']}>
          {rows.map(({ unit: u, depth }) => (
            <tr>
              <td style={`padding-left:${depth * 1.2 + 0.4}em`}>{u.name}</td>
              <td>{KIND_LABELS[u.kind]}</td>
              <td>{u.code}</td>
              <td class="num">{u.population ?? '—'}</td>
              <td class="num">{u.cadres}</td>
              <td class="num">{u.records}</td>
              <td>{u.active ? '在用' : '已停用'}</td>
              <td>
                <a href={`/admin/organisation/units/${u.code}`} aria-label={`修改${u.name}`}>
                  修改
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

export function UnitEditPage(props: { unit: TreeUnit; parents: { code: string; name: string }[]; errors?: FieldError[] }) {
  const u = props.unit;
  const err = (f: string) => props.errors?.find((e) => e.field === f)?.message;
  return (
    <Layout title={`修改 ${u.name}`} heading="区综治办" headingHref="/admin/organisation" staff>
      <Nav />
      <h1>修改单位：{u.name}</h1>
      {props.errors?.length ? (
        <div class="alert" role="alert">
          尚未保存：{props.errors.map((e) => e.message).join('；')}
        </div>
      ) : null}
      <p class="muted">
        代码 {u.code}（不可修改，二维码和访问码都用它）· {KIND_LABELS[u.kind]} · 记录 {u.records} 条 · 干部 {u.cadres} 人
      </p>
      <form method="post" action={`/admin/organisation/units/${u.code}`}>
        <label for="name">名称</label>
        <input type="text" id="name" name="name" value={u.name} maxlength={40} required />
        {err('name') ? <p class="error">{err('name')}</p> : null}
        {u.kind === 'office' ? null : (
          <>
            <label for="parent">上级单位</label>
            <select id="parent" name="parent">
              {props.parents.map((p) => (
                <option value={p.code} selected={p.code === u.parent}>
                  {p.name}
                </option>
              ))}
            </select>
            {err('parent') ? <p class="error">{err('parent')}</p> : null}
          </>
        )}
        <label for="population">人口</label>
        <input type="text" id="population" name="population" inputmode="numeric" value={u.population === null ? '' : String(u.population)} />
        {err('population') ? <p class="error">{err('population')}</p> : null}
        {u.kind === 'office' ? null : (
          <label class="opt">
            <input type="checkbox" name="active" value="1" checked={u.active} /> 在用（停用后不再出现在选择列表、排名和海报中，记录保留，访问码失效）
          </label>
        )}
        <p>
          <SubmitButton>保存</SubmitButton> <a href="/admin/organisation">返回</a>
        </p>
      </form>
    </Layout>
  );
}
