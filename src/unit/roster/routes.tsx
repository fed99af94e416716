// The cadre roster pages and API: list, add, edit, deactivate, and CSV import (UTF-8 or GBK, all or nothing).
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { Deps } from '../../deps.ts';
import { CADRE_ROLES } from '../../db/schema.ts';
import { assertCanWrite, requireRole, type AuthEnv } from '../../auth/middleware.ts';
import { AppError, forbidden, notFound, validationFailed, type FieldError } from '../../lib/errors.ts';
import { JSON_OBJECT, parseOrFail, vJson } from '../../lib/validation.ts';
import { limitBody } from '../../lib/body-limit.ts';
import { importRoster, ROSTER_COLUMNS, type LineError } from './import.ts';
import type { CsvEncoding } from './csv.ts';
import {
  addCadre,
  CADRE_ROLE_LABELS,
  cadreUnit,
  checkCadre,
  getCadre,
  getUnit,
  listCadres,
  placesFor,
  placesWithin,
  quotaOf,
  setCadreActive,
  updateCadre,
  type CadreRow,
  type Place,
  type UnitInfo,
} from './roster.ts';
import { PortalLayout, portalScope, unitQuery } from '../layout.tsx';
import { WriteTrustedCache } from '../../core/request-memo.ts';
import type { Principal } from '../../auth/codes.ts';
import { pageCampaign } from '../../campaign/context.ts';
import { attachment } from '../../web/attachment.ts';
import { DataTable, SubmitButton } from '../../web/components.tsx';

const MAX_IMPORT_BYTES = 1024 * 1024;

type Values = { name?: string; post?: string; role?: string; assignedCode?: string };

function CadreFields(props: { values: Values; errors: FieldError[]; places: Place[]; idPrefix: string }) {
  const err = (field: string) => props.errors.find((e) => e.field === field)?.message;
  const field = (name: keyof Values, label: string, input: unknown) => (
    <div class={err(name) ? 'invalid' : undefined}>
      <label for={`${props.idPrefix}-${name}`}>{label}</label>
      {input}
      {err(name) ? (
        <p class="err" id={`${props.idPrefix}-${name}-err`}>
          {err(name)}
        </p>
      ) : null}
    </div>
  );
  return (
    <>
      {field('name', '姓名', <input type="text" id={`${props.idPrefix}-name`} name="name" value={props.values.name ?? ''} required maxlength={30} />)}
      {field('post', '职务', <input type="text" id={`${props.idPrefix}-post`} name="post" value={props.values.post ?? ''} maxlength={40} />)}
      {field(
        'role',
        '角色（决定入户任务数）',
        <select id={`${props.idPrefix}-role`} name="role" required>
          {CADRE_ROLES.map((r) => (
            <option value={r} selected={(props.values.role ?? 'cadre') === r}>
              {CADRE_ROLE_LABELS[r]}（不少于 {quotaOf(r, pageCampaign().visitQuotas)} 户）
            </option>
          ))}
        </select>,
      )}
      {field(
        'assignedCode',
        '包抓村（社区）',
        <select id={`${props.idPrefix}-assignedCode`} name="assignedCode" required>
          <option value="">请选择</option>
          {props.places.map((p) => (
            <option value={p.code} selected={props.values.assignedCode === p.code}>
              {p.name}
            </option>
          ))}
        </select>,
      )}
    </>
  );
}

interface RosterPageProps {
  principal: Principal;
  unit: UnitInfo;
  rows: CadreRow[];
  places: Place[];
  notice?: string;
  add?: { values: Values; errors: FieldError[] };
  importErrors?: LineError[];
}

function RosterPage(props: RosterPageProps) {
  const q = unitQuery(props.principal, props.unit.code);
  const canWrite = props.principal.role !== 'leader';
  const active = props.rows.filter((r) => r.active);
  return (
    <PortalLayout title="干部花名册" principal={props.principal} unitName={props.unit.name} unitCode={props.unit.code} current="/unit/cadres">
      <h1>干部花名册</h1>
      <p class="muted">
        按规定，区级领导入户不少于 30 户，部门和镇街领导不少于 50 户，其他干部每人不少于 80 户，均在包抓的村、社区进行。
      </p>
      {props.notice ? (
        <div class="ok" role="status">
          {props.notice}
        </div>
      ) : null}
      {props.importErrors ? (
        <div class="alert" role="alert" id="import-errors">
          <p>
            <strong>文件有 {props.importErrors.length} 处错误，没有导入任何一行。</strong>请在 Excel 中改正后重新导入：
          </p>
          <ul>
            {props.importErrors.map((e) => (
              <li>{e.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.rows.length === 0 ? (
        <div class="card">
          <p>花名册还是空的。请在下方逐个添加干部，或把 Excel 花名册另存为 CSV 后导入。</p>
        </div>
      ) : (
        <DataTable head={['姓名', '职务', '角色', { label: '入户任务', class: 'num' }, '包抓村（社区）', '状态', canWrite && '操作']}>
          {props.rows.map((r) => (
            <tr class={r.active ? undefined : 'muted'}>
              <td>{r.name}</td>
              <td>{r.post}</td>
              <td>{CADRE_ROLE_LABELS[r.role]}</td>
              <td class="num">{r.quota} 户</td>
              <td>{r.assignedName ?? '—'}</td>
              <td>{r.active ? '在册' : '已停用'}</td>
              {canWrite ? (
                <td>
                  <div class="row">
                    <a href={`/unit/cadres/${r.id}/edit${q}`}>修改</a>
                    <form method="post" action={`/unit/cadres/${r.id}/active${q}`}>
                      <input type="hidden" name="active" value={r.active ? '0' : '1'} />
                      <button class="link" type="submit">
                        {r.active ? '停用' : '恢复'}
                      </button>
                    </form>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}
      <p class="muted">在册 {active.length} 人，入户任务合计 {active.reduce((n, r) => n + r.quota, 0)} 户。</p>
      {canWrite ? (
        <>
          <div class="card">
            <h2>添加干部</h2>
            <form method="post" action={`/unit/cadres${q}`}>
              <CadreFields values={props.add?.values ?? {}} errors={props.add?.errors ?? []} places={props.places} idPrefix="add" />
              <p>
                <SubmitButton>添加</SubmitButton>
              </p>
            </form>
          </div>
          <div class="card">
            <h2>从 Excel 导入</h2>
            <p>
              在 Excel 中按列填写 <strong>{ROSTER_COLUMNS.join('、')}</strong>（第一行为表头），另存为“CSV（逗号分隔）”后上传。角色填“区级领导”“单位领导”或“干部”；包抓村社区填名称或代码。
            </p>
            <p class="muted">
              同名干部会被更新，其余新增；文件中只要有一行有错，整个文件都不会导入，并列出每一行的问题。
              <a href={`/unit/cadres/template.csv${q}`}>下载模板</a>
            </p>
            <form method="post" action={`/unit/cadres/import${q}`} enctype="multipart/form-data">
              <label for="file">CSV 文件</label>
              <input type="file" id="file" name="file" accept=".csv,text/csv" required />
              <label for="encoding">文件编码</label>
              <select id="encoding" name="encoding">
                <option value="auto">自动识别（推荐）</option>
                <option value="gbk">GBK（Excel 默认另存的 CSV）</option>
                <option value="utf-8">UTF-8</option>
              </select>
              <p>
                <SubmitButton secondary>导入</SubmitButton>
              </p>
            </form>
          </div>
        </>
      ) : null}
    </PortalLayout>
  );
}

function EditPage(props: { principal: Principal; unit: UnitInfo; id: number; values: Values; errors: FieldError[]; places: Place[] }) {
  const q = unitQuery(props.principal, props.unit.code);
  return (
    <PortalLayout title="修改干部" principal={props.principal} unitName={props.unit.name} unitCode={props.unit.code} current="/unit/cadres" wide={false}>
      <h1>修改干部信息</h1>
      <form method="post" action={`/unit/cadres/${props.id}${q}`}>
        <CadreFields values={props.values} errors={props.errors} places={props.places} idPrefix="edit" />
        <p class="row">
          <SubmitButton>保存</SubmitButton>
          <a href={`/unit/cadres${q}`}>取消</a>
        </p>
      </form>
    </PortalLayout>
  );
}

const ENCODINGS: readonly CsvEncoding[] = ['auto', 'utf-8', 'gbk'];
const encodingOf = (v: unknown): CsvEncoding => (ENCODINGS.includes(v as CsvEncoding) ? (v as CsvEncoding) : 'auto');
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A cadre's changes over the API. Like the forms API, a typo in a field name is reported, not silently dropped. */
const CadrePatch = v.strictObject(
  {
    name: v.optional(v.unknown()),
    post: v.optional(v.unknown()),
    role: v.optional(v.unknown()),
    assignedCode: v.optional(v.unknown()),
    active: v.optional(v.boolean('应为 true 或 false')),
  },
  '没有这一项',
);

const placesCache = new WriteTrustedCache<Place[]>();

export function unitCadreRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const anyone = requireRole(deps, ['unit', 'admin', 'leader']);

  /** A cadre the principal may touch: its own unit's; the office may touch any. */
  /** A unit's villages as a roster write checks them: as its page read them a moment before (WriteTrustedCache). */
  const trustedPlaces = (unit: UnitInfo) => placesCache.get(deps.db, unit.code, () => placesFor(deps.db, unit));

  async function ownCadre(c: Context<AuthEnv>, write: boolean, unitRead?: Promise<UnitInfo | undefined>) {
    const principal = c.get('principal');
    if (write) assertCanWrite(principal);
    const id = Number(c.req.param('id'));
    const [cadre, readUnit] = await Promise.all([Number.isInteger(id) ? getCadre(deps.db, id) : undefined, unitRead]);
    if (!cadre) throw notFound('找不到该干部');
    if (principal.role === 'unit' && cadre.unitCode !== principal.unitCode) throw forbidden('只能修改本单位的干部');
    // A unit's own cadre: its unit came with the session (or with the cadre, when the caller read it so).
    const unit = cadre.unitCode === principal.unit?.code ? principal.unit : readUnit?.code === cadre.unitCode ? readUnit : (await getUnit(deps.db, cadre.unitCode))!;
    return { principal, cadre, unit };
  }

  /**
   * The edit page's cadre and the villages it may be assigned to, read together: a unit's own villages, or (the
   * office editing any unit's cadre, whose unit it learns with the cadre) every village, narrowed once it knows.
   */
  async function cadreWithPlaces(c: Context<AuthEnv>) {
    const principal = c.get('principal');
    const own = principal.role === 'unit' ? principal.unit : undefined;
    const early = placesFor(deps.db, own ?? null);
    early.catch(() => {});
    const id = Number(c.req.param('id'));
    const [found, places] = await Promise.all([ownCadre(c, true, Number.isInteger(id) ? cadreUnit(deps.db, id) : undefined), early]);
    return { ...found, places: own ? places : placesWithin(found.unit, places) };
  }


  const rosterPage = async (c: Context<AuthEnv>, principal: Principal, unit: UnitInfo, extra: Partial<RosterPageProps> = {}) => {
    // A page reads its lists afresh, and the write that follows trusts them.
    const [rows, places] = await Promise.all([listCadres(deps.db, unit.code), trustedPlaces(unit)]);
    return <RosterPage principal={principal} unit={unit} rows={rows} places={places} {...extra} />;
  };

  app.get('/unit/cadres', anyone, async (c) => {
    const { principal, unit } = await portalScope(deps, c);
    const done = c.req.query('done');
    // Only counts come from the link, never its text.
    const count = (name: string) => (/^\d{1,6}$/.test(c.req.query(name) ?? '') ? c.req.query(name) : '0');
    const notice =
      done === 'added'
        ? '已添加。'
        : done === 'updated'
          ? '已保存。'
          : done === 'imported'
            ? `导入成功：新增 ${count('added')} 人，更新 ${count('updated')} 人。`
            : done === 'active'
              ? '状态已更改。'
              : undefined;
    return c.html(await rosterPage(c, principal, unit, { notice }));
  });

  app.post('/unit/cadres', anyone, async (c) => {
    const { principal, unit } = await portalScope(deps, c, { write: true });
    const form = await c.req.parseBody();
    const values: Values = { name: str(form.name), post: str(form.post), role: str(form.role), assignedCode: str(form.assignedCode) };
    const checked = checkCadre(values, await trustedPlaces(unit));
    if (!checked.ok) return c.html(await rosterPage(c, principal, unit, { add: { values, errors: checked.errors } }), 422);
    await addCadre(deps, unit.code, checked.value, deps.now());
    return c.redirect(`/unit/cadres?done=added${unitQuery(principal, unit.code, '&')}`, 303);
  });

  app.post('/unit/cadres/import', anyone, async (c) => {
    const { principal, unit } = await portalScope(deps, c, { write: true });
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || file.size === 0) {
      return c.html(await rosterPage(c, principal, unit, { importErrors: [{ line: 0, message: '请选择要导入的 CSV 文件' }] }), 422);
    }
    if (file.size > MAX_IMPORT_BYTES) {
      return c.html(await rosterPage(c, principal, unit, { importErrors: [{ line: 0, message: '文件超过 1 MB，请检查是否选错了文件' }] }), 413);
    }
    const result = await importRoster(deps, unit, new Uint8Array(await file.arrayBuffer()), { encoding: encodingOf(form.encoding), now: deps.now() });
    if (!result.ok) return c.html(await rosterPage(c, principal, unit, { importErrors: result.errors }), 422);
    return c.redirect(`/unit/cadres?done=imported&added=${result.added}&updated=${result.updated}${unitQuery(principal, unit.code, '&')}`, 303);
  });

  // A template that opens in Excel as it should (BOM), with one example row in the unit's first village.
  app.get('/unit/cadres/template.csv', anyone, async (c) => {
    const { unit } = await portalScope(deps, c);
    const [first] = await placesFor(deps.db, unit);
    const csv = `\uFEFF${ROSTER_COLUMNS.join(',')}\r\n张某某,干部,干部,${first?.name ?? ''}\r\n`;
    attachment(c, '干部花名册模板.csv', 'roster-template.csv');
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  app.get('/unit/cadres/:id/edit', anyone, async (c) => {
    const { principal, cadre, unit, places } = await cadreWithPlaces(c);
    const values: Values = { name: cadre.name, post: cadre.post, role: cadre.role, assignedCode: cadre.assignedCode ?? '' };
    return c.html(<EditPage principal={principal} unit={unit} id={cadre.id} values={values} errors={[]} places={places} />);
  });

  app.post('/unit/cadres/:id', anyone, async (c) => {
    const { principal, cadre, unit } = await ownCadre(c, true);
    const form = await c.req.parseBody();
    const values: Values = { name: str(form.name), post: str(form.post), role: str(form.role), assignedCode: str(form.assignedCode) };
    const places = await trustedPlaces(unit);
    const checked = checkCadre(values, places);
    if (!checked.ok) return c.html(<EditPage principal={principal} unit={unit} id={cadre.id} values={values} errors={checked.errors} places={places} />, 422);
    await updateCadre(deps, cadre.id, checked.value);
    return c.redirect(`/unit/cadres?done=updated${unitQuery(principal, unit.code, '&')}`, 303);
  });

  app.post('/unit/cadres/:id/active', anyone, async (c) => {
    const { principal, cadre, unit } = await ownCadre(c, true);
    const form = await c.req.parseBody();
    if (form.active !== '1' && form.active !== '0') throw new AppError(400, 'BAD_REQUEST', '请求有误：请在花名册页面点“停用”或“恢复”');
    await setCadreActive(deps, cadre.id, form.active === '1');
    return c.redirect(`/unit/cadres?done=active${unitQuery(principal, unit.code, '&')}`, 303);
  });

  // The API: the same roster for scripts and the office's own tools.
  const toJson = (r: CadreRow) => ({
    id: r.id,
    name: r.name,
    post: r.post,
    role: r.role,
    roleLabel: CADRE_ROLE_LABELS[r.role],
    quota: r.quota,
    assignedCode: r.assignedCode,
    assignedName: r.assignedName,
    active: r.active,
  });

  app.get('/api/v1/unit/cadres', anyone, async (c) => {
    const { unit } = await portalScope(deps, c);
    return c.json((await listCadres(deps.db, unit.code)).map(toJson));
  });

  app.post('/api/v1/unit/cadres', anyone, vJson(JSON_OBJECT), async (c) => {
    const { unit } = await portalScope(deps, c, { write: true });
    const checked = checkCadre(c.req.valid('json'), await trustedPlaces(unit));
    if (!checked.ok) throw validationFailed(checked.errors, '干部信息有误');
    const id = await addCadre(deps, unit.code, checked.value, deps.now());
    return c.json({ id }, 201);
  });

  app.patch('/api/v1/unit/cadres/:id', anyone, vJson(JSON_OBJECT), async (c) => {
    const { cadre, unit } = await ownCadre(c, true);
    // Checked once the cadre is known to be the caller's: another unit learns nothing from a 422.
    const body = parseOrFail(CadrePatch, c.req.valid('json'), '干部信息有误');
    const merged = { name: cadre.name, post: cadre.post, role: cadre.role, assignedCode: cadre.assignedCode ?? '', ...body };
    const checked = checkCadre(merged, await trustedPlaces(unit));
    if (!checked.ok) throw validationFailed(checked.errors, '干部信息有误');
    await updateCadre(deps, cadre.id, checked.value, { active: typeof body.active === 'boolean' ? body.active : undefined });
    const row = (await listCadres(deps.db, unit.code)).find((r) => r.id === cadre.id)!;
    return c.json(toJson(row));
  });

  app.post('/api/v1/unit/cadres/import', anyone, limitBody(MAX_IMPORT_BYTES, '文件超过 1 MB'), async (c) => {
    const { unit } = await portalScope(deps, c, { write: true });
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const result = await importRoster(deps, unit, bytes, { encoding: encodingOf(c.req.query('encoding')), now: deps.now() });
    if (!result.ok) {
      throw validationFailed(
        result.errors.map((e) => ({ field: `line ${e.line}`, line: e.line, message: e.message })),
        `文件有 ${result.errors.length} 处错误，没有导入任何一行`,
      );
    }
    return c.json({ added: result.added, updated: result.updated });
  });

  return app;
}
